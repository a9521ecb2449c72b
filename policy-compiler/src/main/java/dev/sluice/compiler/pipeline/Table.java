package dev.sluice.compiler.pipeline;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Match;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The tables of {@code br-int}, declared once, in pipeline order, each with its table-miss action
 * (Antrea v0.9–v1.0 {@code pkg/agent/openflow/pipeline.go} without the Antrea-native policy tables
 * 45–49 and 85–89, which the seed's cluster does not use).
 *
 * <pre>
 *  id  name               miss                what the table does
 *   0  Classifier         drop                reg0[0..15] = where the packet came from
 *  10  SpoofGuard         drop                pod IP/MAC and ARP sender checks
 *  20  ARPResponder       drop                answer ARP for remote gateways with the virtual MAC
 *  30  Conntrack          (none: one flow)    ct(table=31, zone=65520)
 *  31  ConntrackState     resubmit(,40)       replies of gateway connections, drop invalid
 *  40  DNAT               resubmit(,50)       Service CIDR to the gateway (kube-proxy mode)
 *  50  EgressRule         resubmit(,60)       NetworkPolicy egress conjunctions
 *  60  EgressDefault      resubmit(,70)       egress isolation drops
 *  70  L3Forwarding       resubmit(,80)       routing: local pods, remote pod CIDRs, gateway
 *  80  L2ForwardingCalc   resubmit(,90)       dl_dst to reg1 (output port)
 *  90  IngressRule        resubmit(,100)      NetworkPolicy ingress conjunctions
 * 100  IngressDefault     resubmit(,105)      ingress isolation drops
 * 105  ConntrackCommit    resubmit(,110)      commit new connections (ct_mark 0x20 from gw0)
 * 110  L2ForwardingOut    drop                output:NXM_NX_REG1[] when reg0[16] is set
 * </pre>
 */
public enum Table {
  CLASSIFIER(0, "Classifier", Miss.DROP),
  SPOOF_GUARD(10, "SpoofGuard", Miss.DROP),
  ARP_RESPONDER(20, "ARPResponder", Miss.DROP),
  CONNTRACK(30, "Conntrack", Miss.NONE),
  CONNTRACK_STATE(31, "ConntrackState", Miss.NEXT),
  DNAT(40, "DNAT", Miss.NEXT),
  EGRESS_RULE(50, "EgressRule", Miss.NEXT),
  EGRESS_DEFAULT(60, "EgressDefault", Miss.NEXT),
  L3_FORWARDING(70, "L3Forwarding", Miss.NEXT),
  L2_FORWARDING_CALC(80, "L2ForwardingCalc", Miss.NEXT),
  INGRESS_RULE(90, "IngressRule", Miss.NEXT),
  INGRESS_DEFAULT(100, "IngressDefault", Miss.NEXT),
  CONNTRACK_COMMIT(105, "ConntrackCommit", Miss.NEXT),
  L2_FORWARDING_OUT(110, "L2ForwardingOut", Miss.DROP);

  /** What a packet that matches no flow of the table does. */
  public enum Miss {
    /** Priority-0 flow with no actions. */
    DROP,
    /** Priority-0 flow {@code resubmit(,next)}. */
    NEXT,
    /** No miss flow (the table has a catch-all of its own or is never missed). */
    NONE
  }

  /** Priority of every table-miss flow. */
  public static final int PRIORITY_MISS = 0;

  private final int id;
  private final String displayName;
  private final Miss miss;

  Table(int id, String displayName, Miss miss) {
    this.id = id;
    this.displayName = displayName;
    this.miss = miss;
  }

  /** The OpenFlow table number. */
  public int id() {
    return id;
  }

  /** Antrea's name for the table. */
  public String displayName() {
    return displayName;
  }

  /** The table-miss behaviour. */
  public Miss miss() {
    return miss;
  }

  /** The next table in pipeline order, or null for the last one. */
  public @Nullable Table next() {
    int i = ordinal() + 1;
    return i < values().length ? values()[i] : null;
  }

  /** {@code resubmit(,id)}: how every Antrea flow continues to this table. */
  public Action.Resubmit resubmit() {
    return Action.Resubmit.toTable(id);
  }

  /** The table-miss flow with {@code cookie}, or null when the table has none. */
  public @Nullable Flow missFlow(long cookie) {
    return switch (miss) {
      case NONE -> null;
      case DROP -> Flow.of(id, PRIORITY_MISS, cookie, Match.any(), List.of());
      case NEXT -> {
        Table n = next();
        if (n == null) {
          throw new IllegalStateException(this + " is last and cannot miss to the next table");
        }
        yield Flow.of(id, PRIORITY_MISS, cookie, Match.any(), List.of(n.resubmit()));
      }
    };
  }

  /** The table with OpenFlow number {@code id}. */
  public static Table byId(int id) {
    for (Table t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    throw new IllegalArgumentException("no pipeline table " + id);
  }
}
