package dev.sluice.controller.cli;

import dev.sluice.controller.api.AuditResult;
import dev.sluice.controller.api.AuditRun;
import dev.sluice.controller.api.AuditSkipped;
import dev.sluice.controller.api.FlowDrift;
import dev.sluice.controller.api.FlowOrigin;
import dev.sluice.controller.api.GroupDriftEntry;
import dev.sluice.controller.api.SwitchAudit;
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
    AuditRun r;
    try {
      r = c.post(path.toString(), null, AuditRun.class);
    } catch (IOException e) {
      err.println("sluice audit: " + Errors.describe(e));
      err.flush();
      return 2;
    }
    boolean drift = r.switches().stream().anyMatch(SwitchAudit::drift);
    if (api.json) {
      out.println(c.pretty(r));
      out.flush();
      return drift ? 1 : 0;
    }
    for (SwitchAudit s : r.switches()) {
      print(out, s);
    }
    if (r.switches().isEmpty()) {
      out.println("no switch connected");
    }
    out.flush();
    return drift ? 1 : 0;
  }

  private static void print(PrintWriter out, SwitchAudit a) {
    String head =
        String.format("switch %s dpid=%s node %s: ", a.bridge(), a.datapathId(), a.node());
    if (a instanceof AuditSkipped s) {
      out.println(head + "not audited: " + s.skipped());
      return;
    }
    AuditResult s = (AuditResult) a;
    out.printf(
        "%s%s — %d flows installed, %d desired: %d missing, %d modified, %d extraneous%s%n",
        head,
        s.status().equals("clean") ? "clean" : "DRIFT",
        s.flowsInstalled(),
        s.flowsDesired(),
        s.missing(),
        s.modified(),
        s.extraneous(),
        s.repaired() ? " — repaired in one bundle (" + s.repairChanges() + " changes)" : "");
    if (s.drifts().isEmpty() && s.groupDrifts().isEmpty()) {
      return;
    }
    out.printf("  %-10s %-5s %s%n", "KIND", "TABLE", "FLOW / PROVENANCE");
    for (FlowDrift d : s.drifts()) {
      String kind = d.kind();
      if (d.want() != null && d.have() != null) {
        out.printf("  %-10s %-5s want: %s%n", kind, d.table(), d.want());
        out.printf("  %-16s have: %s%n", "", d.have());
      } else {
        out.printf("  %-10s %-5s %s%n", kind, d.table(), d.flow());
      }
      out.printf("  %-16s why:  %s%n", "", d.reason());
      for (FlowOrigin o : d.origins()) {
        out.printf("  %-16s from: %s%n", "", o.text());
      }
    }
    for (GroupDriftEntry g : s.groupDrifts()) {
      if (g.want() != null) {
        out.printf("  %-10s %-5s want: %s%n", g.kind(), "group", g.want());
      }
      if (g.have() != null) {
        out.printf("  %-10s %-5s have: %s%n", g.kind(), "group", g.have());
      }
    }
  }
}
