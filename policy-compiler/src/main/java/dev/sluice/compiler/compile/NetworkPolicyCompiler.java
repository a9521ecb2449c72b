package dev.sluice.compiler.compile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.compiler.cluster.Ipv4Cidr;
import dev.sluice.compiler.cluster.LabelSelector;
import dev.sluice.compiler.cluster.NetworkPolicyInfo;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.Peer;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyPort;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyRule;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyType;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.PortRef;
import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.pipeline.Cookie;
import dev.sluice.compiler.pipeline.Cookie.Category;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.compiler.pipeline.Registers;
import dev.sluice.compiler.pipeline.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Kubernetes NetworkPolicy → Antrea conjunctive flows in tables 50/60 (egress) and 90/100
 * (ingress).
 *
 * <h2>Semantics (upstream {@code networking.k8s.io/v1}, see {@link NetworkPolicyInfo})</h2>
 *
 * <ul>
 *   <li>A policy selects pods of its own namespace with {@code podSelector} ({@code {}} = all).
 *   <li>policyTypes absent: Ingress always, Egress iff {@code spec.egress} is present. Rules of a
 *       direction not in policyTypes have no effect.
 *   <li>A pod is isolated for a direction iff some policy selecting it has that type: one drop flow
 *       per such local pod ({@code ip,nw_src=IP} in 60, {@code ip,reg1=PORT} in 100). What is
 *       allowed is the union of the rules of every policy selecting it.
 *   <li>A policy isolating a direction without rules ({@code ingress: []} or absent) allows
 *       nothing: compiled, as Antrea's controller does, into a deny-all rule (index -1) whose peer
 *       clause has no flows, so only its applied-to clause and conj_id flow appear (the seed's
 *       {@code conjunction(5,1/2)}).
 *   <li>Absent or empty {@code from}/{@code to}: every address ({@code ip}, i.e. 0.0.0.0/0). Absent
 *       or empty {@code ports}: every port (no services clause).
 *   <li>Peer podSelector only: matching pods of the policy's namespace; namespaceSelector only: all
 *       pods of matching namespaces; both in one peer: matching pods in matching namespaces (AND);
 *       separate peers: union (OR). ipBlock: the CIDR minus {@code except} as a minimal CIDR list.
 *   <li>Ports: protocol TCP/UDP/SCTP; a numeric port, a range {@code port..endPort} (minimal
 *       value/mask blocks, {@link PortRange#matches()}), protocol only, or a named port. A named
 *       port is resolved per pod: for ingress against each applied-to pod's container ports, for
 *       egress against each destination pod's. Pods are grouped by their resolved port set and each
 *       group gets its own conj_id; addresses that are not pods (ipBlocks, "everything") only get
 *       the numeric ports. Egress to "everything" with a named port therefore also resolves the
 *       name on every pod of the cluster.
 *   <li>Services: in kube-proxy mode the packet reaching table 50 is already DNAT'ed to a backend
 *       pod, so egress to a Service is decided by the rules matching its backend pods' IPs and
 *       target ports; nothing Service-specific is compiled.
 * </ul>
 *
 * <h2>Flows (Antrea {@code network_policy.go}, v0.9)</h2>
 *
 * One conj_id per rule and resolved named-port group. Clauses in the order from, to, services,
 * counting only present ones (services only with ports). Ingress: from = peers by {@code nw_src},
 * to = local applied-to pods by {@code reg1} (OF port). Egress: from = local applied-to pods by
 * {@code nw_src}, to = peers by {@code nw_dst}. Clause flows at priority 200 carry {@code
 * conjunction(id,k/n)} (merged across rules by {@link FlowMerger}); the conj_id flow at 190 loads
 * reg5 (egress) or reg6 (ingress) and continues to table 70 / 105. A node only gets the rules that
 * apply to at least one of its pods.
 */
final class NetworkPolicyCompiler {
  private NetworkPolicyCompiler() {}

  static final int PRIORITY_CLAUSE = 200;
  static final int PRIORITY_CONJ = 190;
  static final int PRIORITY_DROP = 200;

  /** The direction of a rule. */
  public enum Direction {
    /** From peers to the applied-to pods; tables 90/100. */
    INGRESS("ingress", Table.INGRESS_RULE, Table.INGRESS_DEFAULT, Table.CONNTRACK_COMMIT),
    /** From the applied-to pods to peers; tables 50/60. */
    EGRESS("egress", Table.EGRESS_RULE, Table.EGRESS_DEFAULT, Table.L3_FORWARDING);

    private final String text;
    private final Table ruleTable;
    private final Table defaultTable;
    private final Table allowTo;

    Direction(String text, Table ruleTable, Table defaultTable, Table allowTo) {
      this.text = text;
      this.ruleTable = ruleTable;
      this.defaultTable = defaultTable;
      this.allowTo = allowTo;
    }

    /** {@code ingress} / {@code egress}. */
    public String text() {
      return text;
    }

    /** Where its clause and conj_id flows go. */
    public Table ruleTable() {
      return ruleTable;
    }

    /** Where its isolation drops go. */
    public Table defaultTable() {
      return defaultTable;
    }

    PolicyType policyType() {
      return this == INGRESS ? PolicyType.INGRESS : PolicyType.EGRESS;
    }
  }

  /**
   * The identity of one compiled rule unit: policy, direction, rule index (-1 = deny-all).
   *
   * @param policy the NetworkPolicy
   * @param direction the direction
   * @param index the rule index, -1 for the implied deny-all rule
   */
  record RuleId(ObjectKey policy, Direction direction, int index) implements Comparable<RuleId> {
    /** Checks the policy is a NetworkPolicy. */
    RuleId {
      if (policy.kind() != ObjectKind.NETWORK_POLICY) {
        throw new IllegalArgumentException("not a NetworkPolicy: " + policy);
      }
    }

    /** Policy text ({@code namespace/name}), then direction, then index. */
    @Override
    public int compareTo(RuleId o) {
      int c = Unit.compareText(policy, o.policy);
      if (c == 0) {
        c = direction.compareTo(o.direction);
      }
      return c != 0 ? c : Integer.compare(index, o.index);
    }

    /** {@code namespace/name/direction/index}: the stem of the rule's conj keys. */
    @Override
    public String toString() {
      return policy.key() + "/" + direction.text() + "/" + index;
    }
  }

  /**
   * One conjunction of a rule: a resolved port group.
   *
   * @param conjKey the allocator key: {@code rule id + "/" + portGroup}
   * @param portGroup canonical resolved ports when the rule has named ports, else {@code ""}
   * @param appliedTo applied-to pods (cluster-wide; each node uses its local ones)
   * @param peers peer addresses as CIDRs (/32 for pods; 0.0.0.0/0 for everything)
   * @param ports the services clause; empty = no services clause
   */
  public record Conj(
      String conjKey,
      String portGroup,
      List<PodInfo> appliedTo,
      SortedSet<Ipv4Cidr> peers,
      SortedSet<PortRange> ports) {}

  /**
   * The id-independent part of a compiled rule.
   *
   * @param id the rule
   * @param conjs its conjunctions, by conj key
   */
  public record RulePlan(RuleId id, List<Conj> conjs) {}

  /** The rule units of {@code policy} (empty when it isolates nothing). */
  public static List<RuleId> ruleIds(NetworkPolicyInfo policy) {
    List<RuleId> out = new ArrayList<>();
    ObjectKey key = new ObjectKey(ObjectKind.NETWORK_POLICY, policy.namespace(), policy.name());
    for (Direction d : Direction.values()) {
      if (!policy.policyTypes().contains(d.policyType())) {
        continue;
      }
      List<PolicyRule> rules = rules(policy, d);
      if (rules.isEmpty()) {
        out.add(new RuleId(key, d, -1));
      }
      for (int i = 0; i < rules.size(); i++) {
        out.add(new RuleId(key, d, i));
      }
    }
    return out;
  }

  static List<PolicyRule> rules(NetworkPolicyInfo p, Direction d) {
    return d == Direction.INGRESS ? p.ingress() : p.egress();
  }

  /** The pods {@code policy} applies to, sorted by name. */
  public static List<PodInfo> appliedTo(NetworkPolicyInfo policy, ClusterView view) {
    return view.podsMatching(policy.namespace(), policy.podSelector());
  }

  /** Whether {@code policy} selects {@code pod}. */
  public static boolean selects(NetworkPolicyInfo policy, PodInfo pod) {
    return policy.namespace().equals(pod.namespace()) && policy.podSelector().matches(pod.labels());
  }

  /** Plans one rule. */
  public static RulePlan plan(NetworkPolicyInfo policy, RuleId id, ClusterView view) {
    return plan(policy, id, view, appliedTo(policy, view));
  }

  /** Plans one rule whose policy applies to {@code applied} ({@link #appliedTo}, computed once). */
  static RulePlan plan(
      NetworkPolicyInfo policy, RuleId id, ClusterView view, List<PodInfo> applied) {
    if (id.index() < 0) {
      return new RulePlan(
          id, List.of(new Conj(id + "/", "", applied, new TreeSet<>(), new TreeSet<>())));
    }
    PolicyRule rule = rules(policy, id.direction()).get(id.index());
    boolean named =
        rule.ports().stream()
            .anyMatch(p -> p.port().isPresent() && p.port().get() instanceof PortRef.Named);
    SortedSet<PortRange> numeric = new TreeSet<>();
    for (PolicyPort p : rule.ports()) {
      if (p.port().isEmpty()) {
        numeric.add(PortRange.any(p.protocol()));
      } else if (p.port().get() instanceof PortRef.Number n) {
        numeric.add(new PortRange(p.protocol(), n.port(), p.endPort().orElse(n.port())));
      }
    }
    // Peer addresses: non-pod CIDRs and pods.
    SortedSet<Ipv4Cidr> cidrs = new TreeSet<>();
    TreeMap<String, PodInfo> peerPods = new TreeMap<>();
    if (rule.allowsAllPeers()) {
      cidrs.add(Ipv4Cidr.parse("0.0.0.0/0"));
      if (named && id.direction() == Direction.EGRESS) {
        for (String ns : view.podNamespaces()) {
          view.podsIn(ns).forEach(p -> peerPods.put(p.key(), p));
        }
      }
    } else {
      for (Peer peer : rule.peers()) {
        if (peer.ipBlock().isPresent()) {
          cidrs.addAll(peer.ipBlock().get().effectiveCidrs());
        } else {
          peerPods(policy.namespace(), peer, view).forEach(p -> peerPods.put(p.key(), p));
        }
      }
    }
    if (!named) {
      SortedSet<Ipv4Cidr> peers = new TreeSet<>(cidrs);
      peerPods.values().forEach(p -> peers.add(Ipv4Cidr.host(p.ip())));
      return new RulePlan(id, List.of(new Conj(id + "/", "", applied, peers, numeric)));
    }
    // Named ports: group by resolved port set.
    Map<SortedSet<PortRange>, Conj> groups = new TreeMap<>(NetworkPolicyCompiler::compareSets);
    if (id.direction() == Direction.INGRESS) {
      SortedSet<Ipv4Cidr> peers = new TreeSet<>(cidrs);
      peerPods.values().forEach(p -> peers.add(Ipv4Cidr.host(p.ip())));
      Map<SortedSet<PortRange>, List<PodInfo>> byPorts =
          new TreeMap<>(NetworkPolicyCompiler::compareSets);
      for (PodInfo target : applied) {
        SortedSet<PortRange> s = resolve(rule, numeric, target);
        if (!s.isEmpty()) {
          byPorts.computeIfAbsent(s, k -> new ArrayList<>()).add(target);
        }
      }
      byPorts.forEach(
          (s, pods) -> groups.put(s, new Conj(id + "/" + key(s), key(s), pods, peers, s)));
    } else {
      Map<SortedSet<PortRange>, SortedSet<Ipv4Cidr>> byPorts =
          new TreeMap<>(NetworkPolicyCompiler::compareSets);
      if (!numeric.isEmpty() && !cidrs.isEmpty()) {
        byPorts.put(numeric, new TreeSet<>(cidrs));
      }
      for (PodInfo dst : peerPods.values()) {
        SortedSet<PortRange> s = resolve(rule, numeric, dst);
        if (s.isEmpty() || (s.equals(numeric) && rule.allowsAllPeers())) {
          continue; // no port, or already allowed by the match-all group
        }
        byPorts.computeIfAbsent(s, k -> new TreeSet<>()).add(Ipv4Cidr.host(dst.ip()));
      }
      byPorts.forEach(
          (s, peers) -> groups.put(s, new Conj(id + "/" + key(s), key(s), applied, peers, s)));
    }
    return new RulePlan(id, List.copyOf(groups.values()));
  }

  private static SortedSet<PortRange> resolve(
      PolicyRule rule, SortedSet<PortRange> numeric, PodInfo pod) {
    SortedSet<PortRange> s = new TreeSet<>(numeric);
    for (PolicyPort p : rule.ports()) {
      if (p.port().isPresent() && p.port().get() instanceof PortRef.Named n) {
        pod.resolveNamedPort(n.name(), p.protocol())
            .ifPresent(v -> s.add(PortRange.single(p.protocol(), v)));
      }
    }
    return s;
  }

  private static String key(SortedSet<PortRange> s) {
    return s.stream().map(PortRange::toString).collect(Collectors.joining(","));
  }

  private static int compareSets(SortedSet<PortRange> a, SortedSet<PortRange> b) {
    return key(a).compareTo(key(b));
  }

  /** Pods selected by one selector peer of a policy in {@code policyNamespace}. */
  static List<PodInfo> peerPods(String policyNamespace, Peer peer, ClusterView view) {
    List<PodInfo> out = new ArrayList<>();
    Collection<String> namespaces =
        peer.namespaceSelector().isPresent()
            ? view.podNamespaces().stream()
                .filter(ns -> peer.namespaceSelector().get().matches(view.namespace(ns).labels()))
                .toList()
            : List.of(policyNamespace);
    LabelSelector podSel = peer.podSelector().orElse(LabelSelector.everything());
    for (String ns : namespaces) {
      out.addAll(view.podsMatching(ns, podSel));
    }
    return out;
  }

  /**
   * The flows of a planned rule on every node that hosts one of its applied-to pods.
   *
   * @param conjIds conj key → conj_id
   * @return node → flows (clause flows of one rule already merged per key)
   */
  public static Map<String, List<Flow>> emit(
      RulePlan plan, Map<String, Long> conjIds, ClusterView view, int round) {
    Direction d = plan.id().direction();
    Table table = d.ruleTable();
    // node -> key -> flow
    Map<String, LinkedHashMap<Flow.Key, Flow>> byNode = new TreeMap<>();
    for (Conj conj : plan.conjs()) {
      Long idBoxed = conjIds.get(conj.conjKey());
      if (idBoxed == null) {
        throw new IllegalStateException("no conj_id for " + conj.conjKey());
      }
      long id = idBoxed;
      long cookie = Cookie.of(round, Category.POLICY, id);
      int n = conj.ports().isEmpty() ? 2 : 3;
      Map<String, List<PodInfo>> local = new TreeMap<>();
      for (PodInfo p : conj.appliedTo()) {
        local.computeIfAbsent(p.nodeName(), k -> new ArrayList<>()).add(p);
      }
      for (Map.Entry<String, List<PodInfo>> e : local.entrySet()) {
        List<Match> applied = new ArrayList<>();
        for (PodInfo p : e.getValue()) {
          if (d == Direction.INGRESS) {
            OptionalLong port = view.port(p);
            if (port.isPresent()) {
              applied.add(ipMatch(MatchField.REG1, port.getAsLong(), -1));
            }
          } else if (view.port(p).isPresent()) {
            applied.add(ipMatch(MatchField.IPV4_SRC, p.ip().toLong(), -1));
          }
        }
        if (applied.isEmpty()) {
          continue;
        }
        MatchField peerField = d == Direction.INGRESS ? MatchField.IPV4_SRC : MatchField.IPV4_DST;
        List<Match> peers = conj.peers().stream().map(c -> cidrMatch(peerField, c)).toList();
        List<Match> from = d == Direction.INGRESS ? peers : applied;
        List<Match> to = d == Direction.INGRESS ? applied : peers;
        LinkedHashMap<Flow.Key, Flow> flows =
            byNode.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>());
        addClause(flows, table, cookie, from, new Action.Conjunction(id, 1, n));
        addClause(flows, table, cookie, to, new Action.Conjunction(id, 2, n));
        if (n == 3) {
          List<Match> svc = new ArrayList<>();
          conj.ports().forEach(r -> svc.addAll(r.matches()));
          addClause(flows, table, cookie, svc, new Action.Conjunction(id, 3, n));
        }
        Flow conjFlow =
            Flow.of(
                table.id(),
                PRIORITY_CONJ,
                cookie,
                Match.builder().exact(MatchField.CONJ_ID, id).ip().build(),
                List.of(
                    new Action.Load(
                        d == Direction.INGRESS ? Registers.INGRESS_CONJ : Registers.EGRESS_CONJ,
                        id),
                    d.allowTo.resubmit()));
        flows.put(conjFlow.key(), conjFlow);
      }
    }
    Map<String, List<Flow>> out = new TreeMap<>();
    byNode.forEach((node, flows) -> out.put(node, List.copyOf(flows.values())));
    return out;
  }

  private static void addClause(
      Map<Flow.Key, Flow> flows,
      Table table,
      long cookie,
      List<Match> matches,
      Action.Conjunction c) {
    for (Match m : matches) {
      Flow f = Flow.of(table.id(), PRIORITY_CLAUSE, cookie, m, List.of(c));
      flows.merge(f.key(), f, FlowMerger::mergeConjunctions);
    }
  }

  static Match cidrMatch(MatchField field, Ipv4Cidr c) {
    return c.prefix() == 0
        ? ipMatch(field, 0, 0)
        : ipMatch(field, c.network().toLong(), c.netmask().toLong());
  }

  /**
   * {@code ip,FIELD=VALUE/MASK} ({@code mask} -1: exact; 0: just {@code ip}), shared: every rule
   * that names an address or port contributes its own clause flow for it, so without sharing a
   * cluster holds one identical match per (rule, address) — most of a cold compile's heap.
   */
  static Match ipMatch(MatchField field, long value, long mask) {
    return CLAUSE_MATCHES.get(
        new ClauseMatchKey(field, value, mask),
        k -> {
          Match.Builder b = Match.builder().ip();
          if (k.mask() == -1) {
            b.exact(k.field(), k.value());
          } else if (k.mask() != 0) {
            b.masked(k.field(), k.value(), k.mask());
          }
          return b.build();
        });
  }

  private record ClauseMatchKey(MatchField field, long value, long mask) {}

  /**
   * Immutable matches, so sharing them is invisible; bounded, so a huge cluster only shares less.
   */
  private static final Cache<ClauseMatchKey, Match> CLAUSE_MATCHES =
      Caffeine.newBuilder().maximumSize(1 << 18).build();

  /** The provenance of the conjunctions of a planned rule. */
  public static List<Provenance.Origin> origins(RulePlan plan, Map<String, Long> conjIds) {
    List<Provenance.Origin> out = new ArrayList<>();
    for (Conj c : plan.conjs()) {
      List<String> clauses =
          c.ports().isEmpty() ? List.of("from", "to") : List.of("from", "to", "services");
      out.add(
          new Provenance.Origin(
              Category.POLICY,
              plan.id().policy(),
              new Provenance.RuleRef(
                  plan.id().direction().text(),
                  plan.id().index(),
                  conjIds.getOrDefault(c.conjKey(), 0L),
                  c.portGroup(),
                  clauses)));
    }
    return out;
  }

  /**
   * Isolation drops of one local pod: {@code ip,nw_src=IP actions=drop} in table 60 when some
   * policy isolates its egress, {@code ip,reg1=PORT actions=drop} in table 100 for ingress. Cookie
   * category DEFAULT (as Antrea's {@code defaultDropFlow}) with the pod's object id.
   */
  public static List<Flow> isolationFlows(
      PodInfo pod, long port, boolean ingress, boolean egress, int round) {
    long cookie = Cookie.of(round, Category.DEFAULT, Ids.pod(pod.namespace(), pod.name()));
    List<Flow> out = new ArrayList<>(2);
    if (egress) {
      out.add(
          Flow.of(
              Table.EGRESS_DEFAULT.id(),
              PRIORITY_DROP,
              cookie,
              Match.builder().ip().exact(MatchField.IPV4_SRC, pod.ip().toLong()).build(),
              List.of()));
    }
    if (ingress) {
      out.add(
          Flow.of(
              Table.INGRESS_DEFAULT.id(),
              PRIORITY_DROP,
              cookie,
              Match.builder().ip().exact(MatchField.REG1, port).build(),
              List.of()));
    }
    return out;
  }

  /** Directions in which {@code policies} (all selecting one pod) isolate it. */
  public static boolean[] isolation(Collection<NetworkPolicyInfo> policies) {
    boolean in = false;
    boolean eg = false;
    for (NetworkPolicyInfo p : policies) {
      in |= p.isolatesIngress();
      eg |= p.isolatesEgress();
    }
    return new boolean[] {in, eg};
  }

  /** Conj keys of a plan. */
  public static List<String> conjKeys(RulePlan plan) {
    return plan.conjs().stream().map(Conj::conjKey).toList();
  }
}
