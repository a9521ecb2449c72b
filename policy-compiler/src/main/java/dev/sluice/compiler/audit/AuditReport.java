package dev.sluice.compiler.audit;

import dev.sluice.compiler.flow.PortNames;
import java.util.Comparator;
import java.util.List;

/**
 * The outcome of one audit of one switch.
 *
 * @param installedCount flows on the switch
 * @param desiredCount flows that should be there
 * @param drifts every difference, missing first, then modified, then extraneous
 */
public record AuditReport(int installedCount, int desiredCount, List<Drift> drifts) {
  public AuditReport {
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

  public boolean isClean() {
    return drifts.isEmpty();
  }

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
    return sb.toString();
  }
}
