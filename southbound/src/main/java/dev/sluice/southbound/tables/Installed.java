package dev.sluice.southbound.tables;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.southbound.codec.FlowEntry;
import java.util.Collection;
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

  /** The full compare: what turns these tables into the desired flows and groups. */
  public TableChanges changesTo(Collection<Flow> desiredFlows, Collection<Group> desiredGroups) {
    return TableChanges.between(flows(), groups, desiredFlows, desiredGroups);
  }
}
