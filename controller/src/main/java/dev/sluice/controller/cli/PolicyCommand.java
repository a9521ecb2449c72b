package dev.sluice.controller.cli;

import dev.sluice.controller.api.PolicyWhyView;
import dev.sluice.controller.api.TraceView;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice policy}: NetworkPolicy questions answered from the controller's compiled state. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "NetworkPolicy questions, answered from the controller's compiled state.",
    subcommands = {PolicyCommand.Why.class, CommandLine.HelpCommand.class})
final class PolicyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code sluice policy why}. */
  @Command(
      name = "why",
      mixinStandardHelpOptions = true,
      description =
          "Is a new connection from one pod to another allowed, and why: which NetworkPolicies"
              + " isolate each side and which rule allows it, or why none does (via the"
              + " controller's API). Exit status 0 when allowed, 1 when denied.")
  static final class Why implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Option(names = "--from", required = true, paramLabel = "NS/POD", description = "Source pod.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NS/POD", description = "Destination.")
    String to;

    @Option(
        names = "--port",
        defaultValue = "80/TCP",
        paramLabel = "PORT/PROTO",
        description = "Destination port and protocol (default ${DEFAULT-VALUE}).")
    String port;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ApiClient c = api.client();
      PolicyWhyView r;
      try {
        r =
            c.get(
                "/api/v1/policy/why?from="
                    + ApiClient.encode(from)
                    + "&to="
                    + ApiClient.encode(to)
                    + "&port="
                    + ApiClient.encode(port),
                PolicyWhyView.class);
      } catch (IOException e) {
        err.println("sluice policy why: " + Errors.describe(e));
        err.flush();
        return 2;
      }
      boolean allowed = r.allowed();
      if (api.json) {
        out.println(c.pretty(r));
        out.flush();
        return allowed ? 0 : 1;
      }
      for (String l : r.summary()) {
        out.println(l);
      }
      out.println();
      out.println("walk:");
      for (TraceView h : r.walk()) {
        out.println("node " + h.node() + ":");
        for (String line : h.text().split("\n")) {
          out.println("  " + line);
        }
      }
      out.flush();
      return allowed ? 0 : 1;
    }
  }
}
