package dev.sluice.controller.bench;

import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.SluiceAnnotations;
import dev.sluice.controller.events.EventPosition;
import dev.sluice.controller.events.Publisher;
import dev.sluice.controller.events.TopicNames;
import dev.sluice.controller.harness.ControllerHarness;
import dev.sluice.controller.runtime.Controller;
import dev.sluice.controller.runtime.ControllerProbe;
import dev.sluice.testkit.kafka.EmbeddedKafka;
import dev.sluice.testkit.objects.ClusterObjects;
import dev.sluice.testkit.ovs.OvsNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The controller end to end against real OVS (item 8 of the controller issue).
 *
 * <ul>
 *   <li>{@code latency [--nodes 20] [--pods 10] [--events 500] [--warmup 100] [--rate R]}: one
 *       {@code ovs-vswitchd} (dummy datapath) with bridges {@code br-n01..br-nNN} (datapath ids
 *       1..N, matched to Nodes n01..nNN by the {@code sluice.dev/datapath-id} annotation), all
 *       connected over TCP to one in-process controller; an embedded Kafka broker. A churn of pod
 *       adds/deletes and NetworkPolicy updates goes through {@link Publisher}; per event: time from
 *       the publisher's send to the barrier reply of the bundle that carried the event's state
 *       version on the last of the nodes whose flows it changed ({@link ControllerProbe}). Closed
 *       loop (next event once the previous one is realized) unless {@code --rate} events/s is given
 *       (open loop).
 *   <li>{@code restart [--flows 200000]}: one bridge whose node compiles to about that many flows
 *       (ipBlock rules); cold install (switch connects to a controller that has read everything),
 *       then a controller restart against the up-to-date switch: time to converged, flow-mods sent.
 * </ul>
 */
public final class ControllerBench {
  private static final Duration WAIT = Duration.ofSeconds(600);

