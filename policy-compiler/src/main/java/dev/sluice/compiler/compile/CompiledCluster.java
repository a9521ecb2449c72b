package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.Ipv4Cidr;
import dev.sluice.compiler.cluster.LabelSelector;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.NamespaceInfo;
import dev.sluice.compiler.cluster.NetworkPolicyInfo;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.Peer;
import dev.sluice.compiler.cluster.NetworkPolicyInfo.PolicyRule;
import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.PortRef;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.Conj;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.Direction;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RuleId;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RulePlan;
import dev.sluice.compiler.compile.Unit.IsolationUnit;
import dev.sluice.compiler.compile.Unit.NodeUnit;
import dev.sluice.compiler.compile.Unit.PodUnit;
import dev.sluice.compiler.compile.Unit.RouteUnit;
import dev.sluice.compiler.compile.Unit.RuleUnit;
import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.pipeline.Cookie;
import dev.sluice.compiler.pipeline.Cookie.Category;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.compiler.pipeline.Table;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The compiled flows of a whole cluster, per node, plus everything needed to recompile one change
 * incrementally.
 *
 * <h2>Units</h2>
 *
 * Every flow is contributed by one <em>unit</em>, recomputed as a whole when something it reads
 * changes:
 *
 * <pre>
 * unit                  flows on          reads
 * node:N                N                 node N, config              (skeleton, gateway, Service CIDR)
 * route:N:M             N                 nodes N and M               (ARP responder, tunnel route)
 * pod:NS/P              P's node          pod, its node, its port
 * iso:NS/P              P's node          pod, port, policies of NS selecting it (drops in 60/100)
 * rule:NS/POL/DIR/I     nodes of its      policy, applied-to pods, peer pods, namespace labels,
 *                       applied-to pods   ports, conj_ids
 * </pre>
 *
 * A node's table is the merge ({@link FlowMerger}) of all contributions per (table, priority,
 * match). A change marks units dirty through indexes — pods by namespace and node, policies by
 * namespace, rules by the namespaces their podSelector-only peers read, rules with
 * namespaceSelector peers, egress rules resolving named ports on every pod — recomputes only those,
 * and diffs only the flow keys they touched. A pod change is not replanned: the rules whose
 * applied-to or peer set the pod enters or leaves (found through the indexes, matched on its old
 * and new labels) are <em>patched</em> — the pod's /32 peer clause flow is added to or removed from
 * every node the rule is on, its applied-to clause flow on its node — so it costs its own flows
 * plus O(1) flows per rule it touches, not the namespace's pods. A rule is replanned instead when
 * it resolves named ports (its port groups may change), when a node gains its first or loses its
 * last applied-to pod of the rule (the whole rule appears or disappears there), or when its
 * conj_ids move. With default port numbering, the pods of the same node renumbered by the change
 * are recompiled too.
 *
 * <h2>Determinism</h2>
 *
 * Units are pure functions of the snapshot, conj_ids a pure function of the set of rule keys
 * ({@link ConjIdAllocator}), merging order-independent: {@link #apply} reaching a snapshot gives
 * byte-identical flows to {@link #compileAll} of that snapshot (checked by {@code
 * IncrementalCompileTest}).
 *
 * <p>Not thread-safe. {@link #apply} hands the mutable indexes over to the returned instance (so a
 * change costs no copy of the cluster); the receiver is spent afterwards and throws. {@link
 * NodeFlows} obtained before stay valid: they are immutable.
 */
public final class CompiledCluster {

  private @Nullable Engine engine;

  private CompiledCluster(Engine engine) {
    this.engine = engine;
  }

  /** Compiles {@code state} from scratch. */
  public static CompiledCluster compileAll(
      ClusterState state, CompilerConfig config, PortSource ports) {
    Engine e = new Engine(config, ports, new ConjIdAllocator());
    e.compileAll(state);
    return new CompiledCluster(e);
  }

  /** Compiles with the seed's defaults and default port numbering. */
  public static CompiledCluster compileAll(ClusterState state) {
    return compileAll(state, CompilerConfig.defaults(), PortSource.defaultNumbering());
  }

  /** Compiles with a custom conj-id allocator (tests of collision handling). */
  static CompiledCluster compileAll(
      ClusterState state, CompilerConfig config, PortSource ports, ConjIdAllocator alloc) {
    Engine e = new Engine(config, ports, alloc);
    e.compileAll(state);
    return new CompiledCluster(e);
  }

  /**
   * The outcome of one change.
   *
   * @param compiled the new compiled state
   * @param diffs per node whose flows changed, what changed (nodes without changes are absent)
   * @param errors rejections and warnings of the change (a rejected change leaves flows as they
   *     are)
   */
  public record Result(
      CompiledCluster compiled, Map<String, FlowDiff> diffs, List<ManifestError> errors) {
    /** Copies. */
    public Result {
      diffs = Collections.unmodifiableMap(new TreeMap<>(diffs));
      errors = List.copyOf(errors);
    }
  }

