package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.LabelSelector;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.NamespaceInfo;
import dev.sluice.compiler.cluster.NetworkPolicyInfo;
import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Provenance;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
   * @param changes per node whose flows changed, the tracked changes that take its previous {@link
   *     NodeFlows} to its new one (nodes without changes are absent); equal to {@link
   *     TableChanges#between} of the two, computed from the touched flow keys only
   * @param errors rejections and warnings of the change (a rejected change leaves flows as they
   *     are)
   */
  public record Result(
      CompiledCluster compiled, Map<String, TableChanges> changes, List<ManifestError> errors) {
    /** Copies. */
    public Result {
      changes = Collections.unmodifiableMap(new TreeMap<>(changes));
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
    Map<String, TableChanges> changes = e.apply(r.state(), kind, ns, name);
    this.engine = null;
    return new Result(new CompiledCluster(e), changes, r.errors());
  }

  /**
   * Moves to {@code next}, a snapshot that differs from the current one in the object {@code kind
   * namespace/name} only (for callers that keep their own {@link ClusterState}). Spends this
   * instance.
   */
  public Result apply(ClusterState next, ObjectKind kind, String namespace, String name) {
    Engine e = live();
    Map<String, TableChanges> changes = e.apply(next, kind, namespace, name);
    this.engine = null;
    return new Result(new CompiledCluster(e), changes, List.of());
  }

  /**
   * Re-reads the port numbers of {@code node} from the {@link PortSource} (a switch reported its
   * ports, or a port came or went) and recompiles the pods whose port changed, the node's skeleton
   * and its routes. Spends this instance.
   */
  public Result refreshPorts(String node) {
    Engine e = live();
    Map<String, TableChanges> changes = e.refreshPorts(node);
    this.engine = null;
    return new Result(new CompiledCluster(e), changes, List.of());
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
    return live().policy.patchedRules();
  }

  /** Cookie → origins of every flow compiled. */
  public Provenance provenance() {
    return live().provenance();
  }

  // =====================================================================================

  /** The mutable state handed from one {@link CompiledCluster} to the next. */
  static final class Engine implements ClusterView {
    final CompilerConfig config;
    final PortSource portSource;
    final ConjIdAllocator alloc;
    ClusterState state = ClusterState.empty();

    // Indexes of attached pods.
    final TreeMap<String, TreeMap<String, PodInfo>> podsByNs = new TreeMap<>();
    final HashMap<String, TreeMap<String, PodInfo>> podsByNode = new HashMap<>();
    final HashMap<String, PortMap> ports = new HashMap<>();
    final HashMap<String, TreeMap<String, NetworkPolicyInfo>> policiesByNs = new HashMap<>();

    final DesiredFlowTable flows;

    Engine(CompilerConfig config, PortSource portSource, ConjIdAllocator alloc) {
      this.config = config;
      this.portSource = portSource;
      this.alloc = alloc;
      this.flows = new DesiredFlowTable(config);
      this.dependencies = new DependencyIndex(this);
      this.policy = new NetworkPolicyFeature(this);
      this.features = List.of(new PodConnectivityFeature(this), new ServiceFeature(this), policy);
    }

    /** Turns a change into the units it makes dirty. */
    final DependencyIndex dependencies;

    /** The NetworkPolicy feature (its patch counter and rule provenance). */
    final NetworkPolicyFeature policy;

    /** Every feature: each owns its units and recomputes them (see {@link Feature}). */
    final List<Feature> features;

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
      for (Feature f : features) {
        f.compileAll(flows);
      }
      selected.clear(); // only a cache for this pass: not worth its heap between changes
      flows.finish(false);
    }

    // ---------------------------------------------------------------- incremental

    Map<String, TableChanges> apply(ClusterState next, ObjectKind kind, String ns, String name) {
      ClusterState prev = state;
      state = next;
      return recompute(dependencies.changed(prev, next, kind, ns, name));
    }

    Map<String, TableChanges> refreshPorts(String node) {
      return recompute(dependencies.portsChanged(node));
    }

    private Map<String, TableChanges> recompute(Dirty d) {
      for (Feature f : features) {
        f.recompute(d, flows);
      }
      selected.clear();
      return flows.finish(true);
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
      policy.provenance(b);
      return b.build();
    }

    // ---------------------------------------------------------------- helpers

    @Nullable NodeContext ctx(String node) {
      Optional<NodeInfo> n = state.node(node);
      PortMap p = ports.get(node);
      return n.isEmpty() || p == null ? null : new NodeContext(n.get(), p, config);
    }

    PortMap portsFor(String node) {
      return portSource.ports(node, podsByNode.getOrDefault(node, new TreeMap<>()).values());
    }

    @Nullable PodInfo attachedPod(ObjectKey key) {
      TreeMap<String, PodInfo> m = podsByNs.get(key.namespace());
      return m == null ? null : m.get(key.name());
    }

    Collection<NetworkPolicyInfo> policiesIn(String ns) {
      TreeMap<String, NetworkPolicyInfo> m = policiesByNs.get(ns);
      return m == null ? List.of() : m.values();
    }

    @Nullable NetworkPolicyInfo policy(ObjectKey key) {
      TreeMap<String, NetworkPolicyInfo> m = policiesByNs.get(key.namespace());
      return m == null ? null : m.get(key.name());
    }

    void indexPod(PodInfo p) {
      selected.clear();
      podsByNs.computeIfAbsent(p.namespace(), k -> new TreeMap<>()).put(p.name(), p);
      podsByNode.computeIfAbsent(p.nodeName(), k -> new TreeMap<>()).put(p.key(), p);
    }

    void unindexPod(PodInfo p) {
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

    static ObjectKey podKey(PodInfo p) {
      return new ObjectKey(ObjectKind.POD, p.namespace(), p.name());
    }
  }
}
