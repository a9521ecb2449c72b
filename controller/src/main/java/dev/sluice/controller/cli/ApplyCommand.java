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
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = "Publish manifests (files or directories, YAML or JSON) as cluster events.")
public final class ApplyCommand implements Callable<Integer> {
  @Mixin PublishOptions options = new PublishOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return ManifestPublishing.run(
        options, false, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
