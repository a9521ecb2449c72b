package dev.sluice.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code sluice.jar}; each subcommand is a user-facing command. Exit status: 0 on
 * success, 1 when the command ran but found a problem (a rejected flow, drift), 2 on usage errors.
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "OpenFlow 1.3 controller for Kubernetes-style networking on Open vSwitch.",
    subcommands = {
      PushCommand.class,
      ControllerCommand.class,
      StatusCommand.class,
      CompileCommand.class,
      TraceCommand.class,
      FlowsCommand.class,
      AuditCommand.class,
      PolicyCommand.class,
      ApplyCommand.class,
      DeleteCommand.class,
      LabPlanCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit status (tests call this instead of main). */
  public static int run(String... args) {
    return run(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs a command line with the given output and error writers. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return new CommandLine(new Main())
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(
            (ex, cmd, parsed) -> {
              cmd.getErr().println("sluice " + cmd.getCommandName() + ": " + Errors.describe(ex));
              return 1;
            })
        .execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sluice " + (v == null ? "dev" : v)};
    }
  }
}
