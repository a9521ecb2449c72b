package dev.sluice.controller.cli;

import dev.sluice.controller.api.FlowEntry;
import dev.sluice.controller.api.FlowOrigin;
import dev.sluice.controller.api.FlowsView;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice flows}: a node's flows, desired or installed, each with what produced it. */
@Command(
    name = "flows",
    mixinStandardHelpOptions = true,
    description =
        "List a node's flows with their provenance (object, rule, conj_id, clause), from the"
            + " controller's desired state or read from the switch now (via the controller's API).")
final class FlowsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(names = "--node", required = true, description = "The node whose br-int to list.")
  String node;

  @ArgGroup(exclusive = true)
  Filter filter;

  static final class Filter {
    @Option(names = "--pod", paramLabel = "NS/NAME", description = "Only the flows of this Pod.")
    String pod;

    @Option(
        names = "--policy",
        paramLabel = "NS/NAME",
        description = "Only the flows of this NetworkPolicy.")
    String policy;

    @Option(
        names = "--service",
        paramLabel = "NS/NAME",
        description = "Only the flows of this Service.")
    String service;
  }

  @Option(names = "--table", paramLabel = "N", description = "Only table N.")
  Integer table;

  @ArgGroup(exclusive = true)
  View view;

  static final class View {
    @Option(names = "--installed", description = "What the switch holds (read now).")
    boolean installed;

    @Option(names = "--desired", description = "What the switch should hold (default).")
    boolean desired;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String v = view != null && view.installed ? "installed" : "desired";
    StringBuilder path =
        new StringBuilder("/api/v1/nodes/")
            .append(ApiClient.encode(node))
            .append("/flows?view=")
            .append(v);
    if (filter != null) {
      add(path, "pod", filter.pod);
      add(path, "policy", filter.policy);
      add(path, "service", filter.service);
    }
    if (table != null) {
      add(path, "table", String.valueOf(table));
    }
    ApiClient c = api.client();
    FlowsView r;
    try {
      r = c.get(path.toString(), FlowsView.class);
    } catch (IOException e) {
      err.println("sluice flows: " + Errors.describe(e));
      err.flush();
      return 2;
    }
    if (api.json) {
      out.println(c.pretty(r));
      out.flush();
      return 0;
    }
    out.printf("node %s, %s flows: %d of %d shown%n", node, v, r.count(), r.total());
    out.printf("%-5s %-5s %-18s %s%n", "TABLE", "PRIO", "COOKIE", "FLOW / PROVENANCE");
    for (FlowEntry e : r.entries()) {
      out.printf("%-5d %-5d %-18s %s%n", e.table(), e.priority(), e.cookie(), e.flow());
      for (String o : origins(e.origins())) {
        out.printf("%-30s ← %s%n", "", o);
      }
    }
    out.flush();
    return 0;
  }

  private static void add(StringBuilder path, String key, String value) {
    if (value != null) {
      path.append('&').append(key).append('=').append(ApiClient.encode(value));
    }
  }

  /** The {@code text} of each origin, or "not Sluice's / unknown" when there is none. */
  static List<String> origins(List<FlowOrigin> origins) {
    List<String> out = new ArrayList<>();
    origins.forEach(o -> out.add(o.text()));
    if (out.isEmpty()) {
      out.add("(no known object: foreign cookie, or an object Sluice no longer has)");
    }
    return out;
  }
}
