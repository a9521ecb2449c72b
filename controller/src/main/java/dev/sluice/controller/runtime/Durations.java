package dev.sluice.controller.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of Sluice, for configuration values and command-line flags alike: {@code
 * 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}), case-insensitive. The
 * configuration file reads durations through {@link Deserializer}, the flags through {@code
 * dev.sluice.controller.cli.DurationConverter}; both call {@link #parse}.
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /** Parses {@code s}; the exception's message names the value and gives examples. */
  public static Duration parse(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(v);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            return Duration.ofMillis(n);
          case "s":
            return Duration.ofSeconds(n);
          case "m":
            return Duration.ofMinutes(n);
          default:
            return Duration.ofHours(n);
        }
      }
      if (v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(message(s), e);
    }
    throw new IllegalArgumentException(message(s));
  }

  /**
   * {@code d} in the syntax {@link #parse} reads, with the largest unit that is exact ({@code 10s},
   * {@code 5m}, {@code 1500ms}); ISO-8601 for what that syntax cannot say (sub-millisecond or
   * negative).
   */
  public static String format(Duration d) {
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }

  private static String message(String s) {
    return "'" + s + "' is not a duration (examples: 500ms, 30s, 5m, 1h, PT30S)";
  }

  /**
   * A duration value of the configuration file, through {@link #parse}; anything else (a number
   * without unit, a map) is an error naming the key.
   */
  static final class Deserializer extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    Deserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_STRING) && !p.currentToken().isScalarValue()) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      String text = p.getText();
      try {
        return parse(text);
      } catch (IllegalArgumentException e) {
        InvalidFormatException f =
            InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
        f.initCause(e);
        throw f;
      }
    }
  }
}
