package dev.sluice.controller.runtime;

import dev.sluice.compiler.audit.AuditReport;
import dev.sluice.compiler.audit.FlowAudit;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.southbound.channel.ListenAddress;
import dev.sluice.southbound.channel.OpenFlowServer;
import dev.sluice.southbound.channel.SwitchListener;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.southbound.tables.Installed;
import dev.sluice.southbound.tables.TableSync;
import dev.sluice.testkit.ovs.OvsNode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The audit of a bridge holding N flows (default 100,000), as the controller's auditor does it:
 * multipart flow-stats + group-desc read and decode ({@link TableSync#read}), then the structural
 * comparison with the desired flows ({@link FlowAudit}), then (once) a repair plan and bundle after
 * tampering. Prints wall time and process CPU time per audit, and the CPU share of one core an
 * audit every {@code period} seconds costs.
 *
 * <pre>
 * deploy/bench/audit-bench.sh [FLOWS] [AUDITS] [PERIOD_SECONDS]
 * </pre>
 *
 * The bridge is a private ovs-vswitchd (dummy datapath) started by {@link OvsNode}.
 */
public final class AuditBenchmark {
  private AuditBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int audits = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    double period = args.length > 2 ? Double.parseDouble(args[2]) : 10.0;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    LinkedBlockingQueue<SwitchSession> connected = new LinkedBlockingQueue<>();
    try (OvsNode node = OvsNode.start();
        OpenFlowServer server =
            OpenFlowServer.builder(
                    new SwitchListener() {
                      @Override
                      public void switchConnected(SwitchSession s) {
                        connected.add(s);
                      }
                    })
                .listen(ListenAddress.parse("tcp:127.0.0.1:0"))
                .start()) {
      node.createBridge("br-int", 1);
      // The controller first: setting it later would wipe the flows.
      node.setController("br-int", "tcp:127.0.0.1:" + server.tcpPort());
      SwitchSession session = connected.poll(30, TimeUnit.SECONDS);
      if (session == null) {
        throw new IllegalStateException("the bridge did not connect");
      }
      String text = flows(n);
      long t0 = System.nanoTime();
      node.addFlowsBundle("br-int", text);
      System.out.printf(
          "installed %,d flows with ovs-ofctl add-flows --bundle in %d ms%n",
          n, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      List<Flow> desired = FlowText.parseAll(text, PortNames.NONE, true);
      Provenance provenance = Provenance.empty();

      List<Long> wall = new ArrayList<>();
      List<Long> cpu = new ArrayList<>();
      for (int i = 0; i < audits + 2; i++) {
        long c0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        Installed inst = TableSync.read(session).get(60, TimeUnit.SECONDS);
        AuditReport r =
            FlowAudit.audit(inst.flows(), inst.groups(), desired, List.of(), provenance);
        long w = System.nanoTime() - w0;
        long c = os.getProcessCpuTime() - c0;
        if (!r.isClean() || r.installedCount() != n) {
          throw new IllegalStateException("expected a clean audit of " + n + " flows: " + r);
        }
        if (i >= 2) { // the first two warm the JIT up
          wall.add(w);
          cpu.add(c);
        }
        System.out.printf(
            "audit %2d: %,d flows read and compared in %4d ms wall, %4d ms CPU%s%n",
            i + 1,
            r.installedCount(),
            TimeUnit.NANOSECONDS.toMillis(w),
            TimeUnit.NANOSECONDS.toMillis(c),
            i < 2 ? " (warm-up)" : "");
      }
      double wallMs = wall.stream().mapToLong(x -> x).average().orElse(0) / 1e6;
      double cpuMs = cpu.stream().mapToLong(x -> x).average().orElse(0) / 1e6;
      long maxWall = wall.stream().mapToLong(x -> x).max().orElse(0) / 1_000_000;
      System.out.printf(
          "RESULT flows=%d audits=%d wall_avg_ms=%.0f wall_max_ms=%d cpu_avg_ms=%.0f"
              + " cpu_share_at_%.0fs_period=%.2f%%%n",
          n, wall.size(), wallMs, maxWall, cpuMs, period, 100.0 * cpuMs / (period * 1000));

      // Delete the table-50 flows of 10.0.0.0/16 behind Sluice's back, repair in one bundle.
      node.delFlows("br-int", "table=50,ip,nw_src=10.0.0.0/16");
      long w0 = System.nanoTime();
      Installed inst = TableSync.read(session).get(60, TimeUnit.SECONDS);
      AuditReport r = FlowAudit.audit(inst.flows(), inst.groups(), desired, List.of(), provenance);
      TableChanges plan = inst.changesTo(desired, List.of());
      TableSync.apply(session, plan).get(60, TimeUnit.SECONDS);
      long w = System.nanoTime() - w0;
      Installed after = TableSync.read(session).get(60, TimeUnit.SECONDS);
      boolean clean = FlowAudit.audit(after.flows(), desired, provenance).isClean();
      System.out.printf(
          "repair: %,d missing flows found and re-added in one bundle in %d ms (read, compare,"
              + " bundle, barrier); clean afterwards: %s%n",
          r.drifts().size(), TimeUnit.NANOSECONDS.toMillis(w), clean);
    }
  }

  /**
   * {@code n} flows shaped like Sluice's: a third per-source-IP forwarding flows in table 50, a
   * third conjunction clause flows in table 90, a third reg-matching flows in table 70.
   */
  static String flows(int n) {
    StringBuilder sb = new StringBuilder(n * 110);
    for (int i = 0; i < n; i++) {
      String ip = "10." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
      switch (i % 3) {
        case 0 ->
            sb.append("cookie=0x1050000000001,table=50,priority=200,ip,nw_src=")
                .append(ip)
                .append(" actions=load:0x")
                .append(Integer.toHexString(i + 1))
                .append("->NXM_NX_REG5[],resubmit(,70)\n");
        case 1 ->
            sb.append("cookie=0x1050000000002,table=90,priority=200,ip,nw_src=")
                .append(ip)
                .append(" actions=conjunction(")
                .append(1000 + i % 97)
                .append(",1/2)\n");
        default ->
            sb.append("cookie=0x1030000000003,table=70,priority=200,ip,reg1=0x")
                .append(Integer.toHexString(i + 1))
                .append(",nw_dst=")
                .append(ip)
                .append(" actions=dec_ttl,resubmit(,80)\n");
      }
    }
    return sb.toString();
  }
}
