package dev.sluice.controller.runtime;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.compile.Change;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.NodeFlows;
import dev.sluice.compiler.compile.PortSource;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Provenance;
import dev.sluice.controller.events.EventPosition;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that owns the {@link CompiledCluster}: it applies events and port changes one
 * at a time, each as a <b>transaction</b>, and publishes the new desired snapshot ({@link
 * DesiredFlows}) of every node whose flows changed.
 *
 * <p>Transaction: {@link CompiledCluster#apply} hands its mutable engine over to the result, so a
 * compiler that throws half-way leaves no usable state behind. The loop keeps the {@link
 * ClusterState} from before the event (immutable, so keeping it costs nothing) and, on a failure,
 * compiles it cold ({@link CompiledCluster#compileAll}; only on failure) and rethrows: nothing is
 * published, the realization tracker does not hear of the event, and the event source dead-letters
 * it as an internal error. Everything that can throw runs before anything is committed.
 *
 * <p>Other threads read the published snapshots ({@link #desired}) at any time; anything else goes
 * through {@link #call} or {@link #execute}.
 */
final class StateLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateLoop.class);

  /** The compiler the loop drives (a seam for tests that make it fail). */
  interface Compiler {
    CompiledCluster.Result apply(CompiledCluster compiled, Change change);

    CompiledCluster.Result refreshPorts(CompiledCluster compiled, String node);

    CompiledCluster compileAll(ClusterState state);

    /** The real compiler. */
    static Compiler of(CompilerConfig config, PortSource ports) {
      return new Compiler() {
        @Override
        public CompiledCluster.Result apply(CompiledCluster compiled, Change change) {
          return compiled.apply(change);
        }

        @Override
        public CompiledCluster.Result refreshPorts(CompiledCluster compiled, String node) {
          return compiled.refreshPorts(node);
        }

        @Override
        public CompiledCluster compileAll(ClusterState state) {
          return CompiledCluster.compileAll(state, config, ports);
        }
      };
    }
  }

  /** What the loop tells the rest of the controller, on its thread, after a commit. */
  interface Hooks {
    /** New desired snapshots of {@code nodes} were published (the reconcilers go dirty). */
    default void published(Set<String> nodes) {}

    /** A Node object was applied: the nodes of {@code state} changed (switch matching). */
    default void nodesChanged(ClusterState state) {}
  }

  private final Compiler compiler;
  private final RealizationTracker realization;
  private final ControllerMetrics metrics;
  private final ErrorRing errors;
  private final Supplier<ControllerProbe> probe;
  private final Hooks hooks;
  private final ExecutorService thread;
  private final Map<String, DesiredFlows> desired = new ConcurrentHashMap<>();

  // State thread only.
  private CompiledCluster compiled;
  private long seq;

  // Provenance of the compiled state, computed on demand and cached per state version.
  private volatile long stateSeq;
  private volatile @Nullable Provenance provenance;
  private volatile long provenanceSeq = -1;

  StateLoop(
      Compiler compiler,
      RealizationTracker realization,
      ControllerMetrics metrics,
      ErrorRing errors,
      Supplier<ControllerProbe> probe,
      Hooks hooks) {
    this.compiler = compiler;
    this.realization = realization;
    this.metrics = metrics;
    this.errors = errors;
    this.probe = probe;
    this.hooks = hooks;
    this.compiled = compiler.compileAll(ClusterState.empty());
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-state");
              t.setDaemon(true);
              return t;
            });
  }

  // ---------------------------------------------------------------- any thread

  /** Runs {@code task} on the state thread and waits for its result. */
  <T> T call(Callable<T> task) {
    Future<T> f = thread.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new IllegalStateException("interrupted while applying", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
    }
  }

  /** Runs {@code task} on the state thread later. */
  void execute(Runnable task) {
    thread.execute(task);
  }

  /** The state thread, for async completions. */
  java.util.concurrent.Executor executor() {
    return thread;
  }

  /** Applies an event (waits for the verdict); see the class comment for a compiler failure. */
  java.util.List<ManifestError> submit(Change change, ObjectKey key, EventPosition pos) {
    return call(() -> apply(change, key, pos));
  }

  /** Runs {@code task} with the compiled cluster on the state thread (PolicyWhy, walks). */
  <T> T withCompiled(Function<CompiledCluster, T> task) {
    return call(() -> task.apply(compiled));
  }

  /** Cookie → origins of the current compiled state (cached per state version). */
  Provenance provenance() {
    long s = stateSeq;
    Provenance p = provenance;
    if (p != null && provenanceSeq == s) {
      return p;
    }
    Provenance fresh = call(() -> compiled.provenance());
    provenance = fresh;
    provenanceSeq = s;
    return fresh;
  }

  /** The published snapshot of {@code node}. */
  @Nullable DesiredFlows desired(String node) {
    return desired.get(node);
  }

  /** Nodes with a published snapshot, sorted. */
  Set<String> nodes() {
    return new TreeSet<>(desired.keySet());
  }

  /** Every published snapshot (a copy). */
  Map<String, DesiredFlows> snapshots() {
    return Map.copyOf(desired);
  }

  // ---------------------------------------------------------------- state thread only

  /** The compiled snapshot (state thread only). */
  ClusterState state() {
    return compiled.state();
  }

  /** Applies one event as a transaction (state thread only). */
  java.util.List<ManifestError> apply(Change change, ObjectKey key, EventPosition pos) {
    long t0 = System.nanoTime();
    ClusterState before = compiled.state();
    CompiledCluster.Result r;
    Map<String, @Nullable DesiredFlows> next;
    long s = seq + 1;
    try {
      r = compiler.apply(compiled, change);
      next = snapshots(r, s, true);
    } catch (RuntimeException | Error e) {
      restore(before, key + " (" + pos + ")", e);
      throw e;
    }
    compiled = r.compiled();
    metrics.compiled(System.nanoTime() - t0);
    boolean rejected =
        r.errors().stream().anyMatch(e -> e.severity() == ManifestError.Severity.ERROR);
    if (rejected) {
      errors.add(
          "rejected",
          key + " (" + pos + "): " + r.errors().stream().map(Object::toString).toList());
      // Consumed all the same (it is dead-lettered): it changes no node.
      realization.consumed(pos, seq, Set.of());
      long t = System.nanoTime();
      probe.get().applied(pos, -1, Set.of(), t0, t, t);
      return r.errors();
    }
    long t1 = System.nanoTime();
    seq = s;
    // Record the event before the reconcilers see the new snapshot: a round that carries it
    // journals the pending events it realizes.
    realization.consumed(pos, s, r.changes().keySet(), key);
    if (key.kind() == ObjectKind.NETWORK_POLICY) {
      Long gen = null;
      if (change instanceof Change.Upsert u) {
        gen = Objects.requireNonNullElse(u.object().getMetadata().getGeneration(), 0L);
      }
      realization.policy(key, gen, s);
    }
    publish(next, s);
    probe.get().applied(pos, s, r.changes().keySet(), t0, t1, System.nanoTime());
    if (!r.changes().isEmpty() && log.isDebugEnabled()) {
      log.debug("{} ({}): {}", key, pos, describe(r));
    }
    if (key.kind() == ObjectKind.NODE) {
      hooks.nodesChanged(compiled.state());
    }
    return r.errors();
  }

  /**
   * Recompiles {@code node} after its switch reported other ports (state thread only). A node gets
   * a new snapshot even without a diff: its seq must move past pending events realized by the same
   * flows.
   */
  void refreshPorts(String node) {
    long t0 = System.nanoTime();
    ClusterState before = compiled.state();
    long s = seq + 1;
    CompiledCluster.Result r;
    Map<String, @Nullable DesiredFlows> next;
    try {
      r = compiler.refreshPorts(compiled, node);
      // Untracked: the switch's ports changed under flows that may have been rejected for a
      // missing port, so the reconciler compares the whole node once.
      next = snapshots(r, s, false);
      if (!r.changes().containsKey(node)
          && r.compiled().nodes().contains(node)
          && !desired.containsKey(node)) {
        next.put(node, new DesiredFlows(r.compiled().flows(node), r.compiled().ports(node), s));
      }
    } catch (RuntimeException | Error e) {
      restore(before, "ports of node " + node, e);
      throw e;
    }
    compiled = r.compiled();
    metrics.compiled(System.nanoTime() - t0);
    probe.get().portsRefreshed(node, t0, System.nanoTime());
    seq = s;
    log.info(
        "node {}: ports {} → recompiled {}",
        node,
        compiled.ports(node).byName(),
        r.changes().isEmpty() ? "(no change)" : describe(r));
    publish(next, s);
  }

  /**
   * The snapshots a result publishes (null: the node is gone); may throw, commits nothing. With
   * {@code tracked}, each carries the compiler's changes from the node's published snapshot: every
   * change of a node's flows is published, so the compiler's "before" is that snapshot.
   */
  private Map<String, @Nullable DesiredFlows> snapshots(
      CompiledCluster.Result r, long s, boolean tracked) {
    CompiledCluster c = r.compiled();
    Set<String> present = c.nodes();
    Map<String, @Nullable DesiredFlows> out = new HashMap<>();
    for (Map.Entry<String, TableChanges> e : r.changes().entrySet()) {
      String n = e.getKey();
      if (present.contains(n)) {
        NodeFlows f = c.flows(n);
        DesiredFlows prev = desired.get(n);
        out.put(
            n,
            tracked && prev != null
                ? new DesiredFlows(f, c.ports(n), s, e.getValue(), prev.seq())
                : new DesiredFlows(f, c.ports(n), s));
      } else {
        out.put(n, null);
      }
    }
    return out;
  }

  private void publish(Map<String, @Nullable DesiredFlows> next, long s) {
    stateSeq = s;
    next.forEach(
        (n, d) -> {
          if (d != null) {
            desired.put(n, d);
          } else {
            desired.remove(n);
          }
        });
    hooks.published(next.keySet());
  }

  /** The compiler failed mid-apply: back to the state before the event, compiled cold. */
  private void restore(ClusterState before, String what, Throwable e) {
    log.error("compiler failed on {}; restoring the state before it", what, e);
    errors.add("internal", what + ": compiler failed: " + e);
    compiled = compiler.compileAll(before);
  }

  private static String describe(CompiledCluster.Result r) {
    StringBuilder sb = new StringBuilder();
    r.changes()
        .forEach(
            (n, d) ->
                sb.append(n)
                    .append(" +")
                    .append(d.flowAdds().size())
                    .append("/~")
                    .append(d.flowModifies().size())
                    .append("/-")
                    .append(d.flowDeletes().size())
                    .append(' '));
    return sb.toString().strip();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
