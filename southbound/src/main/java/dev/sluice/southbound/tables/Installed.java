package dev.sluice.southbound.tables;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Group;
import dev.sluice.southbound.codec.FlowEntry;
import java.util.List;

/** What a switch holds, as read back through multipart flow-stats and group-desc requests. */
public record Installed(List<FlowEntry> flowEntries, List<Group> groups) {
  public Installed {
    flowEntries = List.copyOf(flowEntries);
    groups = List.copyOf(groups);
  }

  /** The installed flows (entries the model cannot fully express carry {@code Unknown} parts). */
  public List<Flow> flows() {
    return flowEntries.stream().map(FlowEntry::flow).toList();
  }
}
