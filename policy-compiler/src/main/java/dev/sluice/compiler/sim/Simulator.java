package dev.sluice.compiler.sim;

import dev.sluice.compiler.flow.Action;
import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.OfPort;
import dev.sluice.compiler.flow.PortNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A simulated OpenFlow 1.3 switch (OVS flavour) that answers "where does this packet go?" for a set
 * of flows and groups, the way {@code ovs-appctl ofproto/trace} walks them.
 *
 * <p>Semantics modelled (OVS 3.1, {@code ofproto-dpif-xlate.c}, {@code classifier.c}):
 *
 * <ul>
 *   <li>Lookup: the highest-priority matching flow (value/mask per field). Two matching flows of
 *       that same priority: OVS's choice is undefined; the simulator takes the first in input order
 *       and says "ambiguous" in the step.
 *   <li>Conjunctive match: flows whose actions are all {@code conjunction()} are never selected
 *       themselves. If, at some priority {@code P} higher than the best ordinary match, clause
 *       flows of priority {@code P} cover every clause {@code 1..n} of conjunction {@code id}, the
 *       table is looked up again with {@code conj_id=id}: the highest-priority ordinary flow
 *       matching that (usually the {@code conj_id=id} flow, whose own priority may differ from
 *       {@code P}, as in Antrea: clauses 200, {@code conj_id} flow 190) wins. Clause flows of one
 *       conjunction at different priorities never combine.
 *   <li>{@code resubmit(port,N)} looks up table N (with in_port replaced for the lookup only), runs
 *       that flow's actions, then continues with the next action; {@code goto_table:N} does the
 *       same as the last action. Nesting deeper than {@value #MAX_DEPTH} or more than {@value
 *       #MAX_RESUBMITS} resubmits in one pass is a translation error and OVS drops the packet.
 *   <li>Table miss: drop (OpenFlow 1.3, bridge {@code fail_mode=secure}).
 *   <li>{@code output}: to the port; to {@code in_port} only through {@code IN_PORT} (OVS skips an
 *       output to the input port). {@code output:NXM_NX_REG1[]} uses the register's value.
 *   <li>{@code dec_ttl} with TTL 0 or 1: the packet is sent to controllers with reason {@code
 *       invalid_ttl} (nobody listens on a secure bridge: a drop) and the current action list stops.
 *   <li>Groups: {@code all} runs every bucket on a copy of the packet; {@code select} picks one
 *       bucket deterministically by a hash of the 5-tuple (nw_src, nw_dst, nw_proto, tp_src,
 *       tp_dst) over the bucket weights (OVS's own choice may differ); {@code indirect} its bucket;
 *       {@code ff} the first bucket (all ports are assumed live).
 *   <li>{@code ct}: its {@code exec()} writes {@code ct_mark}/{@code ct_label}; {@code ct(table=N)}
 *       forks a recirculation that resumes at table N after the current pass with {@code ct_state}
 *       from the next {@link CtNext} entry ({@code trk|new} when exhausted) and {@code ct_zone};
 *       the current pass then continues with the ct fields cleared, as OVS does ("Sets the packet
 *       to an untracked state"). {@code nat} is recorded, not applied (neither does {@code
 *       ofproto/trace}).
 * </ul>
 */
public final class Simulator {
  /** OVS's MAX_DEPTH: resubmit/goto nesting limit. */
  public static final int MAX_DEPTH = 64;

  /** OVS's MAX_RESUBMITS (MAX_DEPTH * MAX_DEPTH). */
  public static final int MAX_RESUBMITS = MAX_DEPTH * MAX_DEPTH;

  /** Recirculations one trace may do before the simulator gives up (a ct loop). */
  public static final int MAX_RECIRCULATIONS = 64;

  private static final Comparator<Flow> BY_PRIORITY =
      Comparator.comparingInt(Flow::priority).reversed();

  private final Map<Integer, List<Flow>> tables = new HashMap<>();
  private final Map<Long, Group> groups = new HashMap<>();

  public Simulator(List<Flow> flows, List<Group> groups) {
    Map<Integer, List<Flow>> byTable = new HashMap<>();
    for (Flow f : flows) {
      byTable.computeIfAbsent(f.table(), t -> new ArrayList<>()).add(f);
    }
    byTable.forEach(
        (t, l) -> {
          l.sort(BY_PRIORITY); // stable: equal priorities keep input order
          tables.put(t, List.copyOf(l));
        });
    for (Group g : groups) {
      if (this.groups.putIfAbsent(g.groupId(), g) != null) {
        throw new IllegalArgumentException("group " + g.groupId() + " given twice");
      }
    }
  }

  /** Simulator over flows only. */
  public static Simulator of(List<Flow> flows) {
    return new Simulator(flows, List.of());
  }

  /** Traces with every recirculation in {@code trk|new}. */
  public Trace trace(Microflow packet) {
    return trace(packet, CtNext.DEFAULT);
  }

  /** Walks {@code packet} through the tables from table 0; see the class comment. */
  public Trace trace(Microflow packet, CtNext ctNext) {
    return new Run(packet, ctNext).run();
  }

  // ---------------------------------------------------------------- lookup

  /** The result of one table lookup. */
  record Lookup(@Nullable Flow flow, long conjId, String note) {}

  static boolean isClauseFlow(Flow f) {
    if (f.actions().isEmpty()) {
      return false;
    }
    for (Action a : f.actions()) {
      if (!(a instanceof Action.Conjunction)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(Flow f, PacketState p, long conjId) {
    for (FieldMatch m : f.match().fields()) {
      if (!p.matches(m, conjId)) {
        return false;
      }
    }
    if (conjId == 0 && f.match().has(MatchField.CONJ_ID)) {
      // conj_id=0 is never a real conjunction; a flow matching it is unreachable in practice.
      return f.match().exactValue(MatchField.CONJ_ID) == 0;
    }
    return true;
  }

  /** The highest-priority ordinary flow matching, with the equal-priority ties noted. */
  private Lookup hardLookup(List<Flow> flows, PacketState p, long conjId) {
    Flow best = null;
    int ties = 0;
    for (Flow f : flows) {
      if (best != null && f.priority() < best.priority()) {
        break;
      }
      if (isClauseFlow(f) || !matches(f, p, conjId)) {
        continue;
      }
      if (best == null) {
        best = f;
      } else {
        ties++;
      }
    }
    String note =
        ties == 0
            ? ""
            : "ambiguous: "
                + (ties + 1)
                + " flows of priority "
                + best.priority()
                + " match (OVS may pick any; took the first)";
    return new Lookup(best, conjId, note);
  }

  Lookup lookup(int table, PacketState p) {
    List<Flow> flows = tables.getOrDefault(table, List.of());
    Lookup hard = hardLookup(flows, p, 0);
    int hardPriority = hard.flow() == null ? -1 : hard.flow().priority();
    // priority (descending) -> conjunction id -> clauses seen; n per id.
    TreeMap<Integer, TreeMap<Long, BitSet>> seen = new TreeMap<>(Comparator.reverseOrder());
    Map<Long, Integer> clauseCount = new HashMap<>();
    for (Flow f : flows) {
      if (f.priority() <= hardPriority) {
        break;
      }
      if (!isClauseFlow(f) || !matches(f, p, 0)) {
        continue;
      }
      for (Action a : f.actions()) {
        Action.Conjunction c = (Action.Conjunction) a;
        seen.computeIfAbsent(f.priority(), x -> new TreeMap<>())
            .computeIfAbsent(c.id(), x -> new BitSet())
            .set(c.clause());
        clauseCount.merge(c.id() * 65536 + f.priority(), c.clauses(), Math::max);
      }
    }
    for (Map.Entry<Integer, TreeMap<Long, BitSet>> atPriority : seen.entrySet()) {
      int priority = atPriority.getKey();
      List<Long> complete = new ArrayList<>();
      atPriority
          .getValue()
          .forEach(
              (id, clauses) -> {
                int n = clauseCount.get(id * 65536 + priority);
                if (clauses.cardinality() == n
                    && clauses.nextSetBit(1) == 1
                    && clauses.length() == n + 1) {
                  complete.add(id);
                }
              });
      for (long id : complete) {
        Lookup again = hardLookup(flows, p, id);
        if (again.flow() != null) {
          String note =
              "conjunction("
                  + id
                  + ") matched: all clauses at priority "
                  + priority
                  + (complete.size() > 1
                      ? "; ambiguous: conjunctions "
                          + complete
                          + " all complete (OVS may pick any; took "
                          + id
                          + ")"
                      : "");
          if (!again.note().isEmpty()) {
            note += "; " + again.note();
          }
          return new Lookup(again.flow(), id, note);
        }
      }
    }
    return hard;
  }

  // ---------------------------------------------------------------- execution

  /** Thrown to abandon a pass on a translation error (OVS then drops the packet). */
  private static final class TranslationError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TranslationError(String message) {
      super(message, null, false, false);
    }
  }

  /** A recirculation waiting to run. */
  private record Pending(int table, PacketState packet) {}

  /** A step being built: notes arrive while its actions run. */
  private static final class StepBuilder {
    final int pass;
    final int depth;
    final int table;
    final @Nullable Flow flow;
    final long conjId;
    final List<String> notes = new ArrayList<>();

    StepBuilder(int pass, int depth, int table, @Nullable Flow flow, long conjId) {
      this.pass = pass;
      this.depth = depth;
      this.table = table;
      this.flow = flow;
      this.conjId = conjId;
    }

    Trace.Step build() {
      return new Trace.Step(pass, depth, table, flow, conjId, String.join("; ", notes));
    }
  }

  /** One trace: the state of a translation across passes. */
  private final class Run {
    private final Microflow microflow;
    private final CtNext ctNext;
    private final List<StepBuilder> steps = new ArrayList<>();
    private final List<Trace.Pass> passes = new ArrayList<>();
    private final List<Trace.CtEvent> ctEvents = new ArrayList<>();
    private final List<Verdict.Output> outputs = new ArrayList<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final List<String> dropReasons = new ArrayList<>();
    private int pass;
    private int resubmits;
    private int recirculations;

    Run(Microflow microflow, CtNext ctNext) {
      this.microflow = microflow;
      this.ctNext = ctNext;
    }

    Trace run() {
      passes.add(new Trace.Pass(0, 0, 0, 0, false));
      runPass(0, new PacketState(microflow.packet()));
      while (!pending.isEmpty()) {
        Pending next = pending.removeFirst();
        pass++;
        runPass(next.table(), next.packet());
      }
      Verdict verdict =
          new Verdict(
              outputs,
              outputs.isEmpty()
                  ? (dropReasons.isEmpty()
                      ? "no output action"
                      : dropReasons.get(dropReasons.size() - 1))
                  : null);
      List<Trace.Step> built = new ArrayList<>();
      steps.forEach(s -> built.add(s.build()));
      return new Trace(microflow, passes, built, ctEvents, verdict);
    }

    private void runPass(int table, PacketState p) {
      resubmits = 0;
      int outputsBefore = outputs.size();
      int recircsBefore = pending.size();
      try {
        table(table, p, 0, OfPort.IN_PORT);
      } catch (TranslationError e) {
        // OVS: a translation error drops the packet of this pass (datapath actions cleared).
        while (outputs.size() > outputsBefore) {
          outputs.remove(outputs.size() - 1);
        }
        while (pending.size() > recircsBefore) {
          pending.removeLast();
        }
        dropReasons.add(e.getMessage());
        steps.get(steps.size() - 1).notes.add(e.getMessage() + ": packet dropped");
      }
    }

    private void table(int table, PacketState p, int depth, long inPort) {
      if (depth >= MAX_DEPTH) {
        throw new TranslationError("over max translation depth " + MAX_DEPTH);
      }
      long savedInPort = p.get(MatchField.IN_PORT);
      if (inPort != OfPort.IN_PORT) {
        p.set(MatchField.IN_PORT, inPort);
      }
      Lookup l = lookup(table, p);
      p.set(MatchField.IN_PORT, savedInPort);
      StepBuilder step = new StepBuilder(pass, depth, table, l.flow(), l.conjId());
      steps.add(step);
      if (!l.note().isEmpty()) {
        step.notes.add(l.note());
      }
      if (l.flow() == null) {
        dropReasons.add("table " + table + ": no matching flow (table-miss)");
        return;
      }
      if (l.flow().actions().isEmpty()) {
        dropReasons.add("table " + table + ": actions=drop");
        return;
      }
      actions(l.flow().actions(), p, depth, step);
    }

    /** Runs an action list; returns false when it stopped early (dec_ttl on TTL 0/1). */
    private boolean actions(List<Action> actions, PacketState p, int depth, StepBuilder step) {
      for (Action a : actions) {
        if (a instanceof Action.Output o) {
          output(o.port(), p, step);
        } else if (a instanceof Action.OutputReg o) {
          output(p.read(o.source()), p, step);
        } else if (a instanceof Action.Resubmit r) {
          if (++resubmits > MAX_RESUBMITS) {
            throw new TranslationError("over " + MAX_RESUBMITS + " resubmit actions");
          }
          table(r.table(), p, depth + 1, r.inPort());
        } else if (a instanceof Action.GotoTable g) {
          table(g.table(), p, depth + 1, OfPort.IN_PORT);
        } else if (a instanceof Action.Load l) {
          p.write(l.destination(), l.value());
        } else if (a instanceof Action.SetField s) {
          p.set(s.field(), s.value());
        } else if (a instanceof Action.Move m) {
          p.move(m.source(), m.destination());
        } else if (a instanceof Action.DecTtl) {
          long ttl = p.get(MatchField.NW_TTL);
          if (ttl <= 1) {
            step.notes.add(
                "dec_ttl: invalid ttl "
                    + ttl
                    + " (packet-in reason invalid_ttl; stops this action list)");
            dropReasons.add("table " + step.table + ": invalid ttl");
            return false;
          }
          p.set(MatchField.NW_TTL, ttl - 1);
        } else if (a instanceof Action.GroupAction g) {
          group(g.groupId(), p, depth, step);
        } else if (a instanceof Action.Ct ct) {
          ct(ct, p, step);
        } else if (a instanceof Action.Conjunction) {
          // Only in clause flows, which are never executed.
        } else if (a instanceof Action.Nat) {
          step.notes.add("nat outside ct(): ignored");
        } else {
          step.notes.add("not simulated: " + a);
        }
      }
      return true;
    }

    private void output(long port, PacketState p, StepBuilder step) {
      long inPort = p.get(MatchField.IN_PORT);
      long target = port == OfPort.IN_PORT ? inPort : port;
      if (port != OfPort.IN_PORT && port == inPort) {
        step.notes.add("skipping output to input port " + port);
        dropReasons.add("table " + step.table + ": output to the input port is skipped");
        return;
      }
      if (port == OfPort.ANY || port == 0) {
        // OVS: "Nonexistent output port" (0 is not a port; ANY/NONE is nowhere).
        step.notes.add("nonexistent output port " + port);
        dropReasons.add("table " + step.table + ": nonexistent output port " + port);
        return;
      }
      outputs.add(
          new Verdict.Output(
              target,
              p.snapshot(),
              pass,
              step.table,
              p.get(MatchField.TUN_DST) != microflow.packet().get(MatchField.TUN_DST)));
      step.notes.add("output to port " + target);
    }

    private void group(long groupId, PacketState p, int depth, StepBuilder step) {
      Group g = groups.get(groupId);
      if (g == null) {
        step.notes.add("group " + groupId + " does not exist");
        dropReasons.add("table " + step.table + ": group " + groupId + " does not exist");
        return;
      }
      switch (g.type()) {
        case ALL -> {
          step.notes.add("group " + groupId + " (all): " + g.buckets().size() + " buckets");
          for (Group.Bucket b : g.buckets()) {
            actions(b.actions(), p.copy(), depth + 1, step);
          }
        }
        case SELECT -> {
          Group.Bucket b = select(g, p);
          if (b == null) {
            step.notes.add("group " + groupId + " (select): no live bucket");
            dropReasons.add("table " + step.table + ": select group " + groupId + " has no bucket");
            return;
          }
          step.notes.add(
              "group " + groupId + " (select): bucket " + b.bucketId() + " by 5-tuple hash");
          actions(b.actions(), p.copy(), depth + 1, step);
        }
        case INDIRECT, FAST_FAILOVER -> {
          if (g.buckets().isEmpty()) {
            dropReasons.add("table " + step.table + ": group " + groupId + " has no bucket");
            return;
          }
          step.notes.add(
              "group "
                  + groupId
                  + " ("
                  + g.type().text()
                  + "): bucket "
                  + g.buckets().get(0).bucketId());
          actions(g.buckets().get(0).actions(), p.copy(), depth + 1, step);
        }
      }
    }

    private void ct(Action.Ct ct, PacketState p, StepBuilder step) {
      int zone = ct.zoneSource() != null ? (int) p.read(ct.zoneSource()) : ct.zone();
      for (Action a : ct.exec()) {
        if (a instanceof Action.Load l) {
          p.write(l.destination(), l.value());
        } else if (a instanceof Action.SetField s) {
          p.set(s.field(), s.value());
        } else if (a instanceof Action.Move m) {
          p.move(m.source(), m.destination());
        }
      }
      ctEvents.add(
          new Trace.CtEvent(
              pass,
              step.table,
              ct.commit(),
              zone,
              p.get(MatchField.CT_MARK),
              ct.nat(),
              ct.table()));
      StringBuilder note = new StringBuilder();
      if (ct.commit()) {
        note.append("commit in zone ").append(zone);
        if (!ct.exec().isEmpty()) {
          note.append(" with ").append(FlowText.formatActions(ct.exec(), PortNames.NONE));
        }
      }
      if (ct.nat() != null) {
        note.append(note.length() > 0 ? ", " : "")
            .append(FlowText.formatActions(List.of(ct.nat()), PortNames.NONE))
            .append(" recorded (not applied)");
      }
      if (ct.table() >= 0) {
        if (++recirculations > MAX_RECIRCULATIONS) {
          throw new TranslationError("over " + MAX_RECIRCULATIONS + " recirculations");
        }
        int n = passes.size() - 1; // recirculations so far = ct-next entries consumed
        long state = ctNext.state(n);
        PacketState fork = p.copy();
        fork.set(MatchField.CT_STATE, state);
        fork.set(MatchField.CT_ZONE, zone);
        passes.add(new Trace.Pass(passes.size(), ct.table(), state, zone, ctNext.isDefault(n)));
        pending.addLast(new Pending(ct.table(), fork));
        note.append(note.length() > 0 ? " -> " : "")
            .append("recirculate to table ")
            .append(ct.table())
            .append(" with ct_state=")
            .append(Packet.ctStateFlags(state));
      } else if (note.length() == 0) {
        note.append("ct in zone ").append(zone).append(" (no recirculation)");
      }
      step.notes.add(note.toString());
      // As OVS: the ct_* fields exist only in the recirculated packet.
      p.clearConntrack();
    }
  }

  /** Weighted pick by a hash of the 5-tuple; deterministic. Null when all weights are 0. */
  private static Group.@Nullable Bucket select(Group g, PacketState p) {
    long total = 0;
    for (Group.Bucket b : g.buckets()) {
      total += b.weight();
    }
    if (total == 0) {
      return null;
    }
    long h = 0xcbf29ce484222325L; // FNV-1a 64
    for (MatchField f :
        new MatchField[] {
          MatchField.IPV4_SRC,
          MatchField.IPV4_DST,
          MatchField.IP_PROTO,
          MatchField.TP_SRC,
          MatchField.TP_DST
        }) {
      long v = p.get(f);
      for (int i = 0; i < 4; i++) {
        h ^= (v >>> (8 * i)) & 0xff;
        h *= 0x100000001b3L;
      }
    }
    long pick = Long.remainderUnsigned(h, total);
    for (Group.Bucket b : g.buckets()) {
      if (pick < b.weight()) {
        return b;
      }
      pick -= b.weight();
    }
    throw new AssertionError("unreachable");
  }
}
