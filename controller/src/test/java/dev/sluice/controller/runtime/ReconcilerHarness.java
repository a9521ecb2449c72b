package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.pipeline.Provenance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/** One reconciler over a {@link FakeSwitch}, with what it reported. */
final class ReconcilerHarness implements AutoCloseable {
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final CompletableFuture<Void> barrier = new CompletableFuture<>();
  final AtomicReference<@Nullable DesiredFlows> desired = new AtomicReference<>();
  final List<DesiredFlows> realized = new CopyOnWriteArrayList<>();
  final List<SwitchReconciler.Cause> changes = new CopyOnWriteArrayList<>();
  final List<String> errors = new CopyOnWriteArrayList<>();
  final FakeSwitch sw;
  final ControllerMetrics metrics = new ControllerMetrics();
  final SwitchReconciler r;

  ReconcilerHarness(FakeSwitch sw, @Nullable DesiredFlows initial) {
    this.sw = sw;
    desired.set(initial);
    SwitchReconciler.Listener listener =
        new SwitchReconciler.Listener() {
          @Override
          public void realized(SwitchReconciler x, DesiredFlows d) {
            realized.add(d);
          }

          @Override
          public void changed(
              SwitchReconciler x, SwitchReconciler.Cause cause, TableChanges plan, DesiredFlows d) {
            changes.add(cause);
          }

          @Override
          public void error(String message) {
            errors.add(message);
          }
        };
    SwitchReconciler.Context ctx =
        new SwitchReconciler.Context(
            scheduler,
            barrier,
            n -> desired.get(),
            Provenance::empty,
            metrics,
            listener,
            Duration.ofMillis(20),
            Duration.ofMillis(80));
    r = new SwitchReconciler(ctx, "worker1", sw, new SwitchReconciler.Counters());
    r.start();
  }

  /** Publishes a new snapshot and marks the reconciler dirty, as the state loop does. */
  void publish(DesiredFlows d) {
    desired.set(d);
    r.markDirty();
  }

  /** Rounds planned with {@code strategy} ({@code tracked} or {@code full}). */
  long rounds(String strategy) {
    var c = metrics.registry().find("sluice.reconcile").tag("strategy", strategy).counter();
    return c == null ? 0 : (long) c.count();
  }

  /** Converged, and the listener heard of it (it is told after the state changed). */
  void awaitConverged() {
    await(
        () -> {
          DesiredFlows d = desired.get();
          return r.converged() && d != null && realized.stream().anyMatch(x -> x.seq() == d.seq());
        },
        "converged");
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    r.close();
    scheduler.shutdownNow();
  }
}
