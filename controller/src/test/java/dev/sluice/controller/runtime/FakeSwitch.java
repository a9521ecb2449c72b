package dev.sluice.controller.runtime;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.compiler.flow.TableOp;
import dev.sluice.southbound.codec.FlowEntry;
import dev.sluice.southbound.tables.Installed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A switch in memory for reconciler and auditor tests: tables as maps, every bundle recorded, and
 * knobs to hold a bundle, reject a flow, fail an apply or a read, or disconnect. Applies a bundle
 * operation by operation as OVS does under OpenFlow 1.3: a strict modify of a flow that is not
 * there changes nothing (it does not add it).
 */
final class FakeSwitch implements SwitchTables {
  final Map<Flow.Key, Flow> flows = new LinkedHashMap<>();
  final Map<Long, Group> groups = new LinkedHashMap<>();
  final List<TableChanges> bundles = new ArrayList<>();
  final AtomicInteger reads = new AtomicInteger();
  final AtomicInteger prepares = new AtomicInteger();

  /** Flows (by key) the switch refuses. */
  final Set<Flow.Key> refuse = ConcurrentHashMap.newKeySet();

  /** Applies to fail with a timeout before any succeeds. */
  final AtomicInteger failApplies = new AtomicInteger();

  volatile boolean connected = true;

  /** When set, the next apply waits for it before committing. */
  volatile @Nullable CompletableFuture<Void> hold;

  @Override
  public String label() {
    return "switch br-fake dpid=0000000000000001";
  }

  @Override
  public String datapathId() {
    return "0000000000000001";
  }

  @Override
  public String bridge() {
    return "br-fake";
  }

  @Override
  public String remoteAddress() {
    return "fake";
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public PortNames portNames() {
    return PortNames.NONE;
  }

  @Override
  public CompletableFuture<Void> prepare() {
    prepares.incrementAndGet();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletableFuture<Installed> read() {
    reads.incrementAndGet();
    if (!connected) {
      return CompletableFuture.failedFuture(new Disconnected("gone", new RuntimeException()));
    }
    List<FlowEntry> entries = new ArrayList<>();
    for (Flow f : flows.values()) {
      entries.add(new FlowEntry(f, 0, 0, 0, 0, 0, List.of(), List.of()));
    }
    return CompletableFuture.completedFuture(new Installed(entries, List.copyOf(groups.values())));
  }

  @Override
  public CompletableFuture<Void> whenWritable() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> apply(TableChanges plan) {
    CompletableFuture<Void> h = hold;
    hold = null;
    CompletableFuture<Void> gate = h == null ? CompletableFuture.completedFuture(null) : h;
    return gate.thenCompose(v -> commit(plan));
  }

  private synchronized CompletableFuture<Void> commit(TableChanges plan) {
    bundles.add(plan);
    if (!connected) {
      return CompletableFuture.failedFuture(new Disconnected("gone", new RuntimeException()));
    }
    if (failApplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return CompletableFuture.failedFuture(new IllegalStateException("barrier timed out"));
    }
    List<TableOp> bundle = plan.bundle();
    List<Rejection> rejected = new ArrayList<>();
    for (int i = 0; i < bundle.size(); i++) {
      if (bundle.get(i) instanceof TableOp.FlowOp op && refuse.contains(op.flow().key())) {
        rejected.add(
            new Rejection(i, op.flow().toString(), "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT"));
      }
    }
    if (!rejected.isEmpty()) {
      return CompletableFuture.failedFuture(
          new Rejected("bundle failed, nothing applied", rejected, new RuntimeException()));
    }
    for (TableOp op : bundle) {
      if (op instanceof TableOp.FlowOp f) {
        Flow flow = f.flow();
        switch (op.command()) {
          case ADD -> flows.put(flow.key(), flow);
          case MODIFY -> flows.computeIfPresent(flow.key(), (k, old) -> flow);
          case DELETE -> flows.remove(flow.key());
        }
      } else if (op instanceof TableOp.GroupOp g) {
        Group group = g.group();
        switch (op.command()) {
          case ADD, MODIFY -> groups.put(group.groupId(), group);
          case DELETE -> groups.remove(group.groupId());
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  synchronized List<TableChanges> bundles() {
    return List.copyOf(bundles);
  }

  synchronized Set<Flow> flowSet() {
    return Set.copyOf(flows.values());
  }
}