  /** Applies one change to the state and recompiles what it touches. Spends this instance. */
  public Result apply(Change change) {
    Engine e = live();
    ClusterState.ApplyResult r;
    ObjectKind kind;
    String ns;
    String name;
    if (change instanceof Change.Upsert u) {
      HasMetadata obj = u.object();
      Optional<ObjectKind> k = ObjectKind.of(obj);
      r = e.state.apply(obj);
      if (k.isEmpty() || r.state() == e.state) {
        return unchanged(r.errors());
      }
      kind = k.get();
      ns = Objects.requireNonNullElse(obj.getMetadata().getNamespace(), "");
      name = obj.getMetadata().getName();
    } else if (change instanceof Change.Delete d) {
      r = e.state.delete(d.key().kind(), d.key().namespace(), d.key().name());
      if (r.state() == e.state) {
        return unchanged(r.errors());
      }
      kind = d.key().kind();
      ns = d.key().namespace();
      name = d.key().name();
    } else {
      throw new IllegalArgumentException("unknown change " + change);
    }
    Map<String, FlowDiff> diffs = e.apply(r.state(), kind, ns, name);
    this.engine = null;
    return new Result(new CompiledCluster(e), diffs, r.errors());
  }

  /**
   * Moves to {@code next}, a snapshot that differs from the current one in the object {@code kind
   * namespace/name} only (for callers that keep their own {@link ClusterState}). Spends this
   * instance.
   */
  public Result apply(ClusterState next, ObjectKind kind, String namespace, String name) {
    Engine e = live();
    Map<String, FlowDiff> diffs = e.apply(next, kind, namespace, name);
    this.engine = null;
    return new Result(new CompiledCluster(e), diffs, List.of());
  }

  /**
   * Re-reads the port numbers of {@code node} from the {@link PortSource} (a switch reported its
   * ports, or a port came or went) and recompiles the pods whose port changed, the node's skeleton
   * and its routes. Spends this instance.
   */
  public Result refreshPorts(String node) {
    Engine e = live();
    Map<String, FlowDiff> diffs = e.refreshPorts(node);
    this.engine = null;
    return new Result(new CompiledCluster(e), diffs, List.of());
  }

  private Result unchanged(List<ManifestError> errors) {
    Engine e = live();
    this.engine = null;
    return new Result(new CompiledCluster(e), Map.of(), errors);
  }

  private Engine live() {
    Engine e = engine;
    if (e == null) {
      throw new IllegalStateException("this CompiledCluster was spent by apply(); use its result");
    }
    return e;
  }

  /** The snapshot compiled. */
  public ClusterState state() {
    return live().state;
  }

  /** Nodes that have flows, sorted. */
  public Set<String> nodes() {
    return Collections.unmodifiableSet(new TreeSet<>(live().flows.nodes()));
  }

  /** The flows of {@code node} (empty when unknown). */
  public NodeFlows flows(String node) {
    return live().flows.nodeFlows(node);
  }

  /** The ports used for {@code node}. */
  public PortMap ports(String node) {
    PortMap p = live().ports.get(node);
    return p != null ? p : new PortMap(Map.of());
  }

  /** conj key ({@code ns/policy/direction/index/portGroup}) → conj_id. */
  public Map<String, Long> conjIds() {
    return live().alloc.ids();
  }

  /** Rule units patched (not replanned) for pod changes since the cold compile (tests). */
  long patchedRules() {
    return live().patchedRules;
  }

  /** Cookie → origins of every flow compiled. */
  public Provenance provenance() {
    return live().provenance();
  }

  // =====================================================================================

  /** The mutable state handed from one {@link CompiledCluster} to the next. */
  private static final class Engine implements ClusterView {
    final CompilerConfig config;
    final PortSource portSource;
    final ConjIdAllocator alloc;
    ClusterState state = ClusterState.empty();

    // Indexes of attached pods.
    final TreeMap<String, TreeMap<String, PodInfo>> podsByNs = new TreeMap<>();
    final HashMap<String, TreeMap<String, PodInfo>> podsByNode = new HashMap<>();
    final HashMap<String, PortMap> ports = new HashMap<>();
    final HashMap<String, TreeMap<String, NetworkPolicyInfo>> policiesByNs = new HashMap<>();

    // Rules.
    final TreeMap<RuleId, RulePlan> plans = new TreeMap<>();
    final HashMap<String, RuleId> conjOwner = new HashMap<>();
    final HashMap<String, Set<RuleId>> peerRulesByNs = new HashMap<>();
    final Set<RuleId> nsSelectorRules = new TreeSet<>();
    final Set<RuleId> allPodRules = new TreeSet<>();

    long patchedRules;

    final DesiredFlowTable flows;

    Engine(CompilerConfig config, PortSource portSource, ConjIdAllocator alloc) {
      this.config = config;
      this.portSource = portSource;
      this.alloc = alloc;
      this.flows = new DesiredFlowTable(config);
    }

    // ---------------------------------------------------------------- ClusterView

    @Override
    public Collection<PodInfo> podsIn(String namespace) {
      TreeMap<String, PodInfo> m = podsByNs.get(namespace);
      return m == null ? List.of() : m.values();
    }

    @Override
    public Collection<String> podNamespaces() {
      return podsByNs.keySet();
    }

