package dev.sluice.controller.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sluice delete -f PATH...}: publishes a tombstone for every object in the manifests (only
 * kind, namespace and name are read from them). Prints one line per object, {@code
 * pod/default/frontend deleted}. With {@code --wait}, waits like {@code sluice apply --wait} until
 * the deletions are realized (the flows they removed are gone from every affected switch).
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Publish deletions (tombstones) for the objects in manifests.")
public final class DeleteCommand implements Callable<Integer> {
  @Mixin PublishOptions options = new PublishOptions();

  @Spec CommandSpec spec;

  @Mixin RealizationWait wait = new RealizationWait();

  @Override
  public Integer call() throws Exception {
    return wait.publishAndWait(
        options, true, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
