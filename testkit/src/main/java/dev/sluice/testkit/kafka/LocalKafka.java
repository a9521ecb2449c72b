package dev.sluice.testkit.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link EmbeddedKafka} as a separate process for the lab and for running {@code sluice
 * controller} by hand: formats (first time) and starts a KRaft broker in a directory, writes {@code
 * <dir>/kafka.pid} and {@code <dir>/bootstrap} (the {@code host:port} for clients, written once the
 * broker accepts them), and runs until killed. SIGTERM shuts the broker down cleanly and removes
 * both files; a broker that cannot start removes them too and exits with status 1, so a stale pid
 * file never names a process that is not this broker.
 *
 * <pre>
 * mvn -B -pl testkit package      # testkit/target/testkit.jar + testkit/target/classpath.txt
 * java -Xmx256m -cp testkit/target/testkit.jar:$(cat testkit/target/classpath.txt) \
 *     dev.sluice.testkit.kafka.LocalKafka --dir /tmp/lab-kafka [--port 9092] \
 *     [--controller-port 9093] [--set key=value ...]
 * </pre>
 *
 * {@code deploy/kafka start|stop|status} wraps exactly this.
 */
public final class LocalKafka {
  private static final String LOGBACK_CONFIG = "logback.configurationFile";
  private static final String LOGBACK_RESOURCE = "dev/sluice/testkit/kafka/local-kafka-logback.xml";

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
    if (System.getProperty(LOGBACK_CONFIG) == null) {
      // Before the first logger exists: logback's default (DEBUG for everything) would bury the
      // broker's warnings under Kafka's chatter.
      System.setProperty(LOGBACK_CONFIG, LOGBACK_RESOURCE);
    }
    Files.createDirectories(dir);
    Path pidFile = dir.resolve("kafka.pid");
    Path bootstrapFile = dir.resolve("bootstrap");
    Files.deleteIfExists(bootstrapFile);
    Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.startIn(dir, false, port, controllerPort, overrides);
    } catch (RuntimeException e) {
      Files.deleteIfExists(pidFile);
      System.err.println("error: the Kafka broker in " + dir + " did not start: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    kafka.close();
                  } finally {
                    deleteQuietly(bootstrapFile);
                    deleteQuietly(pidFile);
                    stopped.countDown();
                  }
                },
                "local-kafka-shutdown"));
    Path tmp = dir.resolve("bootstrap.tmp");
    Files.writeString(tmp, kafka.bootstrapServers() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, bootstrapFile, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("kafka listening on " + kafka.bootstrapServers() + ", data in " + dir);
    stopped.await();
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      System.err.println("cannot delete " + p + ": " + e);
    }
  }

  private static void usage(String problem) {
    System.err.println(
        "error: "
            + problem
            + "\nusage: LocalKafka --dir DIR [--port N] [--controller-port N] [--set key=value]...");
    System.exit(2);
  }
}
