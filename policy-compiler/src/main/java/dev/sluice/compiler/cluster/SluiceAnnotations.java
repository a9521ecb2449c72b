package dev.sluice.compiler.cluster;

/** The annotations Sluice reads (docs/design.md §2). Each overrides a value Sluice would derive. */
public final class SluiceAnnotations {

  /** On a Pod: the pod interface's MAC ({@code be:2c:bf:e4:ec:c5}); default derived from the IP. */
  public static final String MAC = "sluice.dev/mac";

  /** On a Pod: the OVS interface (port) name; default {@link Derivations#interfaceName}. */
  public static final String INTERFACE = "sluice.dev/interface";

  /** On a Node: the MAC of {@code antrea-gw0}; default {@link Derivations#gatewayMac}. */
  public static final String GATEWAY_MAC = "sluice.dev/gateway-mac";

  /**
   * On a Node: the OpenFlow datapath id of its {@code br-int}, hex with or without {@code 0x}
   * ({@code 0x00000000000000a1} or {@code a1}). Without it the controller matches switches to nodes
   * by other means (bridge {@code other-config:datapath-id} or configuration).
   */
  public static final String DATAPATH_ID = "sluice.dev/datapath-id";

  private SluiceAnnotations() {}
}
