package dev.sluice.controller.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Objects;

/**
 * The {@code sluice} command line run in the test's JVM ({@link Main#run(PrintWriter, PrintWriter,
 * String...)}), with what it prints captured: what the CLI tests and the harness check instead of
 * spawning {@code sluice.jar}.
 */
public final class Cli {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Cli() {}

  /** One command line's exit code and everything it printed to standard output and error. */
  public record Run(int exit, String out, String err) {
    public Run {
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(err, "err");
    }

    /** Standard output parsed as JSON (a command run with {@code --json}). */
    public JsonNode json() throws JsonProcessingException {
      return JSON.readTree(out);
    }
  }

  /** Runs {@code sluice ARGS} to completion. */
  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** {@link #run(String...)} with the arguments as a list (a test that builds them up). */
  public static Run run(List<String> args) {
    return run(args.toArray(String[]::new));
  }
}