  private ControllerBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: ControllerBench latency|restart [options]");
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    System.out.printf(
        "%d cores, java %s, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    switch (args[0]) {
      case "latency" -> new Latency(opts).run();
      case "restart" -> new Restart(opts).run();
      default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
    }
    System.exit(0);
  }

  // ---------------------------------------------------------------- shared

  /** Records the probe's timestamps. */
  static final class Recorder implements ControllerProbe {
    record Applied(long seq, Set<String> nodes, long start, long compiled, long published) {}

    record Ack(long seq, long start, long planned, long acked, int flowMods) {}

    final Map<String, Applied> applied = new ConcurrentHashMap<>();
    final Map<String, List<Ack>> acks = new ConcurrentHashMap<>();
    final Map<String, List<long[]>> refreshes = new ConcurrentHashMap<>();

    @Override
    public void portsRefreshed(String node, long start, long end) {
      refreshes
          .computeIfAbsent(node, k -> new CopyOnWriteArrayList<>())
          .add(new long[] {start, end});
    }

    @Override
    public void applied(
        EventPosition position,
        long seq,
        Set<String> nodes,
        long start,
        long compiled,
        long published) {
      applied.put(position.toString(), new Applied(seq, nodes, start, compiled, published));
    }

    @Override
    public void acked(String node, long seq, long start, long planned, long acked, int flowMods) {
      acks.computeIfAbsent(node, k -> new CopyOnWriteArrayList<>())
          .add(new Ack(seq, start, planned, acked, flowMods));
    }

    /** The first ack on {@code node} covering {@code seq}, or null. */
    Ack covering(String node, long seq) {
      List<Ack> l = acks.get(node);
      if (l == null) {
        return null;
      }
      for (Ack a : l) {
        if (a.seq() >= seq) {
          return a;
        }
      }
      return null;
    }
  }

  static Controller startController(String bootstrap, TopicNames topics, int ofPort)
      throws Exception {
    return Controller.start(ControllerHarness.config(bootstrap, topics, ofPort, "bench-").build());
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void await(String what, BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  static String node(int i) {
    return String.format(Locale.ROOT, "n%02d", i);
  }

  /** Node {@code nNN}, served by the bridge with datapath id {@code i} (see the class comment). */
  static Node nodeObject(int i) {
    return ClusterObjects.node(
        node(i),
        "10.10." + i + ".0/24",
        "192.168.77." + i,
        Map.of(SluiceAnnotations.DATAPATH_ID, Long.toHexString(i)));
  }

  static Namespace namespace(String name, String team) {
    return ClusterObjects.namespace(name, Map.of("team", team));
  }

  /** A running pod on node {@code nNN} whose OVS port is {@code iface}. */
  static Pod pod(String ns, String name, int node, String ip, String iface, Map<String, String> l) {
    return ClusterObjects.pod(
        ns, name, node(node), ip, l, Map.of(SluiceAnnotations.INTERFACE, iface));
  }

  static LabelSelector sel(String k, String v) {
    return new LabelSelectorBuilder().addToMatchLabels(k, v).build();
  }

  static NetworkPolicyPort tcp(int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .build();
  }

  static long sumCounters(Controller c, List<String> nodes, boolean bundles) {
    long s = 0;
    for (String n : nodes) {
      s += bundles ? c.counters(n).bundles() : c.counters(n).flowMods();
    }
    return s;
  }

  /** CPU time of the controller's state thread (it applies, compiles and publishes). */
  static long stateThreadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("sluice-state")) {
        return mx.getThreadCpuTime(t.getId());
      }
    }
    return 0;
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return ms(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
  }

  // ---------------------------------------------------------------- (a) latency

  static final class Latency {
    final int nodes;
    final int podsPerNode;
    final int events;
    final int warmup;
    final double rate;
    final int slots = 2;
    final Random random = new Random(42);
    final List<String> nodeNames = new ArrayList<>();
    final Map<String, NetworkPolicy> policies = new TreeMap<>();
    final Map<String, Boolean> slotUsed = new TreeMap<>();

    Latency(Map<String, String> o) {
      nodes = Integer.parseInt(o.getOrDefault("nodes", "20"));
      podsPerNode = Integer.parseInt(o.getOrDefault("pods", "10"));
      events = Integer.parseInt(o.getOrDefault("events", "500"));
      warmup = Integer.parseInt(o.getOrDefault("warmup", "100"));
      rate = Double.parseDouble(o.getOrDefault("rate", "0"));
      for (int i = 1; i <= nodes; i++) {
        nodeNames.add(node(i));
      }
    }

    static final String[] NS = {"ns-a", "ns-b", "ns-c"};
    static final String[] APPS = {"web", "api", "db", "cache", "web"};

    String iface(int node, String pod) {
      return String.format(Locale.ROOT, "n%02d%s", node, pod);
    }

    Pod stablePod(int n, int k) {
      String app = APPS[k % APPS.length];
      return pod(
          NS[(n * podsPerNode + k) % NS.length],
          String.format(Locale.ROOT, "p-%s-%02d", node(n), k),
          n,
          "10.10." + n + "." + (10 + k),
          iface(n, String.format(Locale.ROOT, "p%02d", k)),
          Map.of("app", app, "tier", k % 2 == 0 ? "front" : "back"));
    }

    Pod churnPod(int n, int s) {
      return pod(
          NS[(n + s) % NS.length],
          String.format(Locale.ROOT, "c-%s-%d", node(n), s),
          n,
          "10.10." + n + "." + (200 + s),
          iface(n, "c" + s),
          Map.of("app", s % 2 == 0 ? "web" : "api", "tier", "front"));
    }

    /** Per namespace: db ← api:5432; web ← every team namespace:80; api ← web:8080, → db:5432. */
    List<NetworkPolicy> initialPolicies() {
      List<NetworkPolicy> out = new ArrayList<>();
      for (String ns : NS) {
        out.add(
            policy(
                ns,
                "db-from-api",
                sel("app", "db"),
                List.of(ingress(podPeer("app", "api"), 5432)),
                List.of()));
        NetworkPolicyPeer anyTeam =
            new NetworkPolicyPeerBuilder()
                .withNamespaceSelector(
                    new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey("team")
                        .withOperator("Exists")
                        .endMatchExpression()
                        .build())
                .build();
        out.add(
            policy(
                ns, "web-from-all", sel("app", "web"), List.of(ingress(anyTeam, 80)), List.of()));
        out.add(
            policy(
                ns,
                "api-from-web",
                sel("app", "api"),
                List.of(ingress(podPeer("app", "web"), 8080)),
                List.of(
                    new NetworkPolicyEgressRuleBuilder()
                        .withTo(podPeer("app", "db"))
                        .withPorts(tcp(5432))
                        .build())));
      }
      return out;
    }

    static NetworkPolicyPeer podPeer(String k, String v) {
      return new NetworkPolicyPeerBuilder().withPodSelector(sel(k, v)).build();
    }

    static NetworkPolicyIngressRule ingress(NetworkPolicyPeer from, int port) {
      return new NetworkPolicyIngressRuleBuilder().withFrom(from).withPorts(tcp(port)).build();
    }

    static NetworkPolicy policy(
        String ns,
        String name,
        LabelSelector applied,
        List<NetworkPolicyIngressRule> in,
        List<NetworkPolicyEgressRule> out) {
      List<String> types = new ArrayList<>(List.of("Ingress"));
      if (!out.isEmpty()) {
        types.add("Egress");
      }
      return new NetworkPolicyBuilder()
          .withNewMetadata()
          .withNamespace(ns)
          .withName(name)
          .withGeneration(1L)
          .endMetadata()
          .withNewSpec()
          .withPodSelector(applied)
          .withIngress(in)
          .withEgress(out)
          .withPolicyTypes(types)
          .endSpec()
          .build();
    }

    /** One churn event: 40 % pod add, 40 % pod delete, 20 % policy update (a port moves). */
    String next(Publisher pub, List<Publisher.Published> sink) {
      int r = random.nextInt(10);
      if (r < 8) {
        int n = 1 + random.nextInt(nodes);
        int s = random.nextInt(slots);
        String key = n + "/" + s;
        boolean used = slotUsed.getOrDefault(key, false);
        Pod p = churnPod(n, s);
        slotUsed.put(key, !used);
        if (used) {
          sink.add(pub.delete(ObjectKey.of(p)));
          return "pod-del";
        }
        sink.add(pub.apply(p));
        return "pod-add";
      }
      List<String> keys = new ArrayList<>(policies.keySet());
      String k = keys.get(random.nextInt(keys.size()));
      NetworkPolicy p = policies.get(k);
      NetworkPolicy q =
          new NetworkPolicyBuilder(p)
              .editMetadata()
              .withGeneration(p.getMetadata().getGeneration() + 1)
              .endMetadata()
              .build();
      NetworkPolicyPort port = q.getSpec().getIngress().get(0).getPorts().get(0);
      int now = port.getPort().getIntVal();
      port.setPort(new IntOrString(now % 2 == 0 ? now + 1 : now - 1));
      policies.put(k, q);
      sink.add(pub.apply(q));
      return "policy";
    }

    void run() throws Exception {
      System.out.printf(
          "latency: %d nodes (bridges in one ovs-vswitchd), %d pods per node + %d churn slots, %d"
              + " namespaces, %d policies; %d events after %d warm-up, %s%n",
          nodes,
          podsPerNode,
          slots,
          NS.length,
          NS.length * 3,
          events,
          warmup,
          rate > 0 ? "open loop at " + rate + " events/s" : "closed loop");
      int ofPort = freePort();
      TopicNames topics = TopicNames.withPrefix("bench" + System.nanoTime() + ".");
      try (EmbeddedKafka kafka = EmbeddedKafka.startNew();
          OvsNode ovs = OvsNode.start()) {
        long tb = System.nanoTime();
        for (int n = 1; n <= nodes; n++) {
          String br = "br-" + node(n);
          ovs.createBridge(br, n);
          List<String> cmd = new ArrayList<>();
          addPort(cmd, br, iface(n, "tun"), 1);
          addPort(cmd, br, iface(n, "gw"), 2);
          for (int k = 0; k < podsPerNode; k++) {
            addPort(cmd, br, iface(n, String.format(Locale.ROOT, "p%02d", k)), 3 + k);
          }
          for (int s = 0; s < slots; s++) {
            addPort(cmd, br, iface(n, "c" + s), 3 + podsPerNode + s);
          }
          cmd.addAll(List.of("--", "set-controller", br, "tcp:127.0.0.1:" + ofPort));
          ovs.vsctl(cmd.toArray(String[]::new));
        }
        System.out.printf("bridges ready in %.1f s%n", (System.nanoTime() - tb) / 1e9);

        Controller c = startController(kafka.bootstrapServers(), topics, ofPort);
        Recorder rec = new Recorder();
        c.probe(rec);
        try (Publisher pub =
            new Publisher(kafka.bootstrapServers(), topics, Duration.ofSeconds(30), Map.of())) {
          List<HasMetadata> init = new ArrayList<>();
          for (int n = 1; n <= nodes; n++) {
            init.add(nodeObject(n));
          }
          init.add(namespace("ns-a", "a"));
          init.add(namespace("ns-b", "b"));
          init.add(namespace("ns-c", "c"));
          for (int n = 1; n <= nodes; n++) {
            for (int k = 0; k < podsPerNode; k++) {
              init.add(stablePod(n, k));
            }
          }
          for (NetworkPolicy p : initialPolicies()) {
            policies.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
            init.add(p);
          }
          long t0 = System.nanoTime();
          pub.applyAll(init);
          await(
              "initial convergence",
              () -> c.eventStats().applied() >= init.size() && c.converged(nodeNames));
          System.out.printf(
              "initial state: %d objects converged on %d bridges in %.2f s; flows per node %s%n",
              init.size(), nodes, (System.nanoTime() - t0) / 1e9, flowSummary(c));

          runPhase(c, rec, pub, warmup, "warm-up", false);
          runPhase(c, rec, pub, events, "measured", true);
        } finally {
          c.close();
        }
      }
    }

    String flowSummary(Controller c) {
      int min = Integer.MAX_VALUE;
      int max = 0;
      long sum = 0;
      for (String n : nodeNames) {
        int f = c.desired(n).map(d -> d.flows().flows().size()).orElse(0);
        min = Math.min(min, f);
        max = Math.max(max, f);
        sum += f;
      }
      return String.format(
          Locale.ROOT, "min %d / avg %d / max %d", min, sum / nodeNames.size(), max);
    }

    static void addPort(List<String> cmd, String br, String name, int ofport) {
      cmd.addAll(
          List.of(
              "--",
              "add-port",
              br,
              name,
              "--",
              "set",
              "interface",
              name,
              "type=dummy",
              "ofport_request=" + ofport));
    }

    record Sent(String kind, long sendNanos, Publisher.Published published) {}

    void runPhase(Controller c, Recorder rec, Publisher pub, int count, String name, boolean report)
        throws Exception {
      long cpu0 = stateThreadCpu();
      long mods0 = sumCounters(c, nodeNames, false);
      long bundles0 = sumCounters(c, nodeNames, true);
      List<Sent> sent = new ArrayList<>();
      long start = System.nanoTime();
      long interval = rate > 0 ? (long) (1e9 / rate) : 0;
      for (int i = 0; i < count; i++) {
        if (interval > 0) {
          long due = start + i * interval;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        List<Publisher.Published> out = new ArrayList<>(1);
        long t = System.nanoTime();
        String kind = next(pub, out);
        Sent s = new Sent(kind, t, out.get(0));
        sent.add(s);
        if (interval == 0) {
          await("event " + i, () -> realized(rec, s) != null);
        }
      }
      for (Sent s : sent) {
        await("event " + s.published().position(), () -> realized(rec, s) != null);
      }
      await("convergence", () -> c.converged(nodeNames));
      long end = System.nanoTime();
      if (!report) {
        System.out.printf("%s: %d events in %.2f s%n", name, count, (end - start) / 1e9);
        return;
      }
      long cpu = stateThreadCpu() - cpu0;
      long mods = sumCounters(c, nodeNames, false) - mods0;
      long bundles = sumCounters(c, nodeNames, true) - bundles0;
      List<Long> total = new ArrayList<>();
      Map<String, List<Long>> byKind = new TreeMap<>();
      // Stage sums over events (the stages of the node acknowledged last).
      long[] stage = new long[6];
      int touched = 0;
      long affectedSum = 0;
      for (Sent s : sent) {
        Breakdown b = realized(rec, s);
        total.add(b.total());
        byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(b.total());
        affectedSum += b.nodes();
        if (b.nodes() > 0) {
          touched++;
          for (int i = 0; i < stage.length; i++) {
            stage[i] += b.stages()[i];
          }
        }
      }
      Collections.sort(total);
      double secs = (end - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%n%s: %d events in %.2f s = %.1f events/s; %d flow-mods in %d bundles (%.1f flow-mods"
              + " and %.1f bundles per event); %.1f nodes affected per event%n",
          name,
          count,
          secs,
          count / secs,
          mods,
          bundles,
          mods / (double) count,
          bundles / (double) count,
          affectedSum / (double) count);
      System.out.printf(
          Locale.ROOT,
          "state thread (apply, compile, publish) CPU: %.2f ms per event%n",
          ms(cpu) / count);
      System.out.println("| events | p50 ms | p90 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|");
      row("all (" + total.size() + ")", total);
      byKind.forEach(
          (k, l) -> {
            Collections.sort(l);
            row(k + " (" + l.size() + ")", l);
          });
      String[] names = {
        "send → state thread starts applying (Kafka produce+consume, queue)",
        "apply + incremental compile",
        "publish desired snapshots",
        "wait for the node's round to start (previous round in flight)",
        "round: diff + plan",
        "round: bundle sent → commit barrier acked",
      };
      List<Sent> slowest = new ArrayList<>(sent);
      slowest.sort((x, y) -> Long.compare(realized(rec, y).total(), realized(rec, x).total()));
      System.out.println("slowest 5 events, ms per stage (stages as listed below):");
      for (Sent s : slowest.subList(0, Math.min(5, slowest.size()))) {
        Breakdown b = realized(rec, s);
        StringBuilder sb = new StringBuilder();
        for (long x : b.stages()) {
          sb.append(String.format(Locale.ROOT, " %.1f", ms(x)));
        }
        System.out.printf(
            Locale.ROOT, "  %s %.1f ms, %d nodes:%s%n", s.kind(), ms(b.total()), b.nodes(), sb);
      }
      System.out.printf(
          "mean per stage over %d events that changed flows (last node acked):%n", touched);
      for (int i = 0; i < names.length; i++) {
        System.out.printf(Locale.ROOT, "  %-68s %7.2f ms%n", names[i], ms(stage[i]) / touched);
      }
    }

    static void row(String what, List<Long> sorted) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.1f | %.1f | %.1f |%n",
          what,
          pct(sorted, 50),
          pct(sorted, 90),
          pct(sorted, 99),
          ms(sorted.get(sorted.size() - 1)));
    }

    record Breakdown(long total, int nodes, long[] stages) {}

    /** The event's latency once realized on every affected node, or null. */
    static Breakdown realized(Recorder rec, Sent s) {
      Recorder.Applied a = rec.applied.get(s.published().position().toString());
      if (a == null) {
        return null;
      }
      if (a.nodes().isEmpty() || a.seq() < 0) {
        return new Breakdown(a.published() - s.sendNanos(), 0, new long[6]);
      }
      Recorder.Ack last = null;
      for (String n : a.nodes()) {
        Recorder.Ack k = rec.covering(n, a.seq());
        if (k == null) {
          return null;
        }
        if (last == null || k.acked() > last.acked()) {
          last = k;
        }
      }
      long roundStart = Math.max(last.start(), a.published());
      long[] st = {
        a.start() - s.sendNanos(),
        a.compiled() - a.start(),
        a.published() - a.compiled(),
        roundStart - a.published(),
        Math.max(0, last.planned() - roundStart),
        last.acked() - Math.max(last.planned(), roundStart),
      };
      return new Breakdown(last.acked() - s.sendNanos(), a.nodes().size(), st);
    }
  }

  // ---------------------------------------------------------------- (c) restart

  static final class Restart {
    final int flows;
    final int rulesPerPolicy = 20;
    final int peersPerRule = 100;
    final int appliedTo = 20;

    Restart(Map<String, String> o) {
      flows = Integer.parseInt(o.getOrDefault("flows", "200000").replace("_", ""));
    }

    void run() throws Exception {
      int perPolicy = rulesPerPolicy * (peersPerRule + 1);
      int nPolicies = Math.max(1, (flows + perPolicy - 1) / perPolicy);
      System.out.printf(
          "restart: node n01 with %d pods; %d policies × %d ingress rules × %d ipBlock /32 peers"
              + " (distinct) → about %d flows%n",
          appliedTo, nPolicies, rulesPerPolicy, peersPerRule, nPolicies * perPolicy);
      int ofPort = freePort();
      TopicNames topics = TopicNames.withPrefix("restart" + System.nanoTime() + ".");
      try (EmbeddedKafka kafka = EmbeddedKafka.startNew();
          OvsNode ovs = OvsNode.start()) {
        String br = "br-n01";
        ovs.createBridge(br, 1);
        List<String> cmd = new ArrayList<>();
        Latency.addPort(cmd, br, "n01tun", 1);
        Latency.addPort(cmd, br, "n01gw", 2);
        for (int k = 0; k < appliedTo; k++) {
          Latency.addPort(cmd, br, "n01p" + k, 3 + k);
        }
        ovs.vsctl(cmd.toArray(String[]::new));

        List<HasMetadata> init = new ArrayList<>();
        init.add(nodeObject(1));
        init.add(nodeObject(2));
        init.add(namespace("big", "big"));
        for (int k = 0; k < appliedTo; k++) {
          init.add(
              pod("big", "t" + k, 1, "10.10.1." + (10 + k), "n01p" + k, Map.of("app", "target")));
          init.add(pod("big", "r" + k, 2, "10.10.2." + (10 + k), "n02p" + k, Map.of("app", "x")));
        }
        long addr = 0xac100000L; // 172.16.0.0: ipBlock peers, never addressed
        for (int p = 0; p < nPolicies; p++) {
          List<NetworkPolicyIngressRule> rules = new ArrayList<>();
          for (int r = 0; r < rulesPerPolicy; r++) {
            List<NetworkPolicyPeer> peers = new ArrayList<>();
            for (int k = 0; k < peersPerRule; k++) {
              long a = addr++;
              String ip =
                  (a >> 24) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
              peers.add(
                  new NetworkPolicyPeerBuilder()
                      .withNewIpBlock()
                      .withCidr(ip + "/32")
                      .endIpBlock()
                      .build());
            }
            rules.add(
                new NetworkPolicyIngressRuleBuilder()
                    .withFrom(peers)
                    .withPorts(tcp(1000 + (p * rulesPerPolicy + r) % 1000))
                    .build());
          }
          init.add(
              Latency.policy(
                  "big",
                  String.format(Locale.ROOT, "p%04d", p),
                  sel("app", "target"),
                  rules,
                  List.of()));
        }

        try (Publisher pub =
            new Publisher(kafka.bootstrapServers(), topics, Duration.ofSeconds(60), Map.of())) {
          // Controller 1 reads everything before the switch connects: the cold install is one
          // round.
          long t0 = System.nanoTime();
          Controller c1 = startController(kafka.bootstrapServers(), topics, ofPort);
          Recorder r1 = new Recorder();
          c1.probe(r1);
          pub.applyAll(init);
          await("controller 1 applied", () -> c1.eventStats().applied() >= init.size());
          long applied = System.nanoTime();
          int desired = c1.desired("n01").map(d -> d.flows().flows().size()).orElse(0);
          System.out.printf(
              Locale.ROOT,
              "controller 1: %d objects published and applied (incrementally) in %.2f s; n01 desired"
                  + " %,d flows%n",
              init.size(),
              (applied - t0) / 1e9,
              desired);
          long tc = System.nanoTime();
          ovs.setController(br, "tcp:127.0.0.1:" + ofPort);
          await(
              "cold install",
              () ->
                  c1.converged(List.of("n01"))
                      && !r1.acks.getOrDefault("n01", List.of()).isEmpty());
          long cold = System.nanoTime() - tc;
          System.out.printf(
              Locale.ROOT,
              "COLD INSTALL: set-controller → converged %.2f s; %,d flow-mods in %d bundle(s);"
                  + " rounds: %s; switch holds %s flows%n",
              cold / 1e9,
              c1.counters("n01").flowMods(),
              c1.counters("n01").bundles(),
              rounds(r1, "n01"),
              flowCount(ovs, br));
          c1.close();

          long t1 = System.nanoTime();
          Controller c2 = startController(kafka.bootstrapServers(), topics, ofPort);
          Recorder r2 = new Recorder();
          c2.probe(r2);
          long started = System.nanoTime();
          c2.caughtUp().get();
          long caught = System.nanoTime();
          await(
              "restart convergence",
              () ->
                  c2.converged(List.of("n01"))
                      && !r2.acks.getOrDefault("n01", List.of()).isEmpty());
          long conv = System.nanoTime();
          System.out.printf(
              Locale.ROOT,
              "RESTART: Controller.start → converged %.2f s (start %.2f s, startup barrier: read %d"
                  + " events and compile %.2f s, then read the switch + plan %.2f s); flow-mods"
                  + " sent %d, bundles %d; rounds: %s; switch holds %s flows%n",
              (conv - t1) / 1e9,
              (started - t1) / 1e9,
              c2.eventStats().applied(),
              (caught - started) / 1e9,
              (conv - caught) / 1e9,
              c2.counters("n01").flowMods(),
              c2.counters("n01").bundles(),
              rounds(r2, "n01"),
              flowCount(ovs, br));
          c2.close();
        }
      }
    }

    static String rounds(Recorder r, String node) {
      List<String> out = new ArrayList<>();
      for (long[] x : r.refreshes.getOrDefault(node, List.of())) {
        out.add(
            String.format(Locale.ROOT, "[ports learned → recompile %.2f s]", (x[1] - x[0]) / 1e9));
      }
      for (Recorder.Ack a : r.acks.getOrDefault(node, List.of())) {
        out.add(
            String.format(
                Locale.ROOT,
                "[%d flow-mods: read+plan %.2f s, bundle→ack %.2f s]",
                a.flowMods(),
                (a.planned() - a.start()) / 1e9,
                (a.acked() - a.planned()) / 1e9));
      }
      return String.join(" ", out);
    }

    static String flowCount(OvsNode ovs, String br) {
      return ovs.ofctl("dump-aggregate", br).replaceAll("(?s).*flow_count=(\\d+).*", "$1");
    }
  }
}
