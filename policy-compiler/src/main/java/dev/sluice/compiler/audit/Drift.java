package dev.sluice.compiler.audit;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.pipeline.Provenance;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One difference between a switch and the desired state.
 *
 * @param kind what is wrong
 * @param desired the flow that should be there (null for extraneous flows)
 * @param installed the flow that is there (null for missing flows)
 * @param origins what produced the flow, from its cookie (the desired flow's for missing and
 *     modified flows, the installed flow's for extraneous ones; empty for foreign flows)
 * @param reason a sentence for people, e.g. "cookie 0x0 is not Sluice's"
 */
public record Drift(
    Kind kind,
    @Nullable Flow desired,
    @Nullable Flow installed,
    List<Provenance.Origin> origins,
    String reason) {

  /** The classes of drift. */
  public enum Kind {
    /** Desired but not on the switch (deleted behind Sluice's back, or never installed). */
    MISSING,
    /** On the switch but not desired: a foreign cookie, or one of ours that is stale. */
    EXTRANEOUS,
    /** Same table, priority and match, but other actions, cookie or timeouts. */
    MODIFIED
  }

  public Drift {
    origins = List.copyOf(origins);
  }

  /** The flow this drift is about (the installed one when there is one). */
  public Flow flow() {
    Flow f = installed != null ? installed : desired;
    if (f == null) {
      throw new IllegalStateException("a drift has at least one flow");
    }
    return f;
  }

  /** Multi-line text: the kind, the flow(s) in ovs-ofctl syntax, the provenance. */
  public String format(PortNames names) {
    StringBuilder sb = new StringBuilder();
    sb.append(kind.name().toLowerCase(java.util.Locale.ROOT))
        .append(": ")
        .append(reason)
        .append('\n');
    if (kind == Kind.MODIFIED) {
      sb.append("  want: ").append(FlowText.format(desired, names)).append('\n');
      sb.append("  have: ").append(FlowText.format(installed, names)).append('\n');
    } else {
      sb.append("  ").append(FlowText.format(flow(), names)).append('\n');
    }
    for (Provenance.Origin o : origins) {
      sb.append("  from: ").append(o).append('\n');
    }
    return sb.toString();
  }
}
