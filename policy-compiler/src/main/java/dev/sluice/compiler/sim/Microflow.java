package dev.sluice.compiler.sim;

import dev.sluice.compiler.flow.CtState;
import dev.sluice.compiler.flow.FieldMatch;
import dev.sluice.compiler.flow.FlowParseException;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Match;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.PortNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The packet a trace starts with, written as {@code ovs-appctl ofproto/trace} takes it: {@code
 * in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,nw_dst=10.104.65.133,tcp_dst=80,nw_ttl=64}.
 *
 * <p>Field names and aliases are those of {@link FlowText} ({@code dl_src}/{@code eth_src}, {@code
 * tp_dst}/{@code tcp_dst}/{@code udp_dst}, {@code reg0}..{@code reg15}, {@code tun_dst}, {@code
 * ct_mark}, {@code pkt_mark}, {@code nw_ttl}, ...); ports may be given by name. Values are exact (a
 * packet has no masks). {@code ct_state} takes flag names ({@code new|trk}) or a number. Fields OVS
 * prints in its {@code Flow:} line but Sluice does not model ({@code vlan_tci}, {@code nw_frag},
 * {@code tcp_flags}, ...) are accepted only with their zero value, so a {@code Flow:} line can be
 * pasted back. Unlike OVS, a field may come before its protocol shorthand; like OVS, a field whose
 * prerequisite is missing is an error.
 */
public record Microflow(Packet packet) {

  /** Fields of OVS's flow syntax that Sluice does not model: accepted only when zero. */
  private static final Set<String> IGNORED_WHEN_ZERO =
      Set.of(
          "vlan_tci",
          "nw_ecn",
          "nw_frag",
          "tcp_flags",
          "recirc_id",
          "dp_hash",
          "skb_priority",
          "tun_ipv6_src",
          "tun_ipv6_dst",
          "tun_gbp_id",
          "tun_gbp_flags",
          "tun_tos",
          "tun_ttl",
          "tun_erspan_ver",
          "gtpu_flags",
          "gtpu_msgtype",
          "tun_flags");

  private static final Set<String> ZERO =
      Set.of("0", "0x0", "0x00", "0x0000", "no", "::", "0.0.0.0");

  public Microflow {
    if (packet == null) {
      throw new IllegalArgumentException("packet");
    }
  }

  /** Parses microflow text; port names resolve through {@code ports}. */
  public static Microflow parse(String text, PortNames ports) {
    List<String> rest = new ArrayList<>();
    long ctState = 0;
    for (String token : text.strip().split("[,\\s]+")) {
      if (token.isEmpty() || token.equals("eth")) {
        continue;
      }
      int eq = token.indexOf('=');
      String key = (eq < 0 ? token : token.substring(0, eq)).toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "" : token.substring(eq + 1);
      if (IGNORED_WHEN_ZERO.contains(key)) {
        if (!ZERO.contains(value.toLowerCase(Locale.ROOT))) {
          throw new FlowParseException(
              "microflow: " + key + "=" + value + " is not modelled by the simulator");
        }
        continue;
      }
      if (key.equals("ct_state")) {
        if (value.isEmpty()) {
          throw new FlowParseException("microflow: ct_state needs a value");
        }
        ctState = parseCtState(value);
        continue;
      }
      rest.add(token);
    }
    Match match = rest.isEmpty() ? Match.any() : FlowText.parseMatch(String.join(",", rest), ports);
    long[] values = Packet.empty().values();
    long ctLabelHigh = 0;
    for (FieldMatch f : match.fields()) {
      if (!f.isExact()) {
        throw new FlowParseException(
            "microflow: " + f.field().ovsName() + " is masked; a packet has exact values");
      }
      values[f.field().ordinal()] = f.value();
      if (f.field() == MatchField.CT_LABEL) {
        ctLabelHigh = f.valueHigh();
      }
    }
    values[MatchField.CT_STATE.ordinal()] = ctState;
    return new Microflow(new Packet(values, ctLabelHigh));
  }

  /** {@code new|trk}, {@code trk,new}, {@code +trk+new} or {@code 0x21}: the set flags. */
  static long parseCtState(String text) {
    String t = text.strip().replace(',', '|');
    long[] vm = CtState.parse(t);
    return vm[0];
  }

  public static Microflow of(Packet packet) {
    return new Microflow(packet);
  }

  public String format(PortNames ports) {
    return packet.format(ports);
  }

  @Override
  public String toString() {
    return format(PortNames.NONE);
  }
}
