package dev.sluice.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice audit}: the controller reads each switch now and compares it with the desired
 * state; every difference is shown with its provenance. Exit status 0 when every switch is clean, 1
 * when drift was found (also when {@code --repair} fixed it), 2 when the API failed.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Compare what each switch holds with the desired state, now (via the controller's API):"
            + " missing, modified and extraneous flows and groups, each with its provenance. Exit"
            + " status 0 when clean, 1 when drift was found.")
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(names = "--node", description = "Only this node's switch (default: every switch).")
  String node;

  @Option(names = "--repair", description = "Send the fix as one atomic bundle per switch.")
  boolean repair;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StringBuilder path = new StringBuilder("/api/v1/audit?repair=").append(repair);
    if (node != null) {
      path.append("&node=").append(ApiClient.encode(node));
    }
    ApiClient c = api.client();
    JsonNode r;
    try {
      r = c.post(path.toString(), null);
    } catch (IOException e) {
      err.println("sluice audit: " + Errors.describe(e));
      err.flush();
      return 2;
    }
    boolean drift = false;
    for (JsonNode s : r.path("switches")) {
      String st = s.path("status").asText();
      drift |= st.equals("drift") || st.equals("repaired");
    }
    if (api.json) {
      out.println(c.pretty(r));
      out.flush();
      return drift ? 1 : 0;
    }
    for (JsonNode s : r.path("switches")) {
      print(out, s);
    }
    if (r.path("switches").isEmpty()) {
      out.println("no switch connected");
    }
    out.flush();
    return drift ? 1 : 0;
  }

  private static void print(PrintWriter out, JsonNode s) {
    String head =
        String.format(
            "switch %s dpid=%s node %s: ",
            s.path("bridge").asText(), s.path("datapathId").asText(), s.path("node").asText());
    String status = s.path("status").asText();
    if (status.equals("skipped")) {
      out.println(head + "not audited: " + s.path("skipped").asText());
      return;
    }
    int missing = s.path("missing").asInt();
    int modified = s.path("modified").asInt();
    int extraneous = s.path("extraneous").asInt();
    out.printf(
        "%s%s — %d flows installed, %d desired: %d missing, %d modified, %d extraneous%s%n",
        head,
        status.equals("clean") ? "clean" : "DRIFT",
        s.path("flowsInstalled").asInt(),
        s.path("flowsDesired").asInt(),
        missing,
        modified,
        extraneous,
        s.path("repaired").asBoolean()
            ? " — repaired in one bundle (" + s.path("repairChanges").asInt() + " changes)"
            : "");
    if (s.path("drifts").isEmpty() && s.path("groupDrifts").isEmpty()) {
      return;
    }
    out.printf("  %-10s %-5s %s%n", "KIND", "TABLE", "FLOW / PROVENANCE");
    for (JsonNode d : s.path("drifts")) {
      String kind = d.path("kind").asText();
      String table = d.path("table").asText();
      if (kind.equals("modified")) {
        out.printf("  %-10s %-5s want: %s%n", kind, table, d.path("want").asText());
        out.printf("  %-16s have: %s%n", "", d.path("have").asText());
      } else {
        out.printf("  %-10s %-5s %s%n", kind, table, d.path("flow").asText());
      }
      out.printf("  %-16s why:  %s%n", "", d.path("reason").asText());
      for (JsonNode o : d.path("origins")) {
        out.printf("  %-16s from: %s%n", "", o.path("text").asText());
      }
    }
    for (JsonNode g : s.path("groupDrifts")) {
      String kind = g.path("kind").asText();
      if (g.has("want")) {
        out.printf("  %-10s %-5s want: %s%n", kind, "group", g.path("want").asText());
      }
      if (g.has("have")) {
        out.printf("  %-10s %-5s have: %s%n", kind, "group", g.path("have").asText());
      }
    }
  }
}
