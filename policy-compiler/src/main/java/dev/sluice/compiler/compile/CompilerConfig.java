package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.Ipv4Cidr;
import dev.sluice.compiler.pipeline.Marks;

/**
 * Cluster-wide compiler settings.
 *
 * @param round the cookie round (bits 48..63): the seed's flows are round 1
 * @param serviceCidr the Service CIDR sent to the gateway in table 40 (kube-proxy mode); default
 *     {@code 10.96.0.0/12}
 * @param maxMessageBytes the largest OpenFlow message a flow may need; a merged clause flow whose
 *     flow_mod would be larger is split (65,535 on the wire; smaller values exercise splitting in
 *     tests)
 */
public record CompilerConfig(int round, Ipv4Cidr serviceCidr, int maxMessageBytes) {

  /** The OpenFlow length field is 16 bits. */
  public static final int OPENFLOW_MAX_MESSAGE = 65_535;

  /** Validates ranges. */
  public CompilerConfig {
    if (round < 0 || round > 0xffff) {
      throw new IllegalArgumentException("round " + round + " is not 16-bit");
    }
    if (maxMessageBytes < 256 || maxMessageBytes > OPENFLOW_MAX_MESSAGE) {
      throw new IllegalArgumentException("maxMessageBytes must be 256..65535");
    }
  }

  /** Round 1, Service CIDR 10.96.0.0/12, 65,535-byte messages: the seed's setup. */
  public static CompilerConfig defaults() {
    return new CompilerConfig(1, Marks.DEFAULT_SERVICE_CIDR, OPENFLOW_MAX_MESSAGE);
  }

  /** The same config with another Service CIDR. */
  public CompilerConfig withServiceCidr(Ipv4Cidr cidr) {
    return new CompilerConfig(round, cidr, maxMessageBytes);
  }

  /** The same config with another message limit. */
  public CompilerConfig withMaxMessageBytes(int bytes) {
    return new CompilerConfig(round, serviceCidr, bytes);
  }
}