    @Override
    public NamespaceInfo namespace(String name) {
      return state.namespace(name);
    }

    /**
     * (namespace, selector) → matching pods, valid while the pod index does not change: cleared
     * whenever a pod is (un)indexed and at the end of each compile pass. Policies share few
     * selectors, so a cold compile matches each one once per namespace instead of once per rule.
     */
    final HashMap<List<Object>, List<PodInfo>> selected = new HashMap<>();

    @Override
    public List<PodInfo> podsMatching(String namespace, LabelSelector selector) {
      List<Object> key = List.of(namespace, selector);
      List<PodInfo> hit = selected.get(key);
      if (hit == null) {
        hit = List.copyOf(ClusterView.super.podsMatching(namespace, selector));
        selected.put(key, hit);
      }
      return hit;
    }

    @Override
    public OptionalLong port(PodInfo pod) {
      PortMap m = ports.get(pod.nodeName());
      return m == null ? OptionalLong.empty() : m.port(pod.interfaceName());
    }

    // ---------------------------------------------------------------- cold compile

    void compileAll(ClusterState s) {
      state = s;
      for (PodInfo p : s.pods()) {
        if (s.node(p.nodeName()).isPresent()) {
          indexPod(p);
        }
      }
      for (NodeInfo n : s.nodes()) {
        ports.put(n.name(), portsFor(n.name()));
      }
      for (NetworkPolicyInfo p : s.networkPolicies()) {
        policiesByNs.computeIfAbsent(p.namespace(), k -> new TreeMap<>()).put(p.name(), p);
      }
      for (NodeInfo n : s.nodes()) {
        flows.replace(new NodeUnit(n.name()), nodeUnit(n.name()));
        for (NodeInfo m : s.nodes()) {
          if (!m.name().equals(n.name())) {
            flows.replace(new RouteUnit(n.name(), m.name()), routeUnit(n.name(), m.name()));
          }
        }
      }
      for (TreeMap<String, PodInfo> pods : podsByNs.values()) {
        for (PodInfo p : pods.values()) {
          ObjectKey key = podKey(p);
          flows.replace(new PodUnit(key), podUnit(key));
          flows.replace(new IsolationUnit(key), isoUnit(key));
        }
      }
      List<String> keys = new ArrayList<>();
      for (NetworkPolicyInfo p : s.networkPolicies()) {
        List<PodInfo> applied = NetworkPolicyCompiler.appliedTo(p, this);
        for (RuleId id : NetworkPolicyCompiler.ruleIds(p)) {
          RulePlan plan = NetworkPolicyCompiler.plan(p, id, this, applied);
          plans.put(id, plan);
          registerPeers(id, p);
          for (String k : NetworkPolicyCompiler.conjKeys(plan)) {
            keys.add(k);
            conjOwner.put(k, id);
          }
        }
      }
      alloc.addAll(keys);
      for (RulePlan plan : plans.values()) {
        flows.replace(new RuleUnit(plan.id()), emit(plan));
      }
      selected.clear(); // only a cache for this pass: not worth its heap between changes
      flows.finish(false);
    }

    // ---------------------------------------------------------------- incremental

    Map<String, FlowDiff> apply(ClusterState next, ObjectKind kind, String ns, String name) {
      ClusterState prev = state;
      state = next;
      Dirty d = new Dirty();
      switch (kind) {
        case POD -> {
          PodInfo p0 = attached(prev, prev.pod(ns, name));
          PodInfo p1 = attached(next, next.pod(ns, name));
          podChanged(p0, p1, d);
        }
        case NODE -> nodeChanged(prev, next, name, d);
        case NAMESPACE -> d.rules.addAll(nsSelectorRules);
        case NETWORK_POLICY -> policyChanged(prev, next, ns, name, d);
        default -> {
          // Services, Endpoints, EndpointSlices: no flows in kube-proxy mode.
        }
      }
      return recompute(d);
    }

    Map<String, FlowDiff> refreshPorts(String node) {
      Dirty d = new Dirty();
      renumber(node, d);
      return recompute(d);
    }

    private @Nullable PodInfo attached(ClusterState s, Optional<PodInfo> p) {
      return p.filter(x -> s.node(x.nodeName()).isPresent()).orElse(null);
    }

    private void podChanged(@Nullable PodInfo p0, @Nullable PodInfo p1, Dirty d) {
      if (Objects.equals(p0, p1)) {
        return;
      }
      podDependents(p0, p1, d);
      if (p0 != null) {
        unindexPod(p0);
      }
      if (p1 != null) {
        indexPod(p1);
      }
      Set<String> nodes = new TreeSet<>();
      if (p0 != null) {
        nodes.add(p0.nodeName());
        d.pods.add(podKey(p0));
      }
      if (p1 != null) {
        nodes.add(p1.nodeName());
        d.pods.add(podKey(p1));
      }
      for (String n : nodes) {
        renumber(n, d);
      }
    }

