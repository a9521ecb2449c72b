package dev.sluice.compiler.compile;

import dev.sluice.compiler.pipeline.Cookie;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * Conjunction ids that are a pure function of the set of rule keys, so a cold compile and any
 * sequence of incremental changes reaching the same rules give the same ids, and a rule keeps its
 * id while it exists (except in the rare collision case below).
 *
 * <p>A key ({@code namespace/policy/direction/ruleIndex/portGroup}) hashes (SHA-256, 31 bits) to a
 * home cell; ids are cell + 1 in {@code 1..2^31-1}. Keys whose homes collide are resolved by linear
 * probing <em>in key order</em>: the assignment is what inserting all keys sorted would give. The
 * cells linear probing occupies do not depend on insertion order, and keys only interact inside a
 * maximal run of occupied cells, so {@link #add} and {@link #remove} recompute just the run(s)
 * around the changed key and return the keys whose id moved (their rules must be re-emitted).
 */
final class ConjIdAllocator {

  /** Ids are 1..SPACE. */
  public static final long DEFAULT_SPACE = (1L << 31) - 1;

  private final long space;
  private final ToLongFunction<String> hash;
  private final Map<String, Long> cellOf = new HashMap<>();
  private final Map<Long, String> keyAt = new HashMap<>();

  /** The production allocator. */
  public ConjIdAllocator() {
    this(DEFAULT_SPACE, ConjIdAllocator::sha256Hash);
  }

  /** An allocator with a custom (e.g. tiny, collision-prone) space and hash: for tests. */
  public ConjIdAllocator(long space, ToLongFunction<String> hash) {
    if (space < 1 || space > DEFAULT_SPACE) {
      throw new IllegalArgumentException("space must be 1..2^31-1");
    }
    this.space = space;
    this.hash = hash;
  }

  /** A copy with the same assignments. */
  public ConjIdAllocator copy() {
    ConjIdAllocator c = new ConjIdAllocator(space, hash);
    c.cellOf.putAll(cellOf);
    c.keyAt.putAll(keyAt);
    return c;
  }

  static long sha256Hash(String key) {
    byte[] d = Cookie.sha256(key);
    return ((d[0] & 0xffL) << 24) | ((d[1] & 0xffL) << 16) | ((d[2] & 0xffL) << 8) | (d[3] & 0xffL);
  }

  private long home(String key) {
    return Math.floorMod(hash.applyAsLong(key), space);
  }

  /** The id of {@code key}, or 0 when it has none. */
  public long id(String key) {
    Long c = cellOf.get(key);
    return c == null ? 0 : c + 1;
  }

  /** All assignments, sorted by key. */
  public Map<String, Long> ids() {
    TreeMap<String, Long> m = new TreeMap<>();
    cellOf.forEach((k, c) -> m.put(k, c + 1));
    return Collections.unmodifiableMap(m);
  }

  /** Number of keys. */
  public int size() {
    return cellOf.size();
  }

  /** Assigns ids to all {@code keys} at once (a cold compile). */
  public void addAll(Collection<String> keys) {
    TreeSet<String> all = new TreeSet<>(cellOf.keySet());
    all.addAll(keys);
    cellOf.clear();
    keyAt.clear();
    place(all);
  }

  /** Adds {@code key}; returns the keys whose id changed, including {@code key}. */
  public Set<String> add(String key) {
    if (cellOf.containsKey(key)) {
      return Set.of();
    }
    TreeSet<String> group = new TreeSet<>();
    group.add(key);
    while (true) {
      Map<String, Long> trial = isolated(group);
      Set<String> more = new TreeSet<>();
      for (long c : trial.values()) {
        for (long n : new long[] {c, prev(c), next(c)}) {
          String k = keyAt.get(n);
          if (k != null && !group.contains(k)) {
            more.addAll(runOf(n));
          }
        }
      }
      if (more.isEmpty()) {
        return commit(group, trial);
      }
      group.addAll(more);
    }
  }

  /** Removes {@code key}; returns the keys whose id changed (not including {@code key}). */
  public Set<String> remove(String key) {
    Long cell = cellOf.get(key);
    if (cell == null) {
      return Set.of();
    }
    TreeSet<String> group = new TreeSet<>(runOf(cell));
    group.remove(key);
    cellOf.remove(key);
    keyAt.remove(cell);
    return commit(group, isolated(group));
  }

  private Set<String> commit(Set<String> group, Map<String, Long> trial) {
    Set<String> changed = new HashSet<>();
    for (String k : group) {
      Long old = cellOf.remove(k);
      if (old != null) {
        keyAt.remove(old);
      }
    }
    trial.forEach(
        (k, c) -> {
          Long old = cellOf.get(k);
          cellOf.put(k, c);
          keyAt.put(c, k);
          if (old == null || old.longValue() != c) {
            changed.add(k);
          }
        });
    // Keys whose old cell differed are "changed"; recompute against the previous snapshot.
    return changed;
  }

  /** Keys of the maximal run of occupied cells containing {@code cell}. */
  private List<String> runOf(long cell) {
    List<String> out = new ArrayList<>();
    if (!keyAt.containsKey(cell)) {
      return out;
    }
    long c = cell;
    long steps = 0;
    while (keyAt.containsKey(prev(c)) && steps++ < space) {
      c = prev(c);
    }
    steps = 0;
    while (keyAt.containsKey(c) && steps++ < space) {
      out.add(keyAt.get(c));
      c = next(c);
      if (c == cell && out.size() > 1 && keyAt.size() >= space) {
        break;
      }
    }
    return out;
  }

  /** Sorted-order linear probing of {@code keys} alone. */
  private Map<String, Long> isolated(Collection<String> keys) {
    Set<Long> taken = new HashSet<>();
    Map<String, Long> out = new TreeMap<>();
    for (String k : new TreeSet<>(keys)) {
      long c = home(k);
      long steps = 0;
      while (taken.contains(c)) {
        c = next(c);
        if (++steps > space) {
          throw new IllegalStateException("conjunction id space exhausted");
        }
      }
      taken.add(c);
      out.put(k, c);
    }
    return out;
  }

  private void place(Collection<String> keys) {
    isolated(keys)
        .forEach(
            (k, c) -> {
              cellOf.put(k, c);
              keyAt.put(c, k);
            });
  }

  private long next(long c) {
    return c + 1 == space ? 0 : c + 1;
  }

  private long prev(long c) {
    return c == 0 ? space - 1 : c - 1;
  }
}
