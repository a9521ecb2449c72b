package dev.sluice.controller.bench;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Cookie;
import dev.sluice.compiler.pipeline.Registers;
import dev.sluice.compiler.pipeline.Table;
import dev.sluice.southbound.channel.ListenAddress;
import dev.sluice.southbound.channel.OpenFlowServer;
import dev.sluice.southbound.channel.SessionConfig;
import dev.sluice.southbound.channel.SwitchListener;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.southbound.tables.Installed;
import dev.sluice.southbound.tables.TableSync;
import dev.sluice.testkit.ovs.OvsNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Push rate into one real bridge: Sluice's southbound ({@link TableSync}: read the (empty) table,
 * plan, one atomic bundle, barrier) against {@code ovs-ofctl -O OpenFlow13 --bundle add-flows} of
 * the same flows, alternating, on a private {@code ovs-vswitchd} (dummy datapath).
 *
 * <p>Usage: {@code PushRate [--repeat R] N...} (default {@code 10000 100000 200000}, 3 repeats).
 * Prints one line per run and a summary per size: median seconds, flows/s, and the ratio ofctl time
 * / Sluice time (≥ 1.0: Sluice is at least as fast).
 */
public final class PushRate {
  private static final String BRIDGE = "br-int";

  private PushRate() {}

  public static void main(String[] args) throws Exception {
    int repeat = 3;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--repeat")) {
        repeat = Integer.parseInt(args[++i]);
      } else {
        sizes.add(Integer.parseInt(args[i].replace("_", "")));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(10_000, 100_000, 200_000);
    }
    LinkedBlockingQueue<SwitchSession> connected = new LinkedBlockingQueue<>();
    SessionConfig config =
        new SessionConfig(
            0,
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(300), // a 200k-flow bundle is one request
            Duration.ofMillis(250),
            SessionConfig.defaults().writeBufferLow(),
            SessionConfig.defaults().writeBufferHigh());
    try (OpenFlowServer server =
            OpenFlowServer.builder(
                    new SwitchListener() {
                      @Override
                      public void switchConnected(SwitchSession s) {
                        connected.add(s);
                      }
                    })
                .sessionConfig(config)
                .listen(ListenAddress.parse("tcp:127.0.0.1:0"))
                .start();
        OvsNode node = OvsNode.start()) {
      node.createAntreaBridge(BRIDGE, 0x42L);
      node.setController(BRIDGE, "tcp:127.0.0.1:" + server.tcpPort());
      SwitchSession session = connected.poll(30, TimeUnit.SECONDS);
      if (session == null) {
        throw new IllegalStateException("the bridge did not connect");
      }
      System.out.printf(
          "ovs-vswitchd (dummy datapath) in %s; %s; %d cores%n",
          node.dir(),
          node.vsctl("--version").lines().findFirst().orElse("?"),
          Runtime.getRuntime().availableProcessors());
      // Warm-up (JIT) of Sluice's path, not recorded.
      for (int w = 0; w < 3; w++) {
        clear(node);
        timeSluice(session, generate(20_000));
      }
      List<String> summary = new ArrayList<>();
      for (int n : sizes) {
        List<Flow> flows = generate(n);
        Path file = node.dir().resolve("flows-" + n + ".txt");
        writeFlows(flows, file);
        double[] sluice = new double[repeat];
        double[] ofctl = new double[repeat];
        for (int r = 0; r < repeat; r++) {
          clear(node);
          sluice[r] = timeSluice(session, flows);
          check(node, n, "sluice");
          clear(node);
          ofctl[r] = timeOfctl(node, file);
          check(node, n, "ovs-ofctl");
          System.out.printf(
              Locale.ROOT,
              "n=%d run %d: sluice %.3f s, ovs-ofctl --bundle %.3f s%n",
              n,
              r + 1,
              sluice[r],
              ofctl[r]);
        }
        double s = median(sluice);
        double o = median(ofctl);
        summary.add(
            String.format(
                Locale.ROOT,
                "| %,d | %.3f | %,.0f | %.3f | %,.0f | %.2f |",
                n,
                s,
                n / s,
                o,
                n / o,
                o / s));
      }
      clear(node);
      System.out.println();
      System.out.println(
          "| flows | sluice s (median) | sluice flows/s | ovs-ofctl --bundle s (median) |"
              + " ovs-ofctl flows/s | ratio ofctl/sluice |");
      System.out.println("|---|---|---|---|---|---|");
      summary.forEach(System.out::println);
    }
  }

  /**
   * Sluice's whole push: read the installed table, plan, one bundle, committed. Prints the phases:
   * read, plan, building the messages (TableSync.messages, timed separately as the bundle builds
   * its own), and the bundle from OPEN to the COMMIT barrier.
   */
  private static double timeSluice(SwitchSession session, List<Flow> flows) throws Exception {
    long t0 = System.nanoTime();
    Installed installed = TableSync.read(session).get(300, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    TableChanges plan = installed.changesTo(flows, List.of());
    long t2 = System.nanoTime();
    TableSync.apply(session, plan).get(300, TimeUnit.SECONDS);
    long t3 = System.nanoTime();
    TableSync.messages(plan, TableSync.names(session.ports()));
    long t4 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "  sluice %d flows: read %.3f s, plan %.3f s, bundle %.3f s (of which building the"
            + " messages alone takes %.3f s)%n",
        flows.size(),
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        (t4 - t3) / 1e9);
    return (t3 - t0) / 1e9;
  }

  private static double timeOfctl(OvsNode node, Path file) {
    long t0 = System.nanoTime();
    node.ofctl("add-flows", BRIDGE, "--bundle", file.toString());
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void clear(OvsNode node) {
    node.delFlows(BRIDGE);
  }

  private static void check(OvsNode node, int n, String who) {
    String agg = node.ofctl("dump-aggregate", BRIDGE);
    String count = agg.replaceAll("(?s).*flow_count=(\\d+).*", "$1");
    if (!count.equals(String.valueOf(n))) {
      throw new IllegalStateException(who + ": expected " + n + " flows, switch has: " + agg);
    }
  }

  /**
   * Antrea-like policy flows: per rule (conj_id) 10 ingress from-clauses {@code ip,nw_src=…} in
   * table 90 ({@code conjunction(id,1/2)}, distinct addresses), 8 egress to-clauses {@code
   * ip,nw_dst=…} in table 50 ({@code conjunction(id,2/2)}) and its conj_id flow loading reg6 /
   * reg5.
   */
  static List<Flow> generate(int n) {
    List<Flow> out = new ArrayList<>(n);
    int addr = 0;
    for (long id = 1000; out.size() < n; id++) {
      long cookie = Cookie.of(1, Cookie.Category.POLICY, id);
      boolean ingress = id % 2 == 0;
      Table table = ingress ? Table.INGRESS_RULE : Table.EGRESS_RULE;
      MatchField field = ingress ? MatchField.IPV4_SRC : MatchField.IPV4_DST;
      int clauses = ingress ? 10 : 8;
      for (int k = 0; k < clauses && out.size() < n - 1; k++) {
        long ip = 0x0a000000L + 0x10000 + addr++; // 10.1.0.0 onwards
        out.add(
            Flow.of(
                table.id(),
                200,
                cookie,
                Match.builder().ip().exact(field, ip).build(),
                List.of(new Action.Conjunction(id, ingress ? 1 : 2, 2))));
      }
      out.add(
          Flow.of(
              table.id(),
              190,
              cookie,
              Match.builder().exact(MatchField.CONJ_ID, id).ip().build(),
              List.of(
                  new Action.Load(ingress ? Registers.INGRESS_CONJ : Registers.EGRESS_CONJ, id),
                  (ingress ? Table.CONNTRACK_COMMIT : Table.L3_FORWARDING).resubmit())));
    }
    return out;
  }

  private static void writeFlows(List<Flow> flows, Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Flow f : flows) {
      sb.append(FlowText.formatForAdd(f, PortNames.NONE, FlowText.Style.OPENFLOW13)).append('\n');
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