    /** Units that read pod {@code p} (as applied-to or peer). */
    private void dependents(PodInfo p, Dirty d) {
      d.pods.add(podKey(p));
      for (NetworkPolicyInfo pol : policiesIn(p.namespace())) {
        if (NetworkPolicyCompiler.selects(pol, p)) {
          d.rules.addAll(NetworkPolicyCompiler.ruleIds(pol));
        }
      }
      Map<String, String> nsLabels = state.namespace(p.namespace()).labels();
      Set<RuleId> candidates = new TreeSet<>(nsSelectorRules);
      candidates.addAll(peerRulesByNs.getOrDefault(p.namespace(), Set.of()));
      for (RuleId id : candidates) {
        NetworkPolicyInfo pol = policy(id.policy());
        if (pol == null || id.index() < 0) {
          continue;
        }
        PolicyRule rule = NetworkPolicyCompiler.rules(pol, id.direction()).get(id.index());
        for (Peer peer : rule.peers()) {
          if (peer.selectsPod(pol.namespace(), p.namespace(), p.labels(), nsLabels)) {
            d.rules.add(id);
            break;
          }
        }
      }
      d.rules.addAll(allPodRules);
    }

    /**
     * Like {@link #dependents} for a pod going from {@code p0} to {@code p1} (same key; either may
     * be null), but the rules whose applied-to or peer set it enters or leaves are recorded as
     * {@link RulePatch}es, applied in O(1) flows by {@link #recompute} instead of replanning the
     * rule from every pod. Candidates come from indexes: policies of the pod's namespace
     * (applied-to), rules whose podSelector-only peers read that namespace, rules with a
     * namespaceSelector peer. Must run before the pod is unindexed (it reads the old port).
     */
    private void podDependents(@Nullable PodInfo p0, @Nullable PodInfo p1, Dirty d) {
      PodInfo any = p0 != null ? p0 : Objects.requireNonNull(p1);
      String ns = any.namespace();
      d.pods.add(podKey(any));
      for (NetworkPolicyInfo pol : policiesIn(ns)) {
        boolean s0 = p0 != null && NetworkPolicyCompiler.selects(pol, p0);
        boolean s1 = p1 != null && NetworkPolicyCompiler.selects(pol, p1);
        if (!s0 && !s1) {
          continue;
        }
        for (RuleId id : NetworkPolicyCompiler.ruleIds(pol)) {
          RulePatch rp = d.patch(id);
          if (s0) {
            rp.appliedOld = p0;
            rp.appliedOldPort = port(Objects.requireNonNull(p0));
          }
          if (s1) {
            rp.appliedNew = p1;
          }
        }
      }
      Map<String, String> nsLabels = state.namespace(ns).labels();
      Set<RuleId> candidates = new TreeSet<>(nsSelectorRules);
      candidates.addAll(peerRulesByNs.getOrDefault(ns, Set.of()));
      for (RuleId id : candidates) {
        NetworkPolicyInfo pol = policy(id.policy());
        if (pol == null || id.index() < 0) {
          continue;
        }
        PolicyRule rule = NetworkPolicyCompiler.rules(pol, id.direction()).get(id.index());
        boolean peer0 = p0 != null && isPeer(pol, rule, p0, nsLabels);
        boolean peer1 = p1 != null && isPeer(pol, rule, p1, nsLabels);
        if (peer0 || peer1) {
          RulePatch rp = d.patch(id);
          rp.peerOld = peer0 ? p0 : null;
          rp.peerNew = peer1 ? p1 : null;
        }
      }
      d.rules.addAll(allPodRules);
    }

    private static boolean isPeer(
        NetworkPolicyInfo pol, PolicyRule rule, PodInfo p, Map<String, String> nsLabels) {
      for (Peer peer : rule.peers()) {
        if (peer.selectsPod(pol.namespace(), p.namespace(), p.labels(), nsLabels)) {
          return true;
        }
      }
      return false;
    }

    /** Whether a rule resolves named ports (its conjunctions depend on the pods' port groups). */
    private static boolean hasNamedPorts(NetworkPolicyInfo pol, RuleId id) {
      if (id.index() < 0) {
        return false;
      }
      return NetworkPolicyCompiler.rules(pol, id.direction()).get(id.index()).ports().stream()
          .anyMatch(p -> p.port().isPresent() && p.port().get() instanceof PortRef.Named);
    }

