package dev.sluice.controller.kafkatest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedKafka} as a separate process for the lab: formats (first time) and starts
 * a KRaft broker in a directory, writes {@code <dir>/kafka.pid} and {@code <dir>/bootstrap} (the
 * {@code host:port} for clients, written once the broker accepts them), and runs until killed
 * (SIGTERM shuts the broker down cleanly).
 *
 * <pre>
 * mvn -pl controller -am test-compile     # writes controller/target/test-classpath.txt
 * java -Xmx256m -cp controller/target/test-classes:$(cat controller/target/test-classpath.txt) \
 *     dev.sluice.controller.kafkatest.LocalKafka --dir /tmp/lab-kafka [--port 9092] \
 *     [--controller-port 9093] [--set key=value ...]
 * </pre>
 */
public final class LocalKafka {
  private LocalKafka() {}

  /** Entry point; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException, InterruptedException {
    Path dir = null;
    int port = 0;
    int controllerPort = 0;
    Map<String, String> overrides = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--dir":
          dir = Path.of(value);
          i++;
          break;
        case "--port":
          port = Integer.parseInt(value);
          i++;
          break;
        case "--controller-port":
          controllerPort = Integer.parseInt(value);
          i++;
          break;
        case "--set":
          int eq = value.indexOf('=');
          if (eq <= 0) {
            usage("--set needs key=value");
          }
          overrides.put(value.substring(0, eq), value.substring(eq + 1));
          i++;
          break;
        default:
          usage("unknown argument " + args[i]);
      }
    }
    if (dir == null) {
      usage("--dir is required");
      return;
    }
    Files.createDirectories(dir);
    Path bootstrapFile = dir.resolve("bootstrap");
    Files.deleteIfExists(bootstrapFile);
    Files.writeString(
        dir.resolve("kafka.pid"), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    EmbeddedKafka kafka = EmbeddedKafka.startIn(dir, false, port, controllerPort, overrides);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                },
                "local-kafka-shutdown"));
    Path tmp = dir.resolve("bootstrap.tmp");
    Files.writeString(tmp, kafka.bootstrapServers() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, bootstrapFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.println("kafka listening on " + kafka.bootstrapServers() + ", data in " + dir);
    stopped.await();
  }

  private static void usage(String problem) {
    System.err.println(
        "error: "
            + problem
            + "\nusage: LocalKafka --dir DIR [--port N] [--controller-port N] [--set key=value]...");
    System.exit(2);
  }
}
