package dev.sluice.controller.cli;

import dev.sluice.controller.events.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code sluice apply} and {@code sluice delete} share. */
public final class PublishOptions {
  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "PATH",
      description =
          "Manifest file or directory (YAML or JSON, multi-document, List kinds; directories are"
              + " read recursively). Repeatable.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--bootstrap",
      defaultValue = "127.0.0.1:9092",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap = "127.0.0.1:9092";

  @Option(
      names = "--topic-prefix",
      defaultValue = TopicNames.DEFAULT_PREFIX,
      paramLabel = "PREFIX",
      description = "Prefix of the topic names, <prefix>pods etc. (default: ${DEFAULT-VALUE}).")
  String topicPrefix = TopicNames.DEFAULT_PREFIX;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long to wait for the brokers (default: ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofSeconds(30);
}