    /**
     * Applies {@code rp} to the plan of {@code id} if it can be patched: the rule exists, has one
     * conjunction without named ports, and no node gains its first or loses its last applied-to pod
     * (that emits or drops the rule's whole flow set on the node). Returns the flow edits to make,
     * or null when the rule must be replanned instead (then nothing was changed).
     */
    private @Nullable List<FlowEdit> patchPlan(RuleId id, RulePatch rp) {
      RulePlan plan = plans.get(id);
      NetworkPolicyInfo pol = policy(id.policy());
      if (plan == null
          || pol == null
          || plan.conjs().size() != 1
          || hasNamedPorts(pol, id)
          || !NetworkPolicyCompiler.ruleIds(pol).contains(id)) {
        return null;
      }
      Conj conj = plan.conjs().get(0);
      Direction dir = id.direction();
      List<FlowEdit> edits = new ArrayList<>();
      // Applied-to.
      List<PodInfo> applied = conj.appliedTo();
      boolean appliedChanges = rp.appliedOld != null || rp.appliedNew != null;
      OptionalLong newPort = rp.appliedNew == null ? OptionalLong.empty() : port(rp.appliedNew);
      if (appliedChanges) {
        String key = (rp.appliedOld != null ? rp.appliedOld : rp.appliedNew).key();
        Set<String> nodes = new TreeSet<>();
        if (rp.appliedOld != null && rp.appliedOldPort.isPresent()) {
          nodes.add(rp.appliedOld.nodeName());
        }
        if (rp.appliedNew != null && newPort.isPresent()) {
          nodes.add(rp.appliedNew.nodeName());
        }
        for (String n : nodes) {
          int others = 0;
          for (PodInfo p : applied) {
            if (p.key().equals(key) || !p.nodeName().equals(n)) {
              continue;
            }
            OptionalLong q = port(p);
            if (q.isEmpty()) {
              continue;
            }
            others++;
            if (q.equals(rp.appliedOldPort) || q.equals(newPort)) {
              return null; // two pods on one port: their clause flow is shared
            }
          }
          boolean before =
              others > 0
                  || (rp.appliedOld != null
                      && rp.appliedOldPort.isPresent()
                      && rp.appliedOld.nodeName().equals(n));
          boolean after =
              others > 0
                  || (rp.appliedNew != null
                      && newPort.isPresent()
                      && rp.appliedNew.nodeName().equals(n));
          if (before != after) {
            return null;
          }
        }
        List<PodInfo> next = new ArrayList<>(applied.size() + 1);
        for (PodInfo p : applied) {
          if (!p.key().equals(key)) {
            next.add(p);
          }
        }
        if (rp.appliedNew != null) {
          int i = 0;
          while (i < next.size() && next.get(i).name().compareTo(rp.appliedNew.name()) < 0) {
            i++;
          }
          next.add(i, rp.appliedNew);
        }
        applied = List.copyOf(next);
        if (rp.appliedOld != null && rp.appliedOldPort.isPresent()) {
          edits.add(
              new FlowEdit(
                  rp.appliedOld.nodeName(),
                  appliedMatch(dir, rp.appliedOld, rp.appliedOldPort.getAsLong()),
                  false,
                  false));
        }
        if (rp.appliedNew != null && newPort.isPresent()) {
          edits.add(
              new FlowEdit(
                  rp.appliedNew.nodeName(),
                  appliedMatch(dir, rp.appliedNew, newPort.getAsLong()),
                  true,
                  false));
        }
      }
      // Peers: the pod's /32 leaves or enters the set (unless an ipBlock also names it; pod IPs
      // are unique in a snapshot).
      SortedSet<Ipv4Cidr> peers = conj.peers();
      Ipv4Cidr c0 = rp.peerOld == null ? null : Ipv4Cidr.host(rp.peerOld.ip());
      Ipv4Cidr c1 = rp.peerNew == null ? null : Ipv4Cidr.host(rp.peerNew.ip());
      List<Ipv4Cidr> blocks = new ArrayList<>();
      if (c0 != null || c1 != null) {
        for (Peer peer : NetworkPolicyCompiler.rules(pol, dir).get(id.index()).peers()) {
          peer.ipBlock().ifPresent(b -> blocks.addAll(b.effectiveCidrs()));
        }
      }
      MatchField peerField = dir == Direction.INGRESS ? MatchField.IPV4_SRC : MatchField.IPV4_DST;
      if (c0 != null && !c0.equals(c1) && !blocks.contains(c0) && peers.remove(c0)) {
        edits.add(new FlowEdit(null, NetworkPolicyCompiler.cidrMatch(peerField, c0), false, true));
      }
      if (c1 != null && peers.add(c1)) {
        edits.add(new FlowEdit(null, NetworkPolicyCompiler.cidrMatch(peerField, c1), true, true));
      }
      if (applied != conj.appliedTo()) {
        plans.put(
            id,
            new RulePlan(
                id,
                List.of(new Conj(conj.conjKey(), conj.portGroup(), applied, peers, conj.ports()))));
      }
      return edits;
    }

    private static Match appliedMatch(Direction dir, PodInfo p, long port) {
      return dir == Direction.INGRESS
          ? NetworkPolicyCompiler.ipMatch(MatchField.REG1, port, -1)
          : NetworkPolicyCompiler.ipMatch(MatchField.IPV4_SRC, p.ip().toLong(), -1);
    }

    /** Makes the flow edits of a patched rule on its unit (all nodes for peer edits). */
    private void applyEdits(RuleId id, List<FlowEdit> edits) {
      if (edits.isEmpty()) {
        return;
      }
      RuleUnit unit = new RuleUnit(id);
      Collection<String> ruleNodes = flows.nodesOf(unit);
      Conj conj = plans.get(id).conjs().get(0);
      long conjId = alloc.id(conj.conjKey());
      long cookie = Cookie.of(config.round(), Category.POLICY, conjId);
      int n = conj.ports().isEmpty() ? 2 : 3;
      Direction dir = id.direction();
      int peerClause = dir == Direction.INGRESS ? 1 : 2;
      int appliedClause = dir == Direction.INGRESS ? 2 : 1;
      Table table = dir.ruleTable();
      for (FlowEdit e : edits) {
        Flow f =
            Flow.of(
                table.id(),
                NetworkPolicyCompiler.PRIORITY_CLAUSE,
                cookie,
                e.match(),
                List.of(new Action.Conjunction(conjId, e.peer() ? peerClause : appliedClause, n)));
        Collection<String> nodes = e.node() == null ? ruleNodes : List.of(e.node());
        for (String node : nodes) {
          if (e.add()) {
            flows.addFlow(unit, node, f);
          } else {
            flows.removeFlow(unit, node, f);
          }
        }
      }
    }

