package dev.sluice.controller.cli;

import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.compiler.sim.CtNext;
import dev.sluice.compiler.sim.Microflow;
import dev.sluice.compiler.sim.Simulator;
import dev.sluice.compiler.sim.Trace;
import dev.sluice.controller.api.TraceRequest;
import dev.sluice.controller.api.TraceView;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice trace}: walk a packet through a node's flows. With {@code -f}, offline through the
 * flows compiled from manifests; otherwise through the running controller's desired flows (or, with
 * {@code --installed}, through what the switch holds, read now), each step with its provenance.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description =
        "Walk a packet (ofproto/trace microflow syntax) through one node's flows, table by table,"
            + " with what produced each flow: offline with -f (manifests), otherwise via the"
            + " controller's API (desired flows, or the switch's with --installed).")
final class TraceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      description =
          "Offline: manifest file or directory (YAML or JSON, multi-document); repeatable."
              + " Without it the controller's API is asked.")
  java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();

  @Option(names = "--node", required = true, description = "The node whose br-int to trace.")
  String node;

  @Option(
      names = "--ports",
      description = "Offline: OF port numbers as CSV lines name,ofport (see sluice compile).")
  java.nio.file.Path ports;

  @Option(
      names = "--service-cidr",
      defaultValue = "10.96.0.0/12",
      description = "Offline: Service CIDR steered to the gateway (default ${DEFAULT-VALUE}).")
  String serviceCidr;

  @Mixin ApiOptions api;

  @Option(
      names = "--installed",
      description = "Via the API: trace through the flows the switch holds (read now).")
  boolean installed;

  @Option(
      names = "--ct-next",
      defaultValue = "trk,new",
      description =
          "Conntrack state after each ct() recirculation, like ofproto/trace --ct-next (default"
              + " ${DEFAULT-VALUE}); repeat for later recirculations.")
  java.util.List<String> ctNext;

  @Parameters(
      index = "0",
      paramLabel = "MICROFLOW",
      description =
          "e.g. in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,dl_dst=4e:99:08:c1:53:be,"
              + "nw_src=10.222.1.48,nw_dst=10.104.65.133,tcp_dst=80,nw_ttl=64")
  String microflow;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (files.isEmpty()) {
      return online(out, err);
    }
    ClusterInput input = new ClusterInput();
    input.files = files;
    input.node = node;
    input.ports = ports;
    input.serviceCidr = serviceCidr;
    CompiledCluster compiled = input.compile(err);
    NodeFlows flows = compiled.flows(input.node);
    PortNames names = compiled.ports(input.node).names();
    Trace trace =
        new Simulator(flows.flows(), flows.groups())
            .trace(Microflow.parse(microflow, names), CtNext.of(ctNext.toArray(new String[0])));
    out.print(annotate(trace, names, compiled.provenance()));
    out.flush();
    return 0;
  }

  private int online(PrintWriter out, PrintWriter err) throws Exception {
    TraceRequest body =
        new TraceRequest(node, microflow, ctNext, installed ? "installed" : "desired");
    ApiClient c = api.client();
    TraceView r;
    try {
      r = c.post("/api/v1/trace", body, TraceView.class);
    } catch (java.io.IOException e) {
      err.println("sluice trace: " + Errors.describe(e));
      err.flush();
      return 2;
    }
    if (api.json) {
      out.println(c.pretty(r));
    } else {
      out.printf(
          "node %s, %s flows%n", node, installed ? "installed (read from the switch)" : "desired");
      out.print(r.text());
    }
    out.flush();
    return 0;
  }

  /** The simulator's trace with, under each matched flow, the objects and rules it comes from. */
  static String annotate(Trace trace, PortNames names, Provenance provenance) {
    StringBuilder sb = new StringBuilder();
    for (String line : trace.format(names).split("\n", -1)) {
      sb.append(line).append('\n');
    }
    StringBuilder prov = new StringBuilder("provenance:\n");
    java.util.Set<Long> seen = new java.util.LinkedHashSet<>();
    for (Trace.Step s : trace.steps()) {
      if (s.flow() != null && seen.add(s.flow().cookie())) {
        long cookie = s.flow().cookie();
        for (Provenance.Origin o : provenance.origins(cookie)) {
          prov.append(String.format("  cookie=0x%x  table %d: %s%n", cookie, s.table(), o));
        }
      }
    }
    return sb.append(prov).toString();
  }
}
