package dev.sluice.controller.runtime;

import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.controller.api.PolicyRealization;
import dev.sluice.controller.events.EventPosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which consumed events are realized (their flows acknowledged by the switch) on which node.
 *
 * <p>Every state change has a sequence number. An event that changed node N's flows is
 * <em>pending</em> on N until N's switch acknowledges a desired snapshot with a sequence number at
 * least as high; an event that did not change N is realized on N as soon as it is consumed. So the
 * <b>realized offset</b> of N in a partition is the offset before N's first pending event there, or
 * the last consumed offset when nothing is pending. A NetworkPolicy generation is realized on N
 * when no event of N up to the policy's is pending.
 *
 * <p>Objects are {@link ObjectKey}s throughout (the state loop's identity of the event); maps keyed
 * by partition answer in (topic, partition) order, so {@code pods-2} comes before {@code pods-10}
 * and the API's JSON is stable.
 *
 * <p>Thread-safe (synchronized); updated from the state thread.
 */
final class RealizationTracker {
  private static final int REMEMBERED_EVENTS = 10_000;
  static final int MAX_PENDING_PER_NODE = 10_000;

  private record Pending(long seq, EventPosition position, @Nullable ObjectKey object) {}

  /** A partition of a topic, ordered by topic, then partition number. */
  record Partition(String topic, int partition) implements Comparable<Partition> {
    private static final Comparator<Partition> ORDER =
        Comparator.comparing(Partition::topic).thenComparingInt(Partition::partition);

    static Partition of(EventPosition p) {
      return new Partition(p.topic(), p.partition());
    }

    @Override
    public int compareTo(Partition o) {
      return ORDER.compare(this, o);
    }

    /** {@code topic-partition}, as Kafka's tools print it and the API's maps are keyed. */
    @Override
    public String toString() {
      return topic + "-" + partition;
    }
  }

  /** A NetworkPolicy version: its generation and the state version that applied it. */
  record PolicyVersion(ObjectKey policy, long generation, long seq) {}

  /** Policies in the order of their {@code namespace/name} (as the API lists them). */
  private static final Comparator<ObjectKey> POLICY_ORDER = Comparator.comparing(ObjectKey::key);

  /** What one event changed. */
  record EventOutcome(EventPosition position, long seq, Set<String> affectedNodes) {}

  private final TreeMap<Partition, Long> consumed = new TreeMap<>();
  private final Map<String, ArrayDeque<Pending>> pending = new HashMap<>();
  private final Map<ObjectKey, PolicyVersion> policies = new TreeMap<>(POLICY_ORDER);

  /** Per node, the state version of each policy already reported realized there. */
  private final Map<String, Map<ObjectKey, Long>> reportedPolicies = new HashMap<>();

  private final LinkedHashMap<String, EventOutcome> recent =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EventOutcome> e) {
          return size() > REMEMBERED_EVENTS;
        }
      };

  /** An event was applied as state version {@code seq}, changing the flows of {@code nodes}. */
  synchronized void consumed(EventPosition pos, long seq, Set<String> nodes) {
    consumed(pos, seq, nodes, null);
  }

  /**
   * An event about {@code object} was applied as state version {@code seq}, changing the flows of
   * {@code nodes}.
   */
  synchronized void consumed(
      EventPosition pos, long seq, Set<String> nodes, @Nullable ObjectKey object) {
    consumed.merge(Partition.of(pos), pos.offset(), Math::max);
    for (String n : nodes) {
      ArrayDeque<Pending> q = pending.computeIfAbsent(n, k -> new ArrayDeque<>());
      q.add(new Pending(seq, pos, object));
      // A node whose switch never connects (a master without OVS) would otherwise collect events
      // forever; past the bound its oldest events count as realized (they can never be).
      while (q.size() > MAX_PENDING_PER_NODE) {
        q.pollFirst();
      }
    }
    recent.put(pos.toString(), new EventOutcome(pos, seq, Set.copyOf(nodes)));
  }

  /** A NetworkPolicy was applied (generation 0 when it has none) or deleted ({@code null}). */
  synchronized void policy(ObjectKey policy, @Nullable Long generation, long seq) {
    if (generation == null) {
      policies.remove(policy);
    } else {
      policies.put(policy, new PolicyVersion(policy, generation, seq));
    }
  }

  /** Node {@code node}'s switch acknowledged the snapshot of state version {@code seq}. */
  synchronized void realized(String node, long seq) {
    ArrayDeque<Pending> q = pending.get(node);
    while (q != null && !q.isEmpty() && q.peekFirst().seq() <= seq) {
      q.pollFirst();
    }
  }

  /** A node is gone from the cluster: nothing is pending on it any more. */
  synchronized void forget(String node) {
    pending.remove(node);
    reportedPolicies.remove(node);
  }

  /** Last consumed offset per partition ({@code topic-partition}), in (topic, partition) order. */
  synchronized Map<String, Long> consumedOffsets() {
    return keyedByText(consumed);
  }

  /** The last consumed offset of {@code partition}, or -1 when nothing was consumed there. */
  synchronized long consumedOffset(Partition partition) {
    return consumed.getOrDefault(partition, -1L);
  }

  /** The realized offset of {@code node} per partition, in (topic, partition) order. */
  synchronized Map<String, Long> realizedOffsets(String node) {
    TreeMap<Partition, Long> out = new TreeMap<>(consumed);
    ArrayDeque<Pending> q = pending.get(node);
    if (q != null) {
      for (Pending p : q) {
        out.merge(Partition.of(p.position()), p.position().offset() - 1, Math::min);
      }
    }
    return keyedByText(out);
  }

  private static Map<String, Long> keyedByText(TreeMap<Partition, Long> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    m.forEach((tp, offset) -> out.put(tp.toString(), offset));
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * The events pending on {@code node} up to state version {@code seq} (what a round that realizes
   * {@code seq} carries out), oldest first: topic, partition, offset, object. At most {@code
   * limit}.
   */
  synchronized List<Map<String, Object>> pendingEvents(String node, long seq, int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    ArrayDeque<Pending> q = pending.get(node);
    if (q == null) {
      return out;
    }
    for (Pending p : q) {
      if (p.seq() > seq || out.size() >= limit) {
        break;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("topic", p.position().topic());
      m.put("partition", p.position().partition());
      m.put("offset", p.position().offset());
      m.put("object", p.object() == null ? "" : p.object().toString());
      out.add(m);
    }
    return out;
  }

  /** Number of events pending on {@code node} up to state version {@code seq}. */
  synchronized int pendingCount(String node, long seq) {
    ArrayDeque<Pending> q = pending.get(node);
    if (q == null) {
      return 0;
    }
    int n = 0;
    for (Pending p : q) {
      if (p.seq() > seq) {
        break;
      }
      n++;
    }
    return n;
  }

  /** Events consumed but not realized on {@code node}. */
  synchronized int pendingCount(String node) {
    ArrayDeque<Pending> q = pending.get(node);
    return q == null ? 0 : q.size();
  }

  /** The lowest pending state version of {@code node}, or MAX when nothing is pending. */
  private long firstPending(String node) {
    ArrayDeque<Pending> q = pending.get(node);
    return q == null || q.isEmpty() ? Long.MAX_VALUE : q.peekFirst().seq();
  }

  /** Per NetworkPolicy: its generation and the nodes (of {@code nodes}) it is realized on. */
  synchronized List<PolicyRealization> policies(Collection<String> nodes) {
    List<PolicyRealization> out = new ArrayList<>();
    for (PolicyVersion p : policies.values()) {
      Set<String> on = new TreeSet<>();
      for (String n : nodes) {
        if (firstPending(n) > p.seq()) {
          on.add(n);
        }
      }
      out.add(
          new PolicyRealization(
              p.policy().key(), p.generation(), List.copyOf(on), on.size(), nodes.size()));
    }
    return out;
  }

  /**
   * The NetworkPolicy versions that became realized on {@code node} since the last call for that
   * node (each generation is reported once per node), for the realization topic.
   */
  synchronized List<PolicyVersion> newlyRealizedPolicies(String node) {
    Map<ObjectKey, Long> seen = reportedPolicies.computeIfAbsent(node, k -> new HashMap<>());
    seen.keySet().retainAll(policies.keySet());
    List<PolicyVersion> out = new ArrayList<>();
    long first = firstPending(node);
    for (PolicyVersion p : policies.values()) {
      Long reported = seen.get(p.policy());
      if (first > p.seq() && (reported == null || reported != p.seq())) {
        seen.put(p.policy(), p.seq());
        out.add(p);
      }
    }
    return out;
  }

  /** What an event did, if it is recent enough to be remembered. */
  synchronized @Nullable EventOutcome event(String position) {
    return recent.get(position);
  }
}
