package dev.sluice.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
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
    JsonNode nodes;
    JsonNode realization;
    try {
      nodes = c.get("/api/v1/nodes");
      realization = c.get("/api/v1/realization");
    } catch (IOException e) {
      err.println(
          "sluice status: controller API at " + api + " unreachable: " + Errors.describe(e));
      return 1;
    }
    out.printf(
        "%-16s %-9s %-16s %7s %9s %7s %5s  %s%n",
        "NODE", "CONNECTED", "DPID", "DESIRED", "INSTALLED", "PENDING", "LAG", "LAST REALIZED");
    for (JsonNode n : nodes) {
      long lag = 0;
      for (JsonNode l : n.path("lag")) {
        lag += l.asLong();
      }
      out.printf(
          "%-16s %-9s %-16s %7d %9s %7d %5d  %s%n",
          n.path("name").asText(),
          n.path("connected").asBoolean() ? "yes" : "no",
          n.path("datapathId").isNull() ? "-" : n.path("datapathId").asText(),
          n.path("flowsDesired").asInt(),
          n.path("flowsInstalled").isNull() ? "-" : n.path("flowsInstalled").asText(),
          n.path("pendingEvents").asInt(),
          lag,
          offsets(n.path("realizedOffsets")));
    }
    JsonNode policies = realization.path("policies");
    if (policies.size() > 0) {
      out.println();
      out.printf("%-40s %10s  %s%n", "NETWORKPOLICY", "GENERATION", "REALIZED");
      for (JsonNode p : policies) {
        List<String> on = new ArrayList<>();
        p.path("realizedOn").forEach(x -> on.add(x.asText()));
        out.printf(
            "%-40s %10d  on %d of %d nodes %s%n",
            p.path("policy").asText(),
            p.path("generation").asLong(),
            p.path("realizedNodes").asInt(),
            p.path("totalNodes").asInt(),
            on);
      }
    }
    out.flush();
    return 0;
  }

  /** {@code topic-0@12, topic-1@3}; partitions with nothing realized are left out. */
  static String offsets(JsonNode m) {
    List<String> parts = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = m.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().asLong() >= 0) {
        parts.add(e.getKey() + "@" + e.getValue().asLong());
      }
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }
}