    /** Re-derives a node's port map; pods whose port changed are recompiled. */
    private void renumber(String node, Dirty d) {
      PortMap old = ports.get(node);
      if (state.node(node).isEmpty()) {
        ports.remove(node);
        return;
      }
      PortMap now = portsFor(node);
      ports.put(node, now);
      if (old == null || old.equals(now)) {
        return;
      }
      for (PodInfo p : podsByNode.getOrDefault(node, new TreeMap<>()).values()) {
        if (!old.port(p.interfaceName()).equals(now.port(p.interfaceName()))) {
          d.pods.add(podKey(p));
          for (NetworkPolicyInfo pol : policiesIn(p.namespace())) {
            if (NetworkPolicyCompiler.selects(pol, p)) {
              d.rules.addAll(NetworkPolicyCompiler.ruleIds(pol));
            }
          }
        }
      }
      d.nodes.add(node); // gateway/tunnel ports may have moved
      for (NodeInfo m : state.nodes()) {
        if (!m.name().equals(node)) {
          d.routes.add(new RouteUnit(node, m.name()));
        }
      }
    }

    private void nodeChanged(ClusterState prev, ClusterState next, String name, Dirty d) {
      boolean was = prev.node(name).isPresent();
      boolean is = next.node(name).isPresent();
      TreeMap<String, PodInfo> pods = new TreeMap<>();
      prev.podsOnNode(name).forEach(p -> pods.put(p.key(), p));
      next.podsOnNode(name).forEach(p -> pods.put(p.key(), p));
      for (PodInfo p : pods.values()) {
        PodInfo p0 = was ? prev.pod(p.namespace(), p.name()).orElse(null) : null;
        PodInfo p1 = is ? next.pod(p.namespace(), p.name()).orElse(null) : null;
        if (p0 != null) {
          dependents(p0, d);
          unindexPod(p0);
        }
        if (p1 != null) {
          dependents(p1, d);
          indexPod(p1);
        }
      }
      if (is) {
        ports.put(name, portsFor(name));
      } else {
        ports.remove(name);
      }
      d.nodes.add(name);
      Set<String> all = new TreeSet<>();
      prev.nodes().forEach(n -> all.add(n.name()));
      next.nodes().forEach(n -> all.add(n.name()));
      for (String m : all) {
        if (!m.equals(name)) {
          d.routes.add(new RouteUnit(m, name));
          d.routes.add(new RouteUnit(name, m));
        }
      }
    }

    private void policyChanged(
        ClusterState prev, ClusterState next, String ns, String name, Dirty d) {
      NetworkPolicyInfo p0 = prev.networkPolicy(ns, name).orElse(null);
      NetworkPolicyInfo p1 = next.networkPolicy(ns, name).orElse(null);
      if (Objects.equals(p0, p1)) {
        return;
      }
      TreeMap<String, NetworkPolicyInfo> inNs =
          policiesByNs.computeIfAbsent(ns, k -> new TreeMap<>());
      if (p1 != null) {
        inNs.put(p1.name(), p1);
      } else if (p0 != null) {
        inNs.remove(p0.name());
      }
      for (NetworkPolicyInfo p : new NetworkPolicyInfo[] {p0, p1}) {
        if (p == null) {
          continue;
        }
        d.rules.addAll(NetworkPolicyCompiler.ruleIds(p));
        for (PodInfo pod : podsIn(ns)) {
          if (NetworkPolicyCompiler.selects(p, pod)) {
            d.isos.add(podKey(pod));
          }
        }
      }
    }

    // ---------------------------------------------------------------- recompute

