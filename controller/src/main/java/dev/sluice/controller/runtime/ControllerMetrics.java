package dev.sluice.controller.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The controller's Prometheus metrics ({@code /metrics}):
 *
 * <pre>
 * sluice_switches_connected                        switches with a live session
 * sluice_flows{node,table,view=desired|installed}  flows per table
 * sluice_flow_mods_sent_total{node,op}             flow-mods in committed bundles (add, modify, delete)
 * sluice_group_mods_sent_total{node}               group-mods in committed bundles
 * sluice_bundles_sent_total{node}                  bundles committed
 * sluice_reconcile_total{node,strategy}            rounds planned, by strategy (tracked changes
 *                                                  or full compare; see SwitchReconciler)
 * sluice_bundle_seconds{node}                      bundle round trip (send → commit → barrier)
 * sluice_flow_mods_rejected_total{node}            flow-mods the switch refused
 * sluice_events_applied_total, sluice_events_deleted_total, sluice_events_dead_lettered_total,
 * sluice_events_stale_total                        event source counters
 * sluice_event_lag{topic,partition}                records behind the end of each partition
 * sluice_compile_seconds                           incremental compile time per event
 * sluice_audit_runs_total{node,outcome}            audits run (clean, drift, repaired)
 * sluice_audit_seconds{node}                       audit time: read + compare (+ repair bundle)
 * sluice_audit_flows_audited_total{node}           flows read from switches by audits
 * sluice_audit_drift_total{node,kind}              drift found (missing, modified, extraneous;
 *                                                  flows and groups)
 * sluice_audit_last_drift{node,kind}               drift found by the node's last audit
 * sluice_audit_repairs_total{node}                 repair bundles committed
 * sluice_audit_repair_changes_total{node}          flow-mods and group-mods in repair bundles
 * </pre>
 */
public final class ControllerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer compile;
  private final MultiGauge flows;
  private final MultiGauge lag;

  ControllerMetrics() {
    compile =
        Timer.builder("sluice.compile")
            .description("incremental compile time per event")
            .register(registry);
    flows =
        MultiGauge.builder("sluice.flows")
            .description("flows per node and table")
            .register(registry);
    lag =
        MultiGauge.builder("sluice.event.lag")
            .description("records behind the end of the partition")
            .register(registry);
  }

  /** The registry (for gauges the controller registers). */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  void compiled(long nanos) {
    compile.record(Duration.ofNanos(nanos));
  }

  void bundle(String node, int adds, int mods, int dels, int groups, long millis) {
    flowMods(node, "add").increment(adds);
    flowMods(node, "modify").increment(mods);
    flowMods(node, "delete").increment(dels);
    Counter.builder("sluice.group.mods.sent")
        .tag("node", node)
        .register(registry)
        .increment(groups);
    Counter.builder("sluice.bundles.sent").tag("node", node).register(registry).increment();
    Timer.builder("sluice.bundle")
        .tag("node", node)
        .register(registry)
        .record(Duration.ofMillis(millis));
  }

  private Counter flowMods(String node, String op) {
    return Counter.builder("sluice.flow.mods.sent")
        .tag("node", node)
        .tag("op", op)
        .register(registry);
  }

  private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> lastDrift =
      new java.util.concurrent.ConcurrentHashMap<>();

  void audit(String node, SwitchReconciler.AuditOutcome o) {
    dev.sluice.compiler.audit.AuditReport r = o.report();
    if (r == null) {
      return;
    }
    String outcome = o.repaired() ? "repaired" : r.isClean() ? "clean" : "drift";
    Counter.builder("sluice.audit.runs")
        .description("audits run")
        .tag("node", node)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder("sluice.audit")
        .description("audit time: read, compare, repair")
        .tag("node", node)
        .register(registry)
        .record(Duration.ofMillis(o.millis()));
    Counter.builder("sluice.audit.flows.audited")
        .description("flows read from switches by audits")
        .tag("node", node)
        .register(registry)
        .increment(r.installedCount());
    for (dev.sluice.compiler.audit.Drift.Kind k : dev.sluice.compiler.audit.Drift.Kind.values()) {
      String kind = k.name().toLowerCase(java.util.Locale.ROOT);
      int n = r.count(k);
      Counter.builder("sluice.audit.drift")
          .description("drift found by audits")
          .tag("node", node)
          .tag("kind", kind)
          .register(registry)
          .increment(n);
      lastDrift
          .computeIfAbsent(
              node + "\0" + kind,
              x -> {
                java.util.concurrent.atomic.AtomicLong v =
                    new java.util.concurrent.atomic.AtomicLong();
                io.micrometer.core.instrument.Gauge.builder(
                        "sluice.audit.last.drift", v, a -> a.get())
                    .description("drift found by the node's last audit")
                    .tag("node", node)
                    .tag("kind", kind)
                    .register(registry);
                return v;
              })
          .set(n);
    }
    if (o.repaired()) {
      Counter.builder("sluice.audit.repairs")
          .description("repair bundles committed")
          .tag("node", node)
          .register(registry)
          .increment();
      Counter.builder("sluice.audit.repair.changes")
          .description("flow-mods and group-mods in repair bundles")
          .tag("node", node)
          .register(registry)
          .increment(o.changesSent());
    }
  }

  void reconciled(String node, String strategy) {
    Counter.builder("sluice.reconcile")
        .description("reconciler rounds by strategy: tracked changes or full compare")
        .tag("node", node)
        .tag("strategy", strategy)
        .register(registry)
        .increment();
  }

  void rejected(String node) {
    Counter.builder("sluice.flow.mods.rejected").tag("node", node).register(registry).increment();
  }

  /** Registers a gauge read at scrape time. */
  void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value)
        .description(description)
        .register(registry);
  }

  /** Registers a function counter read at scrape time. */
  void counter(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.FunctionCounter.builder(name, value, v -> v.get().doubleValue())
        .description(description)
        .register(registry);
  }

  /** The Prometheus text, refreshing the per-table and lag gauges first. */
  String scrape(
      Map<String, Map<Integer, Integer>> desired,
      Map<String, Map<Integer, Integer>> installed,
      Map<String, Long> lagByPartition) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    addRows(rows, desired, "desired");
    addRows(rows, installed, "installed");
    flows.register(rows, true);
    List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
    lagByPartition.forEach(
        (tp, l) -> {
          int dash = tp.lastIndexOf('-');
          lagRows.add(
              MultiGauge.Row.of(
                  Tags.of("topic", tp.substring(0, dash), "partition", tp.substring(dash + 1)), l));
        });
    lag.register(lagRows, true);
    return registry.scrape();
  }

  private static void addRows(
      List<MultiGauge.Row<?>> rows, Map<String, Map<Integer, Integer>> counts, String view) {
    counts.forEach(
        (node, tables) ->
            tables.forEach(
                (table, n) ->
                    rows.add(
                        MultiGauge.Row.of(
                            Tags.of("node", node, "table", String.valueOf(table), "view", view),
                            n))));
  }
}
