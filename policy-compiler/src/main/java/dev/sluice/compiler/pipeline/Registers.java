package dev.sluice.compiler.pipeline;

import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.SubField;

/**
 * The registers of the pipeline as named bit ranges (Antrea {@code pkg/agent/openflow/fields.go} of
 * the v0.9–v1.0 era). Each constant lists its bits and every legal value; docs/design.md §4 holds
 * the same table.
 *
 * <pre>
 * range                     name            values
 * reg0[0..15]               SOURCE          0 tunnel, 1 gateway, 2 local pod        (table 0)
 * reg0[16]                  DST_KNOWN       1 = reg1 holds the output port          (40, 70, 80)
 * reg0[19]                  MAC_REWRITE     1 = came from the tunnel, rewrite MACs  (table 0)
 * reg1                      OUT_PORT        OpenFlow port for output:NXM_NX_REG1[]  (40, 70, 80)
 * reg5                      EGRESS_CONJ     conj_id of the egress rule that allowed (table 50)
 * reg6                      INGRESS_CONJ    conj_id of the ingress rule that allowed(table 90)
 * reg9[28..31]              TRACEFLOW       Traceflow data-plane tag, from tun_metadata0[28..31]
 * </pre>
 */
public final class Registers {
  private Registers() {}

  /** reg0[0..15]: where the packet entered: {@link #FROM_TUNNEL}, {@link #FROM_GATEWAY}, … */
  public static final SubField SOURCE = SubField.range(MatchField.REG0, 0, 15);

  /** {@link #SOURCE} value: arrived through {@code antrea-tun0}. */
  public static final long FROM_TUNNEL = 0;

  /** {@link #SOURCE} value: arrived through {@code antrea-gw0}. */
  public static final long FROM_GATEWAY = 1;

  /** {@link #SOURCE} value: arrived from a local pod's port. */
  public static final long FROM_LOCAL_POD = 2;

  /** reg0[16]: 1 when the output port is known (table 110 outputs only then). */
  public static final SubField DST_KNOWN = SubField.bit(MatchField.REG0, 16);

  /** reg0[19]: 1 when the packet came from the tunnel and its MACs must be rewritten. */
  public static final SubField MAC_REWRITE = SubField.bit(MatchField.REG0, 19);

  /** reg1: the output OpenFlow port, consumed by {@code output:NXM_NX_REG1[]}. */
  public static final SubField OUT_PORT = SubField.whole(MatchField.REG1);

  /** reg5: conj_id of the egress rule that allowed the packet (audit, trace); 0 = none. */
  public static final SubField EGRESS_CONJ = SubField.whole(MatchField.REG5);

  /** reg6: conj_id of the ingress rule that allowed the packet (audit, trace); 0 = none. */
  public static final SubField INGRESS_CONJ = SubField.whole(MatchField.REG6);

  /** reg9[28..31]: the Traceflow tag, carried between nodes in tun_metadata0[28..31]. */
  public static final SubField TRACEFLOW = SubField.range(MatchField.REG9, 28, 31);

  /** tun_metadata0[28..31]: where the Traceflow tag travels in the Geneve header. */
  public static final SubField TUNNEL_TRACEFLOW = SubField.range(MatchField.TUN_METADATA0, 28, 31);
}