    private Map<String, FlowDiff> recompute(Dirty d) {
      for (String n : d.nodes) {
        flows.replace(new NodeUnit(n), nodeUnit(n));
      }
      for (RouteUnit r : d.routes) {
        flows.replace(r, routeUnit(r.node(), r.peer()));
      }
      for (ObjectKey key : d.pods) {
        flows.replace(new PodUnit(key), podUnit(key));
        flows.replace(new IsolationUnit(key), isoUnit(key));
      }
      for (ObjectKey key : d.isos) {
        if (!d.pods.contains(key)) {
          flows.replace(new IsolationUnit(key), isoUnit(key));
        }
      }
      // Pod changes: patch the rules that allow it (peer/applied-to clause flows), else replan.
      Map<RuleId, List<FlowEdit>> patched = new TreeMap<>();
      for (Map.Entry<RuleId, RulePatch> e : d.patches.entrySet()) {
        if (d.rules.contains(e.getKey())) {
          continue;
        }
        List<FlowEdit> edits = patchPlan(e.getKey(), e.getValue());
        if (edits == null) {
          d.rules.add(e.getKey());
        } else {
          patched.put(e.getKey(), edits);
        }
      }
      // Rules: replan, then move conj ids, then emit.
      Set<RuleId> emit = new TreeSet<>();
      Set<String> movedKeys = new HashSet<>();
      for (RuleId id : d.rules) {
        RulePlan old = plans.remove(id);
        deregisterPeers(id);
        NetworkPolicyInfo pol = policy(id.policy());
        boolean exists = pol != null && NetworkPolicyCompiler.ruleIds(pol).contains(id);
        RulePlan now = exists ? NetworkPolicyCompiler.plan(pol, id, this) : null;
        Set<String> oldKeys =
            old == null ? Set.of() : new TreeSet<>(NetworkPolicyCompiler.conjKeys(old));
        Set<String> newKeys =
            now == null ? Set.of() : new TreeSet<>(NetworkPolicyCompiler.conjKeys(now));
        for (String k : oldKeys) {
          if (!newKeys.contains(k)) {
            conjOwner.remove(k);
            movedKeys.addAll(alloc.remove(k));
          }
        }
        for (String k : newKeys) {
          if (!oldKeys.contains(k)) {
            conjOwner.put(k, id);
            movedKeys.addAll(alloc.add(k));
          }
        }
        if (now != null) {
          plans.put(id, now);
          registerPeers(id, pol);
          emit.add(id); // even with an equal plan: ports or node placement may have moved
        } else {
          flows.replace(new RuleUnit(id), Map.of());
        }
      }
      for (String k : movedKeys) {
        RuleId owner = conjOwner.get(k);
        if (owner != null && plans.containsKey(owner)) {
          emit.add(owner);
        }
      }
      for (Map.Entry<RuleId, List<FlowEdit>> e : patched.entrySet()) {
        if (!emit.contains(e.getKey())) {
          applyEdits(e.getKey(), e.getValue());
          patchedRules++;
        }
      }
      for (RuleId id : emit) {
        flows.replace(new RuleUnit(id), emit(plans.get(id)));
      }
      selected.clear();
      return flows.finish(true);
    }

    // ---------------------------------------------------------------- units

    private Map<String, List<Flow>> nodeUnit(String node) {
      NodeContext ctx = ctx(node);
      if (ctx == null) {
        return Map.of();
      }
      List<Flow> flows = new ArrayList<>(PodConnectivityCompiler.nodeFlows(ctx));
      flows.addAll(ServiceCompiler.nodeFlows(ctx));
      return Map.of(node, flows);
    }

    private Map<String, List<Flow>> routeUnit(String node, String remote) {
      NodeContext ctx = ctx(node);
      Optional<NodeInfo> r = state.node(remote);
      if (ctx == null || r.isEmpty()) {
        return Map.of();
      }
      return Map.of(node, PodConnectivityCompiler.remoteNodeFlows(ctx, r.get()));
    }

    private Map<String, List<Flow>> podUnit(ObjectKey key) {
      PodInfo p = attachedPod(key);
      if (p == null) {
        return Map.of();
      }
      OptionalLong port = port(p);
      NodeContext ctx = ctx(p.nodeName());
      if (port.isEmpty() || ctx == null) {
        return Map.of();
      }
      return Map.of(p.nodeName(), PodConnectivityCompiler.podFlows(ctx, p, port.getAsLong()));
    }

    private Map<String, List<Flow>> isoUnit(ObjectKey key) {
      PodInfo p = attachedPod(key);
      if (p == null) {
        return Map.of();
      }
      OptionalLong port = port(p);
      if (port.isEmpty()) {
        return Map.of();
      }
      List<NetworkPolicyInfo> selecting = new ArrayList<>();
      for (NetworkPolicyInfo pol : policiesIn(p.namespace())) {
        if (NetworkPolicyCompiler.selects(pol, p)) {
          selecting.add(pol);
        }
      }
      boolean[] iso = NetworkPolicyCompiler.isolation(selecting);
      List<Flow> flows =
          NetworkPolicyCompiler.isolationFlows(p, port.getAsLong(), iso[0], iso[1], config.round());
      return flows.isEmpty() ? Map.of() : Map.of(p.nodeName(), flows);
    }

    private Map<String, List<Flow>> emit(RulePlan plan) {
      Map<String, Long> ids = new HashMap<>();
      for (String k : NetworkPolicyCompiler.conjKeys(plan)) {
        ids.put(k, alloc.id(k));
      }
      return NetworkPolicyCompiler.emit(plan, ids, this, config.round());
    }

    // ---------------------------------------------------------------- helpers

    private @Nullable NodeContext ctx(String node) {
      Optional<NodeInfo> n = state.node(node);
      PortMap p = ports.get(node);
      return n.isEmpty() || p == null ? null : new NodeContext(n.get(), p, config);
    }

    private PortMap portsFor(String node) {
      return portSource.ports(node, podsByNode.getOrDefault(node, new TreeMap<>()).values());
    }

