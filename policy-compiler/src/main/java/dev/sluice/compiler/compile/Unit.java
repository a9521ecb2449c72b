package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.compile.NetworkPolicyCompiler.RuleId;
import dev.sluice.compiler.pipeline.Cookie;
import dev.sluice.compiler.pipeline.Provenance;
import org.jspecify.annotations.Nullable;

/**
 * The identity of one unit: a set of flows recomputed as a whole when something it reads changes
 * (see {@link CompiledCluster} for what each reads). Each unit belongs to one {@link Feature}.
 *
 * <p>Units are ordered as their text ({@link #toString()}) sorts, without building it: the first
 * contributor of a shared flow key wins the merge ({@link FlowMerger#mergeContributions}), so this
 * order is part of the output.
 */
sealed interface Unit extends Comparable<Unit> {

  /** The position of the unit's kind, as its text prefix sorts. */
  int rank();

  /** Compares with a unit of the same {@link #rank()}. */
  int compareSameKind(Unit o);

  /**
   * Where a flow of this unit with {@code cookie} comes from; null for rule units, whose origins
   * come from their plan (one per conjunction, with the rule).
   */
  Provenance.@Nullable Origin origin(long cookie);

  @Override
  default int compareTo(Unit o) {
    int c = Integer.compare(rank(), o.rank());
    return c != 0 ? c : compareSameKind(o);
  }

  /** Skeleton flows (object id 0) belong to the pipeline, the others to {@code object}. */
  private static Provenance.Origin originOf(ObjectKey object, long cookie) {
    Cookie.Category c = Cookie.category(cookie);
    return Cookie.objectId(cookie) == 0
        ? Provenance.Origin.pipeline(c)
        : new Provenance.Origin(c, object, null);
  }

  /** Node {@code node}'s skeleton, gateway and tunnel flows (pod connectivity). */
  record NodeUnit(String node) implements Unit {
    @Override
    public int rank() {
      return 1;
    }

    @Override
    public int compareSameKind(Unit o) {
      return node.compareTo(((NodeUnit) o).node);
    }

    @Override
    public Provenance.Origin origin(long cookie) {
      return originOf(new ObjectKey(ObjectKind.NODE, "", node), cookie);
    }

    @Override
    public String toString() {
      return "node:" + node;
    }
  }

  /** The flows on {@code node} that reach pods of {@code peer} (ARP responder, tunnel route). */
  record RouteUnit(String node, String peer) implements Unit {
    @Override
    public int rank() {
      return 3;
    }

    @Override
    public int compareSameKind(Unit o) {
      RouteUnit r = (RouteUnit) o;
      return compareText(node, ':', peer, r.node, ':', r.peer);
    }

    @Override
    public Provenance.Origin origin(long cookie) {
      return originOf(new ObjectKey(ObjectKind.NODE, "", peer), cookie);
    }

    @Override
    public String toString() {
      return "route:" + node + ":" + peer;
    }
  }

  /** The Service flows of {@code node} (kube-proxy mode: the Service CIDR to the gateway). */
  record ServiceUnit(String node) implements Unit {
    @Override
    public int rank() {
      return 5;
    }

    @Override
    public int compareSameKind(Unit o) {
      return node.compareTo(((ServiceUnit) o).node);
    }

    @Override
    public Provenance.Origin origin(long cookie) {
      return originOf(new ObjectKey(ObjectKind.NODE, "", node), cookie);
    }

    @Override
    public String toString() {
      return "svc:" + node;
    }
  }

  /** An attached pod's own flows on its node (classifier, spoof guard, L2/L3 forwarding). */
  record PodUnit(ObjectKey pod) implements Unit {
    /** Checks the kind. */
    public PodUnit {
      requirePod(pod);
    }

    @Override
    public int rank() {
      return 2;
    }

    @Override
    public int compareSameKind(Unit o) {
      return compareText(pod, ((PodUnit) o).pod);
    }

    @Override
    public Provenance.Origin origin(long cookie) {
      return originOf(pod, cookie);
    }

    @Override
    public String toString() {
      return "pod:" + pod.key();
    }
  }

  /** The isolation drops of a pod selected by some policy (tables 60 and 100). */
  record IsolationUnit(ObjectKey pod) implements Unit {
    /** Checks the kind. */
    public IsolationUnit {
      requirePod(pod);
    }

    @Override
    public int rank() {
      return 0;
    }

    @Override
    public int compareSameKind(Unit o) {
      return compareText(pod, ((IsolationUnit) o).pod);
    }

    @Override
    public Provenance.Origin origin(long cookie) {
      return originOf(pod, cookie);
    }

    @Override
    public String toString() {
      return "iso:" + pod.key();
    }
  }

  /** One NetworkPolicy rule's clause and conj_id flows on the nodes of its applied-to pods. */
  record RuleUnit(RuleId rule) implements Unit {
    @Override
    public int rank() {
      return 4;
    }

    /**
     * By {@link RuleId} order (index numerically, not as text): the flows rule units share are
     * clause flows, whose merge does not depend on the contributor order.
     */
    @Override
    public int compareSameKind(Unit o) {
      return rule.compareTo(((RuleUnit) o).rule);
    }

    @Override
    public Provenance.@Nullable Origin origin(long cookie) {
      return null;
    }

    @Override
    public String toString() {
      return "rule:" + rule;
    }
  }

  private static void requirePod(ObjectKey key) {
    if (key.kind() != ObjectKind.POD) {
      throw new IllegalArgumentException("not a Pod: " + key);
    }
  }

  /** Compares {@code a.key()} with {@code b.key()} as text, without building either. */
  static int compareText(ObjectKey a, ObjectKey b) {
    if (a.namespace().isEmpty() || b.namespace().isEmpty()) {
      return a.key().compareTo(b.key());
    }
    return compareText(a.namespace(), '/', a.name(), b.namespace(), '/', b.name());
  }

  /** Compares {@code a1 + sa + a2} with {@code b1 + sb + b2} as text, without building either. */
  static int compareText(String a1, char sa, String a2, String b1, char sb, String b2) {
    if (sa == sb && a1.equals(b1)) {
      return a2.compareTo(b2);
    }
    int la = a1.length() + 1 + a2.length();
    int lb = b1.length() + 1 + b2.length();
    int n = Math.min(la, lb);
    for (int i = 0; i < n; i++) {
      char x = charAt(a1, sa, a2, i);
      char y = charAt(b1, sb, b2, i);
      if (x != y) {
        return x - y;
      }
    }
    return la - lb;
  }

  private static char charAt(String s1, char sep, String s2, int i) {
    int n = s1.length();
    return i < n ? s1.charAt(i) : i == n ? sep : s2.charAt(i - n - 1);
  }
}
