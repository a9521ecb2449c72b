package dev.sluice.compiler.audit;

import dev.sluice.compiler.flow.PortNames;
import java.util.Comparator;
import java.util.List;

/**
 * The outcome of one audit of one switch.
 *
 * @param installedCount flows on the switch
 * @param desiredCount flows that should be there
 * @param drifts every flow difference, missing first, then modified, then extraneous
 * @param groupDrifts every group difference, by kind then group id
 */
public record AuditReport(
    int installedCount, int desiredCount, List<Drift> drifts, List<GroupDrift> groupDrifts) {

  /** A report without groups. */
  public AuditReport(int installedCount, int desiredCount, List<Drift> drifts) {
    this(installedCount, desiredCount, drifts, List.of());
  }

  /** Sorts and copies. */
  public AuditReport {
    groupDrifts =
        groupDrifts.stream()
            .sorted(
                Comparator.comparing((GroupDrift d) -> order(d.kind()))
                    .thenComparingLong(GroupDrift::groupId))
            .toList();
    drifts =
        drifts.stream()
            .sorted(
                Comparator.comparing((Drift d) -> order(d.kind()))
                    .thenComparing(d -> d.flow().key()))
            .toList();
  }

  private static int order(Drift.Kind k) {
    return switch (k) {
      case MISSING -> 0;
      case MODIFIED -> 1;
      case EXTRANEOUS -> 2;
    };
  }

  /** No flow and no group differs. */
  public boolean isClean() {
    return drifts.isEmpty() && groupDrifts.isEmpty();
  }

  /** The same report with the group differences of {@code groups}. */
  public AuditReport withGroups(List<GroupDrift> groups) {
    return new AuditReport(installedCount, desiredCount, drifts, groups);
  }

  /** Number of flow and group differences of {@code kind}. */
  public int count(Drift.Kind kind) {
    return of(kind).size() + (int) groupDrifts.stream().filter(g -> g.kind() == kind).count();
  }

  /** The flow differences of {@code kind}. */
  public List<Drift> of(Drift.Kind kind) {
    return drifts.stream().filter(d -> d.kind() == kind).toList();
  }

  /** A summary line and every drift. */
  public String format(PortNames names) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "%d flows installed, %d desired: %d missing, %d modified, %d extraneous%n",
            installedCount,
            desiredCount,
            of(Drift.Kind.MISSING).size(),
            of(Drift.Kind.MODIFIED).size(),
            of(Drift.Kind.EXTRANEOUS).size()));
    drifts.forEach(d -> sb.append(d.format(names)));
    groupDrifts.forEach(d -> sb.append(d.format(names)));
    return sb.toString();
  }
}
