package dev.sluice.controller.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sluice apply -f PATH...}: publishes manifests as events with the right keys, the way a
 * user pushes policy updates (like {@code kubectl apply}). Prints one line per object, {@code
 * networkpolicy.networking.k8s.io/default/frontendpolicy published}. Documents that cannot be read
 * are reported on stderr and the rest is published (exit code 1); a publishing failure exits 2.
 *
 * <p>With {@code --wait}, it then asks the controller's API until every published offset is
 * realized (its flows acknowledged by the switch) on every affected node whose switch is connected,
 * and prints how long that took; exit code 3 when {@code --wait-timeout} passes first.
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Publish manifests (files or directories, YAML or JSON) as cluster events.")
public final class ApplyCommand implements Callable<Integer> {
  /** Exit code when --wait timed out. */
  static final int EXIT_NOT_REALIZED = RealizationWait.EXIT_NOT_REALIZED;

  @Mixin PublishOptions options = new PublishOptions();

  @Mixin RealizationWait wait = new RealizationWait();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return wait.publishAndWait(
        options, false, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
