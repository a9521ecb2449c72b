package dev.sluice.controller.cli;

import dev.sluice.controller.api.PositionRealization;
import dev.sluice.controller.api.PositionStatus;
import dev.sluice.controller.api.RealizationView;
import dev.sluice.controller.events.Publisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * The {@code --wait} options {@code sluice apply} and {@code sluice delete} share, and the wait
 * itself: ask the controller's API until every published offset is realized (its flows acknowledged
 * by the switch) on every affected node whose switch is connected or expected.
 */
public final class RealizationWait {
  /** Exit code when --wait timed out. */
  static final int EXIT_NOT_REALIZED = 3;

  @Option(
      names = "--wait",
      description =
          "Wait until the controller reports the published events realized on every affected"
              + " node that has a switch (connected, or expected by annotation or configuration).")
  boolean await;

  @Option(
      names = "--api",
      defaultValue = "127.0.0.1:8181",
      paramLabel = "HOST:PORT",
      description = "The controller's API, for --wait (default ${DEFAULT-VALUE}).")
  String api = "127.0.0.1:8181";

  @Option(
      names = "--wait-timeout",
      defaultValue = "60s",
      converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long --wait waits (default ${DEFAULT-VALUE}).")
  Duration waitTimeout = Duration.ofSeconds(60);

  /**
   * Waits until {@code published} is realized; prints {@code realized on [...] in N ms} and returns
   * 0, or prints what is still pending and returns {@link #EXIT_NOT_REALIZED}.
   */
  int waitRealized(
      List<Publisher.Published> published, long start, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    ApiClient c = new ApiClient(api);
    StringBuilder q = new StringBuilder();
    for (Publisher.Published p : published) {
      q.append(q.length() == 0 ? "" : ",").append(p.position());
    }
    String path = "/api/v1/realization?position=" + ApiClient.encode(q.toString());
    long deadline = start + waitTimeout.toNanos();
    String last = "no answer from the controller at " + api;
    while (true) {
      try {
        RealizationView r = c.get(path, RealizationView.class);
        TreeSet<String> pending = new TreeSet<>();
        TreeSet<String> realizedOn = new TreeSet<>();
        TreeSet<String> notConnected = new TreeSet<>();
        boolean all = true;
        List<PositionStatus> positions = r.positions() == null ? List.of() : r.positions();
        for (PositionStatus p : positions) {
          if (!p.realized()) {
            all = false;
          }
          if (!p.consumed()) {
            pending.add("(not consumed yet: " + p.position() + ")");
          }
          if (p instanceof PositionRealization x) {
            pending.addAll(x.pendingOn());
            realizedOn.addAll(x.realizedOn());
            notConnected.addAll(x.noSwitch());
          }
        }
        if (all) {
          long ms = (System.nanoTime() - start) / 1_000_000;
          out.printf(
              "realized on %s in %d ms%s%n",
              realizedOn,
              ms,
              notConnected.isEmpty() ? "" : " (no switch for " + notConnected + ")");
          out.flush();
          return 0;
        }
        last = "still pending on " + pending;
      } catch (IOException e) {
        last = Errors.describe(e);
      }
      if (System.nanoTime() > deadline) {
        err.println("error: not realized within " + waitTimeout + ": " + last);
        err.flush();
        return EXIT_NOT_REALIZED;
      }
      Thread.sleep(100);
    }
  }

  /**
   * Publishes the manifests ({@code delete}: tombstones) and, with {@code --wait}, waits until they
   * are realized: the whole of {@code sluice apply} and {@code sluice delete}.
   */
  int publishAndWait(PublishOptions options, boolean delete, PrintWriter out, PrintWriter err)
      throws Exception {
    List<Publisher.Published> published = new ArrayList<>();
    long start = System.nanoTime();
    int exit = ManifestPublishing.run(options, delete, out, err, published::addAll);
    if (!await || published.isEmpty() || exit == ManifestPublishing.EXIT_PUBLISH_FAILED) {
      return exit;
    }
    int waited = waitRealized(published, start, out, err);
    return waited != 0 ? waited : exit;
  }
}
