package dev.sluice.compiler.bench;

import dev.sluice.compiler.cluster.PersistentSortedMaps;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The persistent sorted map behind {@code ClusterState}: the hand-written AVL map ({@code avl})
 * against pcollections' {@link TreePMap} ({@code pcollections}), at the sizes a cluster state's map
 * holds (1k and 100k objects), with the key shape ClusterState uses ({@code "namespace/name"}).
 * Each operation is one {@code plus} of an absent key, one {@code minus} of a present key, one
 * {@code get} of a present key, or one full iteration in key order (what a snapshot of every pod
 * costs). Recorded in {@code docs/benchmarks.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class PersistentMapBenchmark {
  @Param({"1000", "100000"})
  int size;

  @Param({"avl", "pcollections"})
  String impl;

  /** Keys in the map, and keys not in it; indexed at random so no single path stays in cache. */
  private String[] present;

  private String[] absent;
  private Ops ops;
  private Object map;
  private final SplittableRandom random = new SplittableRandom(42);

  @Setup(Level.Trial)
  public void setUp() {
    present = new String[size];
    absent = new String[size];
    for (int i = 0; i < size; i++) {
      present[i] = key(2 * i);
      absent[i] = key(2 * i + 1);
    }
    ops = impl.equals("avl") ? new Avl() : new Pcollections();
    Object m = ops.empty();
    // inserted in shuffled order, as objects arrive from Kafka in no particular key order
    int[] order = random.ints(0, size).distinct().limit(size).toArray();
    for (int i : order) {
      m = ops.plus(m, present[i], present[i]);
    }
    map = m;
    if (ops.size(map) != size) {
      throw new IllegalStateException("size " + ops.size(map) + " != " + size);
    }
  }

  private static String key(int i) {
    return String.format("ns-%03d/pod-%07d", i % 97, i);
  }

  @Benchmark
  public Object put() {
    String k = absent[random.nextInt(size)];
    return ops.plus(map, k, k);
  }

  @Benchmark
  public Object remove() {
    return ops.minus(map, present[random.nextInt(size)]);
  }

  @Benchmark
  public Object lookup() {
    return ops.get(map, present[random.nextInt(size)]);
  }

  @Benchmark
  public void iterate(Blackhole bh) {
    for (Map.Entry<String, String> e : ops.entries(map)) {
      bh.consume(e.getValue());
    }
  }

  /** The four operations over an opaque map, one implementation per candidate. */
  private interface Ops {
    Object empty();

    Object plus(Object map, String key, String value);

    Object minus(Object map, String key);

    Object get(Object map, String key);

    int size(Object map);

    Iterable<Map.Entry<String, String>> entries(Object map);
  }

  private static final class Avl implements Ops {
    @Override
    public Object empty() {
      return PersistentSortedMaps.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> cast(Object map) {
      return (Map<String, String>) map;
    }

    @Override
    public Object plus(Object map, String key, String value) {
      return PersistentSortedMaps.plus(cast(map), key, value);
    }

    @Override
    public Object minus(Object map, String key) {
      return PersistentSortedMaps.minus(cast(map), key);
    }

    @Override
    public Object get(Object map, String key) {
      return cast(map).get(key);
    }

    @Override
    public int size(Object map) {
      return cast(map).size();
    }

    @Override
    public Iterable<Map.Entry<String, String>> entries(Object map) {
      return cast(map).entrySet();
    }
  }

  private static final class Pcollections implements Ops {
    @Override
    public Object empty() {
      return TreePMap.<String, String>empty();
    }

    @SuppressWarnings("unchecked")
    private static PSortedMap<String, String> cast(Object map) {
      return (PSortedMap<String, String>) map;
    }

    @Override
    public Object plus(Object map, String key, String value) {
      return cast(map).plus(key, value);
    }

    @Override
    public Object minus(Object map, String key) {
      return cast(map).minus(key);
    }

    @Override
    public Object get(Object map, String key) {
      return cast(map).get(key);
    }

    @Override
    public int size(Object map) {
      return cast(map).size();
    }

    @Override
    public Iterable<Map.Entry<String, String>> entries(Object map) {
      return cast(map).entrySet();
    }
  }
}
