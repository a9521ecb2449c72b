package dev.sluice.compiler.audit;

import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One difference between a switch's groups and the desired groups (AntreaProxy select groups).
 * Groups carry no cookie: a group is Sluice's when its id is one the desired state uses.
 *
 * @param kind missing, modified (same id, other type or buckets) or extraneous
 * @param desired the group that should be there (null for extraneous)
 * @param installed the group that is there (null for missing)
 */
public record GroupDrift(Drift.Kind kind, @Nullable Group desired, @Nullable Group installed) {

  /** The group id. */
  public long groupId() {
    Group g = installed != null ? installed : desired;
    if (g == null) {
      throw new IllegalStateException("a group drift has at least one group");
    }
    return g.groupId();
  }

  /** The drift of {@code installed} groups from {@code desired} ones, by kind then id. */
  public static List<GroupDrift> between(Collection<Group> installed, Collection<Group> desired) {
    Map<Long, Group> have = new TreeMap<>();
    installed.forEach(g -> have.put(g.groupId(), g));
    Map<Long, Group> want = new TreeMap<>();
    desired.forEach(g -> want.put(g.groupId(), g));
    List<GroupDrift> out = new ArrayList<>();
    want.forEach(
        (id, g) -> {
          Group old = have.get(id);
          if (old == null) {
            out.add(new GroupDrift(Drift.Kind.MISSING, g, null));
          } else if (!old.equals(g)) {
            out.add(new GroupDrift(Drift.Kind.MODIFIED, g, old));
          }
        });
    have.forEach(
        (id, g) -> {
          if (!want.containsKey(id)) {
            out.add(new GroupDrift(Drift.Kind.EXTRANEOUS, null, g));
          }
        });
    return out;
  }

  /** Multi-line text in {@code ovs-ofctl add-group} syntax. */
  public String format(PortNames names) {
    StringBuilder sb = new StringBuilder();
    sb.append("group ").append(kind.name().toLowerCase(Locale.ROOT)).append('\n');
    if (desired != null && kind != Drift.Kind.EXTRANEOUS) {
      sb.append(kind == Drift.Kind.MODIFIED ? "  want: " : "  ")
          .append(FlowText.formatGroup(desired, names))
          .append('\n');
    }
    if (installed != null && kind != Drift.Kind.MISSING) {
      sb.append(kind == Drift.Kind.MODIFIED ? "  have: " : "  ")
          .append(FlowText.formatGroup(installed, names))
          .append('\n');
    }
    return sb.toString();
  }
}
