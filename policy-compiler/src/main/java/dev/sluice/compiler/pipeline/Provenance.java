package dev.sluice.compiler.pipeline;

import dev.sluice.compiler.cluster.ObjectKey;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Cookie → the objects and rules that produced flows with that cookie, so every flow on a switch
 * explains itself. Immutable; built by the compiler from the same state as the flows.
 *
 * @param byCookie origins per cookie, sorted
 */
public record Provenance(SortedMap<Long, SortedSet<Origin>> byCookie) {

  /** Copies into an unmodifiable sorted map. */
  public Provenance {
    TreeMap<Long, SortedSet<Origin>> copy = new TreeMap<>(Long::compareUnsigned);
    byCookie.forEach((k, v) -> copy.put(k, Collections.unmodifiableSortedSet(new TreeSet<>(v))));
    byCookie = Collections.unmodifiableSortedMap(copy);
  }

  /** The empty registry. */
  public static Provenance empty() {
    return new Provenance(new TreeMap<>());
  }

  /** Origins of {@code cookie} (empty when unknown: e.g. a flow of another controller). */
  public SortedSet<Origin> origins(long cookie) {
    SortedSet<Origin> s = byCookie.get(cookie);
    return s != null ? s : Collections.emptySortedSet();
  }

  /** Cookies that more than one object hashed to (40-bit object id collisions). */
  public List<Long> collisions() {
    return byCookie.entrySet().stream()
        .filter(e -> e.getValue().stream().map(Origin::objectKey).distinct().count() > 1)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Accumulates origins. */
  public static final class Builder {
    private final TreeMap<Long, SortedSet<Origin>> map = new TreeMap<>(Long::compareUnsigned);

    /** Records that flows with {@code cookie} come from {@code origin}. */
    public Builder add(long cookie, Origin origin) {
      map.computeIfAbsent(cookie, k -> new TreeSet<>()).add(origin);
      return this;
    }

    /** The registry. */
    public Provenance build() {
      return new Provenance(map);
    }
  }

  /**
   * Where flows come from: a cluster object, or (for the skeleton flows every node has, object id
   * 0) the pipeline of the integration bridge itself.
   *
   * @param category the cookie category
   * @param object the object; null for the pipeline skeleton
   * @param rule for NetworkPolicy rule flows, the rule; else null
   */
  public record Origin(Cookie.Category category, @Nullable ObjectKey object, @Nullable RuleRef rule)
      implements Comparable<Origin> {

    /** The bridge the skeleton belongs to, as origins print it. */
    public static final String PIPELINE_BRIDGE = "br-int";

    /** The skeleton flows of the pipeline (object id 0) of {@code category}. */
    public static Origin pipeline(Cookie.Category category) {
      return new Origin(category, null, null);
    }

    /** Whether this is the pipeline skeleton rather than a cluster object. */
    public boolean isPipeline() {
      return object == null;
    }

    /** The kind as printed: {@code Node}, {@code Pod}, {@code NetworkPolicy}, {@code Pipeline}. */
    public String kindText() {
      return object == null ? "Pipeline" : object.kind().apiKind();
    }

    /** The namespace as printed, empty for cluster-scoped objects and the pipeline. */
    public String namespace() {
      return object == null ? "" : object.namespace();
    }

    /** The name as printed ({@value #PIPELINE_BRIDGE} for the pipeline). */
    public String name() {
      return object == null ? PIPELINE_BRIDGE : object.name();
    }

    /** {@code kind/namespace/name}. */
    public String objectKey() {
      return kindText() + "/" + namespace() + "/" + name();
    }

    @Override
    public int compareTo(Origin o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return category + " " + objectKey() + (rule == null ? "" : " " + rule);
    }
  }

  /**
   * One compiled NetworkPolicy rule.
   *
   * @param direction {@code ingress} or {@code egress}
   * @param ruleIndex index in {@code spec.ingress}/{@code spec.egress}; -1 for the implied deny-all
   *     rule of a policy that isolates a direction without rules
   * @param conjId the rule's conj_id
   * @param portGroup the resolved named-port group ({@code ""} when the rule has no named ports)
   * @param clauses the clauses in order, e.g. {@code [from, to, services]}
   */
  public record RuleRef(
      String direction, int ruleIndex, long conjId, String portGroup, List<String> clauses) {
    /** Copies the list. */
    public RuleRef {
      clauses = List.copyOf(clauses);
    }

    @Override
    public String toString() {
      return direction
          + "["
          + ruleIndex
          + "] conj_id="
          + conjId
          + (portGroup.isEmpty() ? "" : " ports=" + portGroup)
          + " clauses="
          + String.join("/", clauses);
    }
  }
}