    private @Nullable PodInfo attachedPod(ObjectKey key) {
      TreeMap<String, PodInfo> m = podsByNs.get(key.namespace());
      return m == null ? null : m.get(key.name());
    }

    private Collection<NetworkPolicyInfo> policiesIn(String ns) {
      TreeMap<String, NetworkPolicyInfo> m = policiesByNs.get(ns);
      return m == null ? List.of() : m.values();
    }

    private @Nullable NetworkPolicyInfo policy(ObjectKey key) {
      TreeMap<String, NetworkPolicyInfo> m = policiesByNs.get(key.namespace());
      return m == null ? null : m.get(key.name());
    }

    private void indexPod(PodInfo p) {
      selected.clear();
      podsByNs.computeIfAbsent(p.namespace(), k -> new TreeMap<>()).put(p.name(), p);
      podsByNode.computeIfAbsent(p.nodeName(), k -> new TreeMap<>()).put(p.key(), p);
    }

    private void unindexPod(PodInfo p) {
      selected.clear();
      TreeMap<String, PodInfo> m = podsByNs.get(p.namespace());
      if (m != null && m.remove(p.name()) != null && m.isEmpty()) {
        podsByNs.remove(p.namespace());
      }
      TreeMap<String, PodInfo> n = podsByNode.get(p.nodeName());
      if (n != null && n.remove(p.key()) != null && n.isEmpty()) {
        podsByNode.remove(p.nodeName());
      }
    }

    private void registerPeers(RuleId id, NetworkPolicyInfo pol) {
      if (id.index() < 0) {
        return;
      }
      PolicyRule rule = NetworkPolicyCompiler.rules(pol, id.direction()).get(id.index());
      if (rule.allowsAllPeers()) {
        boolean named =
            rule.ports().stream()
                .anyMatch(p -> p.port().isPresent() && p.port().get() instanceof PortRef.Named);
        if (named && id.direction() == Direction.EGRESS) {
          allPodRules.add(id);
        }
        return;
      }
      for (Peer peer : rule.peers()) {
        if (peer.ipBlock().isPresent()) {
          continue;
        }
        if (peer.namespaceSelector().isPresent()) {
          nsSelectorRules.add(id);
        } else {
          peerRulesByNs.computeIfAbsent(pol.namespace(), k -> new TreeSet<>()).add(id);
        }
      }
    }

    private void deregisterPeers(RuleId id) {
      allPodRules.remove(id);
      nsSelectorRules.remove(id);
      String ns = id.policy().namespace();
      Set<RuleId> s = peerRulesByNs.get(ns);
      if (s != null) {
        s.remove(id);
        if (s.isEmpty()) {
          peerRulesByNs.remove(ns);
        }
      }
    }

    private static ObjectKey podKey(PodInfo p) {
      return new ObjectKey(ObjectKind.POD, p.namespace(), p.name());
    }

    Provenance provenance() {
      Provenance.Builder b = new Provenance.Builder();
      flows.forEachUnit(
          (unit, byNode) -> {
            for (Collection<Flow> fs : byNode.values()) {
              for (Flow f : fs) {
                Provenance.Origin o = unit.origin(f.cookie());
                if (o != null) {
                  b.add(f.cookie(), o);
                }
              }
            }
          });
      for (RulePlan plan : plans.values()) {
        Map<String, Long> ids = new HashMap<>();
        NetworkPolicyCompiler.conjKeys(plan).forEach(k -> ids.put(k, alloc.id(k)));
        for (Provenance.Origin o : NetworkPolicyCompiler.origins(plan, ids)) {
          Provenance.RuleRef rule = Objects.requireNonNull(o.rule());
          b.add(Cookie.of(config.round(), Category.POLICY, rule.conjId()), o);
        }
      }
      return b.build();
    }
  }

  /**
   * One clause flow of a patched rule to add or remove.
   *
   * @param node the node (applied-to edits), or null for every node the rule is on (peer edits)
   * @param match the clause match
   * @param add add (else remove)
   * @param peer a peer clause flow (else applied-to)
   */
  private record FlowEdit(@Nullable String node, Match match, boolean add, boolean peer) {}

  /** Units to recompute. */
  private static final class Dirty {
    final Set<String> nodes = new TreeSet<>();
    final Set<RouteUnit> routes = new HashSet<>();
    final Set<ObjectKey> pods = new HashSet<>();
    final Set<ObjectKey> isos = new HashSet<>();
    final Set<RuleId> rules = new TreeSet<>();

    /** Rules a pod change enters or leaves, to patch instead of replanning (unless in rules). */
    final TreeMap<RuleId, RulePatch> patches = new TreeMap<>();

    RulePatch patch(RuleId id) {
      return patches.computeIfAbsent(id, k -> new RulePatch());
    }
  }

  /**
   * What one pod change does to one rule: the pod's old version leaves (as applied-to pod or as
   * peer), its new version enters. Null fields: no such role.
   */
  private static final class RulePatch {
    @Nullable PodInfo appliedOld;
    OptionalLong appliedOldPort = OptionalLong.empty(); // its port before the change
    @Nullable PodInfo appliedNew;
    @Nullable PodInfo peerOld;
    @Nullable PodInfo peerNew;
  }
}
