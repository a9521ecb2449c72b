package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "PT10S, 10s",
    "PT5M, 5m",
    "PT2H, 2h",
    "PT1.5S, 1500ms",
    "PT90S, 90s",
    "PT0S, 0s",
    "PT0.0000001S, PT0.0000001S",
    "PT-1S, PT-1S"
  })
  void formatsInTheSyntaxParseReads(String iso, String text) {
    Duration d = Duration.parse(iso);
    assertThat(Durations.format(d)).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(d);
  }
}
