package dev.sluice.controller.cli;

import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.compiler.sim.CtNext;
import dev.sluice.compiler.sim.Microflow;
import dev.sluice.compiler.sim.Simulator;
import dev.sluice.compiler.sim.Trace;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice trace}: walk a packet through a node's compiled flows. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description =
        "Walk a packet (ofproto/trace microflow syntax) through one node's compiled flows, table by"
            + " table, with what produced each flow.")
final class TraceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClusterInput input;

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
