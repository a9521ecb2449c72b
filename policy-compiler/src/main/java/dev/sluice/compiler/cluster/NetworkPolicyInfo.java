package dev.sluice.compiler.cluster;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code networking.k8s.io/v1} NetworkPolicy as an immutable tree, with upstream semantics.
 *
 * <h2>Semantics (Kubernetes API reference, "NetworkPolicySpec" and "NetworkPolicyPeer")</h2>
 *
 * <ul>
 *   <li>{@code podSelector} selects the pods the policy applies to, in the policy's namespace only.
 *       The empty selector {@code {}} (and an omitted one, which decodes to {@code {}}) selects
 *       every pod of the namespace.
 *   <li>{@code policyTypes}: when omitted (or empty) the API server implies {@code Ingress} always,
 *       plus {@code Egress} if and only if the policy has at least one egress rule. {@link
 *       #policyTypesImplied()} tells whether that default was applied.
 *   <li>A pod selected by any policy with type Ingress (Egress) is <em>isolated</em> for that
 *       direction: only traffic some rule of some such policy allows is allowed (policies are a
 *       union, never a subtraction). A policy of type Ingress with no ingress rules (omitted or
 *       {@code ingress: []}) therefore allows nothing in; a single empty rule {@code ingress: [{}]}
 *       allows everything in. Antrea's controller makes the "type present, no rules" case explicit
 *       by adding a rule with no peers (its {@code denyAllEgressRule}), which is the {@code
 *       conjunction(N,1/2)} with no second clause seen in the seed.
 *   <li>In a rule, omitted {@code from}/{@code to} and the empty list both mean "all sources /
 *       destinations" (any IP, in or outside the cluster); omitted {@code ports} and the empty list
 *       both mean "all ports and protocols". The model therefore represents both as an empty list:
 *       {@link PolicyRule#allowsAllPeers()}, {@link PolicyRule#allowsAllPorts()}.
 *   <li>A peer has either {@code ipBlock}, or at least one of {@code podSelector} / {@code
 *       namespaceSelector}:
 *       <ul>
 *         <li>only {@code podSelector}: matching pods in the policy's own namespace;
 *         <li>only {@code namespaceSelector}: all pods in matching namespaces ({@code {}} = every
 *             namespace);
 *         <li>both: matching pods in matching namespaces (one peer, AND; two list entries would be
 *             OR);
 *         <li>{@code ipBlock}: the {@code cidr} minus every {@code except} (each except must lie
 *             inside the cidr), see {@link IpBlock#effectiveCidrs()}.
 *       </ul>
 *       Presence is kept as {@link Optional}s, so {@code podSelector: {}} and an absent podSelector
 *       stay distinguishable.
 *   <li>A port has a {@code protocol} (default TCP), an optional {@code port} (absent = every port
 *       of that protocol) that is a number or a container-port name, and an optional {@code
 *       endPort} (only with a numeric port; range {@code port..endPort} inclusive).
 * </ul>
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param podSelector {@code spec.podSelector}
 * @param policyTypes effective policy types (after the implied default)
 * @param policyTypesImplied whether {@code spec.policyTypes} was omitted and the default applied
 * @param ingress {@code spec.ingress} rules, in manifest order
 * @param egress {@code spec.egress} rules, in manifest order
 */
public record NetworkPolicyInfo(
    String namespace,
    String name,
    LabelSelector podSelector,
    Set<PolicyType> policyTypes,
    boolean policyTypesImplied,
    List<PolicyRule> ingress,
    List<PolicyRule> egress) {

  /** Validates presence and copies collections. */
  public NetworkPolicyInfo {
    Names.requireName(namespace, "namespace");
    Names.requireName(name, "name");
    if (podSelector == null) {
      throw new IllegalArgumentException("podSelector is required ({} selects all pods)");
    }
    policyTypes =
        Collections.unmodifiableSet(
            policyTypes.isEmpty() ? EnumSet.noneOf(PolicyType.class) : EnumSet.copyOf(policyTypes));
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
  }

  /** The upstream default for an omitted {@code policyTypes}: Ingress, plus Egress if rules. */
  public static Set<PolicyType> impliedPolicyTypes(List<PolicyRule> egress) {
    return egress.isEmpty()
        ? EnumSet.of(PolicyType.INGRESS)
        : EnumSet.of(PolicyType.INGRESS, PolicyType.EGRESS);
  }

  /** {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  /** Whether the selected pods are isolated for ingress. */
  public boolean isolatesIngress() {
    return policyTypes.contains(PolicyType.INGRESS);
  }

  /** Whether the selected pods are isolated for egress. */
  public boolean isolatesEgress() {
    return policyTypes.contains(PolicyType.EGRESS);
  }

  /** {@code spec.policyTypes} values. */
  public enum PolicyType {
    INGRESS("Ingress"),
    EGRESS("Egress");

    private final String apiName;

    PolicyType(String apiName) {
      this.apiName = apiName;
    }

    /** The name as written in manifests. */
    public String apiName() {
      return apiName;
    }

    /**
     * Parses {@code Ingress} or {@code Egress} (exact case, as upstream).
     *
     * @throws IllegalArgumentException otherwise
     */
    public static PolicyType parse(String name) {
      for (PolicyType t : values()) {
        if (t.apiName.equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "unknown policy type '" + name + "' (expected Ingress or Egress)");
    }
  }

  /**
   * One ingress or egress rule. Traffic is allowed when it matches any peer (or there are no peers)
   * and any port (or there are no ports).
   *
   * @param peers {@code from} (ingress) or {@code to} (egress); empty = all
   * @param ports {@code ports}; empty = all
   */
  public record PolicyRule(List<Peer> peers, List<PolicyPort> ports) {
    /** Copies the lists. */
    public PolicyRule {
      peers = List.copyOf(peers);
      ports = List.copyOf(ports);
    }

    /** Whether the rule places no restriction on the remote end. */
    public boolean allowsAllPeers() {
      return peers.isEmpty();
    }

    /** Whether the rule places no restriction on ports. */
    public boolean allowsAllPorts() {
      return ports.isEmpty();
    }
  }

  /**
   * One {@code from}/{@code to} entry.
   *
   * @param podSelector {@code podSelector}, if present
   * @param namespaceSelector {@code namespaceSelector}, if present
   * @param ipBlock {@code ipBlock}, if present
   */
  public record Peer(
      Optional<LabelSelector> podSelector,
      Optional<LabelSelector> namespaceSelector,
      Optional<IpBlock> ipBlock) {

    /** Enforces upstream's rule: ipBlock alone, or at least one selector. */
    public Peer {
      if (podSelector == null || namespaceSelector == null || ipBlock == null) {
        throw new IllegalArgumentException("peer fields are Optionals, not null");
      }
      if (ipBlock.isPresent() && (podSelector.isPresent() || namespaceSelector.isPresent())) {
        throw new IllegalArgumentException(
            "ipBlock may not be combined with podSelector or namespaceSelector");
      }
      if (ipBlock.isEmpty() && podSelector.isEmpty() && namespaceSelector.isEmpty()) {
        throw new IllegalArgumentException(
            "a peer needs podSelector, namespaceSelector or ipBlock");
      }
    }

    /** A peer selecting pods in the policy's namespace. */
    public static Peer pods(LabelSelector podSelector) {
      return new Peer(Optional.of(podSelector), Optional.empty(), Optional.empty());
    }

    /** A peer selecting all pods of matching namespaces. */
    public static Peer namespaces(LabelSelector namespaceSelector) {
      return new Peer(Optional.empty(), Optional.of(namespaceSelector), Optional.empty());
    }

    /** A peer selecting matching pods in matching namespaces. */
    public static Peer podsInNamespaces(LabelSelector podSelector, LabelSelector nsSelector) {
      return new Peer(Optional.of(podSelector), Optional.of(nsSelector), Optional.empty());
    }

    /** An ipBlock peer. */
    public static Peer ipBlock(IpBlock block) {
      return new Peer(Optional.empty(), Optional.empty(), Optional.of(block));
    }

    /**
     * Whether a pod with {@code podLabels} in a namespace with {@code namespaceLabels} is selected,
     * for a policy in namespace {@code policyNamespace}. Always false for an ipBlock peer (which
     * matches addresses, not pods).
     */
    public boolean selectsPod(
        String policyNamespace,
        String podNamespace,
        java.util.Map<String, String> podLabels,
        java.util.Map<String, String> namespaceLabels) {
      if (ipBlock.isPresent()) {
        return false;
      }
      boolean namespaceOk =
          namespaceSelector.isPresent()
              ? namespaceSelector.get().matches(namespaceLabels)
              : policyNamespace.equals(podNamespace);
      return namespaceOk && podSelector.map(s -> s.matches(podLabels)).orElse(true);
    }
  }

  /**
   * An {@code ipBlock}.
   *
   * @param cidr {@code cidr}
   * @param except {@code except}; each must lie strictly inside {@code cidr}
   */
  public record IpBlock(Ipv4Cidr cidr, List<Ipv4Cidr> except) {
    /** Validates that each except is a strict sub-block of the cidr (upstream validation). */
    public IpBlock {
      if (cidr == null) {
        throw new IllegalArgumentException("cidr is required");
      }
      except = List.copyOf(except);
      for (Ipv4Cidr e : except) {
        if (!cidr.contains(e) || e.equals(cidr)) {
          throw new IllegalArgumentException(
              "except " + e + " is not a strict subset of cidr " + cidr);
        }
      }
    }

    /** {@code cidr} minus the excepts, as the minimal sorted list of CIDRs. */
    public List<Ipv4Cidr> effectiveCidrs() {
      return cidr.subtract(except);
    }
  }

  /**
   * One {@code ports} entry.
   *
   * @param protocol {@code protocol} (TCP when omitted)
   * @param port {@code port}, a number or a container-port name; empty = all ports
   * @param endPort {@code endPort}: the inclusive end of a range starting at a numeric port
   */
  public record PolicyPort(Protocol protocol, Optional<PortRef> port, Optional<Integer> endPort) {
    /** Enforces upstream's endPort rules. */
    public PolicyPort {
      if (protocol == null || port == null || endPort == null) {
        throw new IllegalArgumentException("protocol, port and endPort must not be null");
      }
      if (endPort.isPresent()) {
        if (port.isEmpty() || !(port.get() instanceof PortRef.Number start)) {
          throw new IllegalArgumentException("endPort requires a numeric port");
        }
        int end = endPort.get();
        if (end < start.port() || end > 65535) {
          throw new IllegalArgumentException(
              "endPort " + end + " must be in " + start.port() + "..65535");
        }
      }
    }

    /** A single numeric port. */
    public static PolicyPort of(Protocol protocol, int port) {
      return new PolicyPort(protocol, Optional.of(PortRef.of(port)), Optional.empty());
    }
  }
}
