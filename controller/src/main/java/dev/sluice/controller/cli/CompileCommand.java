package dev.sluice.controller.cli;

import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice compile}: a node's flows from manifests, as {@code add-flows} text. */
@Command(
    name = "compile",
    mixinStandardHelpOptions = true,
    description =
        "Compile manifests into one node's br-int flows and print them in ovs-ofctl add-flows"
            + " syntax, loadable with: ovs-ofctl -O OpenFlow13 add-flows br-int -")
final class CompileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClusterInput input;

  @ArgGroup(exclusive = true)
  Spelling spelling = new Spelling();

  static final class Spelling {
    @Option(
        names = "--openflow13",
        description =
            "Spell whole-field writes as set_field:V->eth_dst, as ovs-ofctl -O OpenFlow13"
                + " dump-flows does (default: mod_dl_dst:V, as the seed shows).")
    boolean openflow13;
  }

  @Option(
      names = "--port-numbers",
      description = "Print OpenFlow port numbers instead of port names.")
  boolean numbers;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CompiledCluster compiled = input.compile(err);
    NodeFlows flows = compiled.flows(input.node);
    PortNames names = numbers ? PortNames.NONE : compiled.ports(input.node).names();
    out.print(
        flows.format(
            names, spelling.openflow13 ? FlowText.Style.OPENFLOW13 : FlowText.Style.OPENFLOW10));
    out.flush();
    err.printf(
        "%s: %d flows, %d groups%n", input.node, flows.flows().size(), flows.groups().size());
    return flows.flows().isEmpty() ? 1 : 0;
  }
}
