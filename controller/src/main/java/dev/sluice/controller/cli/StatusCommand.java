package dev.sluice.controller.cli;

import dev.sluice.controller.api.NodeView;
import dev.sluice.controller.api.PolicyRealization;
import dev.sluice.controller.api.RealizationView;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice status}: per node, whether its switch is connected, flows desired and installed,
 * the last realized offset per partition and the lag; per NetworkPolicy, on how many nodes its
 * current generation is realized.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the controller's nodes, switches, realization and policies (via its API).")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--api",
      defaultValue = "127.0.0.1:8181",
      paramLabel = "HOST:PORT",
      description = "The controller's API address (default ${DEFAULT-VALUE}).")
  String api;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ApiClient c = new ApiClient(api);
    List<NodeView> nodes;
    RealizationView realization;
    try {
      nodes = c.getList("/api/v1/nodes", NodeView.class);
      realization = c.get("/api/v1/realization", RealizationView.class);
    } catch (IOException e) {
      err.println(
          "sluice status: controller API at " + api + " unreachable: " + Errors.describe(e));
      return 1;
    }
    out.printf(
        "%-16s %-9s %-16s %7s %9s %7s %5s  %s%n",
        "NODE", "CONNECTED", "DPID", "DESIRED", "INSTALLED", "PENDING", "LAG", "LAST REALIZED");
    for (NodeView n : nodes) {
      long lag = n.lag().values().stream().mapToLong(Long::longValue).sum();
      out.printf(
          "%-16s %-9s %-16s %7d %9s %7d %5d  %s%n",
          n.name(),
          n.connected() ? "yes" : "no",
          n.datapathId() == null ? "-" : n.datapathId(),
          n.flowsDesired(),
          n.flowsInstalled() == null ? "-" : String.valueOf(n.flowsInstalled()),
          n.pendingEvents(),
          lag,
          offsets(n.realizedOffsets()));
    }
    List<PolicyRealization> policies = realization.policies();
    if (!policies.isEmpty()) {
      out.println();
      out.printf("%-40s %10s  %s%n", "NETWORKPOLICY", "GENERATION", "REALIZED");
      for (PolicyRealization p : policies) {
        out.printf(
            "%-40s %10d  on %d of %d nodes %s%n",
            p.policy(), p.generation(), p.realizedNodes(), p.totalNodes(), p.realizedOn());
      }
    }
    out.flush();
    return 0;
  }

  /** {@code topic-0@12, topic-1@3}; partitions with nothing realized are left out. */
  static String offsets(Map<String, Long> m) {
    List<String> parts = new ArrayList<>();
    m.forEach(
        (tp, offset) -> {
          if (offset >= 0) {
            parts.add(tp + "@" + offset);
          }
        });
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }
}
