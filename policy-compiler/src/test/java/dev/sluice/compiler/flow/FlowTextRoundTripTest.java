package dev.sluice.compiler.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random flows from the model survive print → parse, in add-flows and dump-flows form, with and
 * without port names. (The OpenFlow 1.0 spelling cannot round-trip every flow: it has no set_field
 * or goto_table and shows them as load/resubmit, as OVS does.)
 */
class FlowTextRoundTripTest {
  private static final PortNames PORTS =
      PortNames.of(Map.of("antrea-gw0", 2L, "antrea-tun0", 1L, "frontend-a3ba2f", 6L, "p7", 7L));

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 20261126})
  void printThenParseIsIdentity(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      Flow f = randomFlow(r);
      for (FlowText.Style style : List.of(FlowText.Style.OPENFLOW13)) {
        for (PortNames names : List.of(PortNames.NONE, PORTS)) {
          String add = FlowText.formatForAdd(f, names, style);
          assertThat(FlowText.parse(add, names)).as(add).isEqualTo(f);
          String dump = FlowText.format(f, names, style);
          assertThat(FlowText.parseLenient(dump, names)).as(dump).isEqualTo(f);
        }
      }
    }
  }

  static Flow randomFlow(Random r) {
    Match.Builder m = Match.builder();
    int l3 = r.nextInt(4);
    if (l3 == 1) {
      m.ip();
    } else if (l3 == 2) {
      m.ipProto(new int[] {Match.PROTO_TCP, Match.PROTO_UDP, Match.PROTO_SCTP}[r.nextInt(3)]);
      if (r.nextBoolean()) {
        m.masked(MatchField.TP_DST, r.nextInt(0x10000) & 0xfff0, 0xfff0);
      } else {
        m.exact(MatchField.TP_DST, r.nextInt(0x10000));
      }
    } else if (l3 == 3) {
      m.arp().exact(MatchField.ARP_OP, 1 + r.nextInt(2));
      m.exact(MatchField.ARP_SPA, r.nextInt() & 0xffffffffL);
      m.exact(MatchField.ARP_SHA, r.nextLong() & 0xffffffffffffL);
    }
    if (l3 == 1 || l3 == 2) {
      int len = 1 + r.nextInt(32);
      long mask = (0xffffffffL << (32 - len)) & 0xffffffffL;
      m.masked(MatchField.IPV4_SRC, r.nextInt() & mask, mask);
      if (r.nextBoolean()) {
        m.exact(MatchField.IPV4_DST, r.nextInt() & 0xffffffffL);
      }
    }
    if (r.nextBoolean()) {
      m.inPort(new long[] {1, 2, 6, 7, 99, OfPort.LOCAL}[r.nextInt(6)]);
    }
    if (r.nextBoolean()) {
      m.reg(r.nextInt(16), r.nextInt(0x10000), 0xffff);
    }
    if (r.nextInt(4) == 0) {
      m.masked(MatchField.CT_STATE, CtState.TRK | CtState.NEW, CtState.TRK | CtState.NEW);
      m.exact(MatchField.CT_MARK, 0x20);
    }
    if (r.nextInt(5) == 0) {
      m.exact(MatchField.CONJ_ID, r.nextInt(1000));
    }
    if (r.nextInt(5) == 0) {
      m.masked(MatchField.ETH_DST, 0x010000000000L, 0x010000000000L);
    }
    if (r.nextInt(6) == 0) {
      m.exact(MatchField.TUN_DST, r.nextInt() & 0xffffffffL);
    }
    List<Action> actions = new ArrayList<>();
    boolean isIp = l3 == 1 || l3 == 2;
    if (r.nextInt(5) == 0) {
      int n = 2 + r.nextInt(3);
      actions.add(new Action.Conjunction(1 + r.nextInt(100), 1 + r.nextInt(n), n));
    } else {
      int k = r.nextInt(5);
      for (int i = 0; i < k; i++) {
        switch (r.nextInt(8)) {
          case 0 ->
              actions.add(new Action.Load(SubField.range(MatchField.REG0, 0, 15), r.nextInt(3)));
          case 1 -> actions.add(new Action.Load(SubField.whole(MatchField.REG1), r.nextInt(64)));
          case 2 ->
              actions.add(new Action.SetField(MatchField.ETH_DST, r.nextLong() & 0xffffffffffffL));
          case 3 -> {
            if (isIp) {
              actions.add(new Action.DecTtl());
            }
          }
          case 4 ->
              actions.add(
                  new Action.Move(
                      SubField.range(MatchField.TUN_METADATA0, 28, 31),
                      SubField.range(MatchField.REG9, 28, 31)));
          case 5 ->
              actions.add(
                  Action.Output.to(
                      new long[] {1, 2, 6, OfPort.LOCAL, OfPort.CONTROLLER}[r.nextInt(5)]));
          case 6 -> {
            if (isIp) {
              actions.add(
                  new Action.Ct(
                      true,
                      false,
                      110,
                      65520,
                      null,
                      r.nextBoolean()
                          ? null
                          : new Action.Nat(
                              Action.Nat.Kind.DST,
                              0x0a000001,
                              0x0a000001,
                              80,
                              80,
                              false,
                              false,
                              false),
                      List.of(new Action.Load(SubField.whole(MatchField.CT_MARK), 0x20))));
            }
          }
          default -> actions.add(new Action.OutputReg(SubField.whole(MatchField.REG1)));
        }
      }
      int table = r.nextInt(200);
      if (r.nextBoolean()) {
        actions.add(Action.Resubmit.toTable(table + 1 + r.nextInt(50)));
      }
      return new Flow(
          table,
          r.nextInt(0x10000),
          r.nextLong(),
          0,
          m.build(),
          actions,
          r.nextInt(3) == 0 ? r.nextInt(100) : 0,
          0);
    }
    return new Flow(r.nextInt(250), r.nextInt(0x10000), r.nextLong(), 0, m.build(), actions, 0, 0);
  }
}
