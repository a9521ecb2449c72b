package dev.sluice.compiler.audit;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Cookie;
import dev.sluice.compiler.pipeline.Provenance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what a switch holds with what it should hold. Conjunction clause flows carry no
 * statistics in OVS, so everything is compared structurally: table, priority, match, actions,
 * cookie and timeouts, never counters.
 */
public final class FlowAudit {
  private FlowAudit() {}

  /**
   * The drift of {@code installed} from {@code desired}, sorted by kind then flow key.
   *
   * @param provenance maps cookies of desired flows (and of Sluice's stale flows, when still known)
   *     to the objects behind them
   */
  public static AuditReport audit(
      Collection<Flow> installed, Collection<Flow> desired, Provenance provenance) {
    TableChanges diff = TableChanges.between(installed, List.of(), desired, List.of());
    Map<Flow.Key, Flow> have = new HashMap<>();
    installed.forEach(f -> have.put(f.key(), f));
    List<Drift> drifts = new ArrayList<>();
    // A flow whose cookie differs is an add in the repair bundle (OVS keeps the cookie on a
    // modify), but on the switch it is there, modified.
    for (Flow f : diff.flowAdds()) {
      Flow old = have.get(f.key());
      if (old == null) {
        drifts.add(
            new Drift(Drift.Kind.MISSING, f, null, origins(f, provenance), "not on the switch"));
      } else {
        drifts.add(
            new Drift(Drift.Kind.MODIFIED, f, old, origins(f, provenance), differences(f, old)));
      }
    }
    for (Flow f : diff.flowModifies()) {
      Flow old = have.get(f.key());
      drifts.add(
          new Drift(Drift.Kind.MODIFIED, f, old, origins(f, provenance), differences(f, old)));
    }
    for (Flow f : diff.flowDeletes()) {
      boolean ours = isOurs(f.cookie());
      String reason =
          ours
              ? "cookie 0x"
                  + Long.toHexString(f.cookie())
                  + " is Sluice's, but the flow is not desired"
              : "cookie 0x" + Long.toHexString(f.cookie()) + " is not Sluice's";
      drifts.add(
          new Drift(
              Drift.Kind.EXTRANEOUS, null, f, ours ? origins(f, provenance) : List.of(), reason));
    }
    return new AuditReport(installed.size(), desired.size(), drifts);
  }

  /**
   * The drift of a switch's flows and groups from the desired ones.
   *
   * @see #audit(Collection, Collection, Provenance)
   * @see GroupDrift#between
   */
  public static AuditReport audit(
      Collection<Flow> installed,
      Collection<Group> installedGroups,
      Collection<Flow> desired,
      Collection<Group> desiredGroups,
      Provenance provenance) {
    return audit(installed, desired, provenance)
        .withGroups(GroupDrift.between(installedGroups, desiredGroups));
  }

  /** Whether a cookie was made by Sluice: a non-zero round and a known category. */
  public static boolean isOurs(long cookie) {
    if ((cookie & Cookie.ROUND_MASK) == 0) {
      return false;
    }
    int category = (int) ((cookie & Cookie.CATEGORY_MASK) >>> 40);
    for (Cookie.Category c : Cookie.Category.values()) {
      if (c.code() == category) {
        return true;
      }
    }
    return false;
  }

  private static List<Provenance.Origin> origins(Flow f, Provenance provenance) {
    return List.copyOf(provenance.origins(f.cookie()));
  }

  private static String differences(Flow want, Flow have) {
    List<String> what = new ArrayList<>();
    if (!want.actions().equals(have.actions())) {
      what.add("actions");
    }
    if (want.cookie() != have.cookie()) {
      what.add(
          "cookie (0x"
              + Long.toHexString(have.cookie())
              + " instead of 0x"
              + Long.toHexString(want.cookie())
              + ")");
    }
    if (want.idleTimeout() != have.idleTimeout() || want.hardTimeout() != have.hardTimeout()) {
      what.add("timeouts");
    }
    return "same table, priority and match; other " + String.join(", ", what);
  }
}
