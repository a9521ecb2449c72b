package dev.sluice.compiler.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Canonical {@code ovs-ofctl -O OpenFlow13} text for flows and groups.
 *
 * <p>Printing follows OVS's {@code ofputil_flow_stats_format()} with {@code --no-stats}: {@code
 * cookie=} only when non-zero, {@code table=} only when non-zero, timeouts when set, then {@code
 * match_format()} (priority unless 32768, fields in {@link MatchField} order with the {@code
 * ip}/{@code tcp}/{@code arp} shorthands), then {@code actions=}.
 *
 * <p>Parsing accepts that output and the {@code add-flows} syntax (aliases, names or NXM names,
 * decimal or hex, {@code key=value} separated by commas or blanks). Unlike {@code ovs-ofctl} it
 * refuses a line without {@code table=} or with a field whose prerequisite is missing, because OVS
 * would silently put the flow in table 0 or drop the field. Use {@link #parseLenient} for text OVS
 * printed (which omits {@code table=0}).
 */
public final class FlowText {
  private FlowText() {}

  /**
   * How whole-field writes of Ethernet and IPv4 addresses are spelled. OVS prints the same action
   * as {@code set_field:V->eth_dst} under OpenFlow 1.3 and as {@code mod_dl_dst:V} under OpenFlow
   * 1.0/NXM (what the seed's {@code dump-flows} shows); both parse to the same {@link
   * Action.SetField}.
   */
  public enum Style {
    /** What {@code ovs-ofctl -O OpenFlow13 dump-flows} prints. The canonical form. */
    OPENFLOW13,
    /** What {@code ovs-ofctl dump-flows} (OpenFlow 1.0 + NXM) prints, as in the seed. */
    OPENFLOW10
  }

  // ---------------------------------------------------------------- printing

  /** One flow as {@code dump-flows --no-stats} prints it (without the leading blank). */
  public static String format(Flow f, PortNames ports) {
    return format(f, ports, Style.OPENFLOW13);
  }

  /** One flow in the given {@link Style}. */
  public static String format(Flow f, PortNames ports, Style style) {
    StringBuilder sb = new StringBuilder(128);
    if (f.cookie() != 0 || f.cookieMask() != 0) {
      sb.append("cookie=0x").append(Long.toHexString(f.cookie()));
      if (f.cookieMask() != 0) {
        sb.append("/0x").append(Long.toHexString(f.cookieMask()));
      }
      sb.append(", ");
    }
    if (f.table() != 0) {
      sb.append("table=").append(f.table()).append(", ");
    }
    if (f.idleTimeout() != 0) {
      sb.append("idle_timeout=").append(f.idleTimeout()).append(", ");
    }
    if (f.hardTimeout() != 0) {
      sb.append("hard_timeout=").append(f.hardTimeout()).append(", ");
    }
    appendMatch(sb, f.match(), f.priority(), ports);
    if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
      sb.append(' ');
    }
    sb.append("actions=");
    appendActions(sb, f.actions(), ports, style);
    return sb.toString();
  }

  /**
   * One flow in {@code add-flows} syntax: like {@link #format} but always with {@code table=}, so
   * the line means the same to {@code ovs-ofctl add-flows} and to {@link #parse}.
   */
  public static String formatForAdd(Flow f, PortNames ports, Style style) {
    String s = format(f, ports, style);
    if (f.table() != 0) {
      return s;
    }
    int insert = s.startsWith("cookie=") ? s.indexOf(", ") + 2 : 0;
    return s.substring(0, insert) + "table=0, " + s.substring(insert);
  }

  /** The match alone, without priority (e.g. {@code ip,reg0=0x1/0xffff}); empty when any. */
  public static String formatMatch(Match m, PortNames ports) {
    StringBuilder sb = new StringBuilder();
    appendMatch(sb, m, Flow.DEFAULT_PRIORITY, ports);
    return sb.toString();
  }

  public static String formatActions(List<Action> actions, PortNames ports) {
    StringBuilder sb = new StringBuilder();
    appendActions(sb, actions, ports, Style.OPENFLOW13);
    return sb.toString();
  }

  /** One group as {@code ovs-ofctl -O OpenFlow13 dump-groups} prints it. */
  public static String formatGroup(Group g, PortNames ports) {
    StringBuilder sb = new StringBuilder();
    sb.append("group_id=").append(g.groupId()).append(",type=").append(g.type().text());
    for (Group.Bucket b : g.buckets()) {
      sb.append(",bucket=");
      // ovs-ofctl gives select buckets weight 1 unless told otherwise and prints other weights.
      if (g.type() == Group.Type.SELECT && b.weight() != 1) {
        sb.append("weight:").append(b.weight()).append(',');
      }
      if (b.watchPort() != Group.Bucket.WATCH_NONE) {
        sb.append("watch_port:").append(port(b.watchPort(), ports)).append(',');
      }
      if (b.watchGroup() != Group.Bucket.WATCH_NONE) {
        sb.append("watch_group:").append(b.watchGroup()).append(',');
      }
      sb.append("actions=");
      appendActions(sb, b.actions(), ports, Style.OPENFLOW13);
    }
    return sb.toString();
  }

  private static void appendMatch(StringBuilder sb, Match m, int priority, PortNames ports) {
    int start = sb.length();
    if (priority != Flow.DEFAULT_PRIORITY) {
      sb.append("priority=").append(priority).append(',');
    }
    long ethType = m.exactValue(MatchField.ETH_TYPE);
    long proto = m.exactValue(MatchField.IP_PROTO);
    boolean typeShown = false;
    boolean protoShown = false;
    for (FieldMatch f : m.fields()) {
      MatchField field = f.field();
      if (field == MatchField.ETH_TYPE) {
        String shorthand = ethShorthand(ethType, proto);
        if (shorthand != null) {
          sb.append(shorthand).append(',');
          typeShown = true;
          protoShown =
              proto == Match.PROTO_TCP
                  || proto == Match.PROTO_UDP
                  || proto == Match.PROTO_SCTP
                  || proto == Match.PROTO_ICMP;
        }
        continue;
      }
      if (field == MatchField.ETH_DST && !typeShown && m.has(MatchField.ETH_TYPE)) {
        // dl_type without a shorthand is printed after dl_dst (or where dl_dst would be).
        appendField(sb, f, ports);
        sb.append("dl_type=0x").append(String.format("%04x", ethType)).append(',');
        typeShown = true;
        continue;
      }
      if (field.ordinal() > MatchField.ETH_DST.ordinal()
          && !typeShown
          && m.has(MatchField.ETH_TYPE)) {
        sb.append("dl_type=0x").append(String.format("%04x", ethType)).append(',');
        typeShown = true;
      }
      if (field == MatchField.IP_PROTO && protoShown) {
        continue;
      }
      appendField(sb, f, ports);
    }
    if (!typeShown && m.has(MatchField.ETH_TYPE)) {
      sb.append("dl_type=0x").append(String.format("%04x", ethType)).append(',');
    }
    if (sb.length() > start && sb.charAt(sb.length() - 1) == ',') {
      sb.setLength(sb.length() - 1);
    }
  }

  private static String ethShorthand(long ethType, long proto) {
    if (ethType == Match.ETH_ARP) {
      return "arp";
    }
    if (ethType != Match.ETH_IP) {
      return null;
    }
    if (proto == Match.PROTO_TCP) {
      return "tcp";
    } else if (proto == Match.PROTO_UDP) {
      return "udp";
    } else if (proto == Match.PROTO_SCTP) {
      return "sctp";
    } else if (proto == Match.PROTO_ICMP) {
      return "icmp";
    }
    return "ip";
  }

  private static void appendField(StringBuilder sb, FieldMatch f, PortNames ports) {
    MatchField field = f.field();
    sb.append(field.ovsName()).append('=');
    switch (kind(field)) {
      case MAC -> {
        sb.append(Values.mac(f.value()));
        if (!f.isExact()) {
          sb.append('/').append(Values.mac(f.mask()));
        }
      }
      case IP -> {
        sb.append(Values.ip(f.value()));
        if (!f.isExact()) {
          int len = Values.prefixLength(f.mask());
          sb.append('/').append(len >= 0 ? Integer.toString(len) : Values.ip(f.mask()));
        }
      }
      case DECIMAL -> {
        if (f.isExact()) {
          sb.append(f.value());
        } else {
          sb.append("0x").append(Long.toHexString(f.value()));
          sb.append("/0x").append(Long.toHexString(f.mask()));
        }
      }
      case HEX -> {
        sb.append(Values.hex(f.value()));
        if (!f.isExact()) {
          sb.append('/').append(Values.hex(f.mask()));
        }
      }
      case CT_STATE -> sb.append(CtState.format(f.value(), f.mask()));
      case PORT -> sb.append(port(f.value(), ports));
      case U128 -> {
        sb.append(hex128(f.valueHigh(), f.value()));
        if (!f.isExact()) {
          sb.append('/').append(hex128(f.maskHigh(), f.mask()));
        }
      }
    }
    sb.append(',');
  }

  private static String hex128(long hi, long lo) {
    if (hi == 0) {
      return Values.hex(lo);
    }
    return "0x" + Long.toHexString(hi) + String.format("%016x", lo);
  }

  /** How a field's value is written. */
  enum Kind {
    MAC,
    IP,
    DECIMAL,
    HEX,
    CT_STATE,
    PORT,
    U128
  }

  static Kind kind(MatchField f) {
    return switch (f) {
      case ETH_SRC, ETH_DST, ARP_SHA, ARP_THA -> Kind.MAC;
      case IPV4_SRC, IPV4_DST, ARP_SPA, ARP_TPA, TUN_SRC, TUN_DST -> Kind.IP;
      case CT_ZONE,
          TP_SRC,
          TP_DST,
          ARP_OP,
          IP_PROTO,
          CONJ_ID,
          IP_DSCP,
          NW_TTL,
          ICMP_TYPE,
          ICMP_CODE ->
          Kind.DECIMAL;
      case CT_STATE -> Kind.CT_STATE;
      case IN_PORT -> Kind.PORT;
      case CT_LABEL -> Kind.U128;
      default -> Kind.HEX;
    };
  }

  static String port(long port, PortNames ports) {
    String reserved = OfPort.reservedName(port);
    if (reserved != null) {
      return reserved;
    }
    String name = ports.name(port);
    if (name == null) {
      return Long.toString(port);
    }
    return name.matches("[A-Za-z0-9_]+") && !name.matches("[0-9]+") ? name : '"' + name + '"';
  }

  private static void appendActions(
      StringBuilder sb, List<Action> actions, PortNames ports, Style style) {
    if (actions.isEmpty()) {
      sb.append("drop");
      return;
    }
    for (int i = 0; i < actions.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      appendAction(sb, actions.get(i), ports, style);
    }
  }

  private static void appendAction(StringBuilder sb, Action a, PortNames ports, Style style) {
    if (a instanceof Action.Output o) {
      if (o.port() == OfPort.CONTROLLER) {
        sb.append("CONTROLLER:").append(o.maxLen());
      } else if (OfPort.reservedName(o.port()) != null) {
        sb.append(OfPort.reservedName(o.port()));
      } else {
        sb.append("output:").append(port(o.port(), ports));
      }
    } else if (a instanceof Action.OutputReg o) {
      sb.append("output:").append(o.source());
    } else if (a instanceof Action.Resubmit r) {
      sb.append("resubmit(");
      if (r.inPort() != OfPort.IN_PORT) {
        sb.append(port(r.inPort(), ports));
      }
      sb.append(',').append(r.table()).append(')');
    } else if (a instanceof Action.GotoTable g) {
      // OpenFlow 1.0 has no instructions: OVS shows goto_table as the equivalent resubmit.
      sb.append(style == Style.OPENFLOW10 ? "resubmit(," : "goto_table:").append(g.table());
      if (style == Style.OPENFLOW10) {
        sb.append(')');
      }
    } else if (a instanceof Action.Load l) {
      sb.append("load:").append(Values.hex(l.value())).append("->").append(l.destination());
    } else if (a instanceof Action.Move mv) {
      sb.append("move:").append(mv.source()).append("->").append(mv.destination());
    } else if (a instanceof Action.SetField s) {
      appendSetField(sb, s, ports, style);
    } else if (a instanceof Action.DecTtl) {
      sb.append("dec_ttl");
    } else if (a instanceof Action.GroupAction g) {
      sb.append("group:").append(g.groupId());
    } else if (a instanceof Action.Conjunction c) {
      sb.append("conjunction(")
          .append(c.id())
          .append(',')
          .append(c.clause())
          .append('/')
          .append(c.clauses())
          .append(')');
    } else if (a instanceof Action.Ct ct) {
      appendCt(sb, ct, ports, style);
    } else if (a instanceof Action.Nat n) {
      appendNat(sb, n);
    } else if (a instanceof Action.Unknown u) {
      sb.append(u);
    } else {
      throw new IllegalStateException("unprintable action " + a);
    }
  }

  private static void appendSetField(
      StringBuilder sb, Action.SetField s, PortNames ports, Style style) {
    String legacy =
        switch (s.field()) {
          case ETH_SRC -> "mod_dl_src:";
          case ETH_DST -> "mod_dl_dst:";
          case IPV4_SRC -> "mod_nw_src:";
          case IPV4_DST -> "mod_nw_dst:";
          case TP_SRC -> "mod_tp_src:";
          case TP_DST -> "mod_tp_dst:";
          default -> null;
        };
    if (style == Style.OPENFLOW10 && legacy == null && s.field().hasNxmName()) {
      // OpenFlow 1.0 has no set_field: OVS shows the equivalent whole-field reg_load.
      sb.append("load:")
          .append(Values.hex(s.value()))
          .append("->")
          .append(SubField.whole(s.field()));
      return;
    }
    if (style == Style.OPENFLOW10 && legacy != null) {
      sb.append(legacy);
      switch (kind(s.field())) {
        case MAC -> sb.append(Values.mac(s.value()));
        case IP -> sb.append(Values.ip(s.value()));
        default -> sb.append(s.value());
      }
      return;
    }
    {
      {
        sb.append("set_field:");
        switch (kind(s.field())) {
          case MAC -> sb.append(Values.mac(s.value()));
          case IP -> sb.append(Values.ip(s.value()));
          case PORT -> sb.append(port(s.value(), ports));
          case DECIMAL -> sb.append(s.value());
          default -> sb.append(Values.hex(s.value()));
        }
        sb.append("->").append(setFieldName(s.field()));
      }
    }
  }

  /** The OXM-style name OVS prints after {@code set_field:...->}. */
  private static String setFieldName(MatchField f) {
    return switch (f) {
      case ETH_SRC -> "eth_src";
      case ETH_DST -> "eth_dst";
      case IPV4_SRC -> "ip_src";
      case IPV4_DST -> "ip_dst";
      case TP_SRC -> "tcp_src";
      case TP_DST -> "tcp_dst";
      case IP_PROTO -> "ip_proto";
      case ETH_TYPE -> "eth_type";
      default -> f.ovsName();
    };
  }

  private static void appendCt(StringBuilder sb, Action.Ct ct, PortNames ports, Style style) {
    sb.append("ct(");
    if (ct.commit()) {
      sb.append("commit,");
    }
    if (ct.force()) {
      sb.append("force,");
    }
    if (ct.table() >= 0) {
      sb.append("table=").append(ct.table()).append(',');
    }
    if (ct.zoneSource() != null) {
      sb.append("zone=").append(ct.zoneSource()).append(',');
    } else if (ct.zone() != 0) {
      sb.append("zone=").append(ct.zone()).append(',');
    }
    if (ct.nat() != null) {
      appendNat(sb, ct.nat());
      sb.append(',');
    }
    if (!ct.exec().isEmpty()) {
      sb.append("exec(");
      appendActions(sb, ct.exec(), ports, style);
      sb.append("),");
    }
    if (sb.charAt(sb.length() - 1) == ',') {
      sb.setLength(sb.length() - 1);
    }
    sb.append(')');
  }

  private static void appendNat(StringBuilder sb, Action.Nat n) {
    sb.append("nat");
    if (n.kind() == Action.Nat.Kind.EXISTING) {
      return;
    }
    sb.append('(').append(n.kind() == Action.Nat.Kind.SRC ? "src" : "dst");
    if (n.ipMin() != 0) {
      sb.append('=').append(Values.ip(Integer.toUnsignedLong(n.ipMin())));
      if (n.ipMax() != 0 && n.ipMax() != n.ipMin()) {
        sb.append('-').append(Values.ip(Integer.toUnsignedLong(n.ipMax())));
      }
      if (n.portMin() != 0) {
        sb.append(':').append(n.portMin());
        if (n.portMax() != 0 && n.portMax() != n.portMin()) {
          sb.append('-').append(n.portMax());
        }
      }
    }
    if (n.persistent()) {
      sb.append(",persistent");
    }
    if (n.hash()) {
      sb.append(",hash");
    }
    if (n.random()) {
      sb.append(",random");
    }
    sb.append(')');
  }

  // ---------------------------------------------------------------- parsing

  /**
   * Parses one {@code add-flows} line. {@code table=} is required (OVS would otherwise put the flow
   * into table 0 without a word); use {@link #parseLenient} for {@code dump-flows} output.
   */
  public static Flow parse(String line, PortNames ports) {
    return new FlowParser(line, ports, true).flow();
  }

  /** Parses a line as {@code ovs-ofctl dump-flows} prints it: a missing {@code table=} is 0. */
  public static Flow parseLenient(String line, PortNames ports) {
    return new FlowParser(line, ports, false).flow();
  }

  /**
   * Parses a whole file: one flow per line; blank lines and {@code #} comments skipped; errors name
   * the line number.
   */
  public static List<Flow> parseAll(String text, PortNames ports, boolean requireTable) {
    List<Flow> flows = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("NXST_") || l.startsWith("OFPST_")) {
        continue;
      }
      try {
        flows.add(new FlowParser(l, ports, requireTable).flow());
      } catch (IllegalArgumentException e) {
        throw new FlowParseException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return flows;
  }

  /** Parses a match alone, e.g. {@code ip,nw_src=10.0.0.0/8}. */
  public static Match parseMatch(String text, PortNames ports) {
    return new FlowParser("table=0," + text + " actions=drop", ports, true).flow().match();
  }

  /** Parses an action list, e.g. {@code load:0x1->NXM_NX_REG0[0..15],resubmit(,10)}. */
  public static List<Action> parseActions(String text, PortNames ports) {
    return FlowParser.actions(text, ports);
  }

  /** Parses an {@code add-group} line. */
  public static Group parseGroup(String line, PortNames ports) {
    return FlowParser.group(line, ports);
  }

  static OptionalLong portNumber(String text, PortNames ports) {
    String t = text.strip();
    if (t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2) {
      t = t.substring(1, t.length() - 1);
      return ports.number(t);
    }
    OptionalLong reserved = OfPort.parseReserved(t);
    if (reserved.isPresent()) {
      return reserved;
    }
    if (t.chars().allMatch(Character::isDigit) && !t.isEmpty()) {
      long p = Long.parseLong(t);
      // OpenFlow 1.0's 16-bit reserved ports (0xfff8..0xffff), accepted by ovs-ofctl for
      // compatibility, are the 32-bit OpenFlow 1.3 ones.
      return OptionalLong.of(p >= 0xfff8 && p <= 0xffff ? p + 0xffff0000L : p);
    }
    if (t.startsWith("0x")) {
      return OptionalLong.of(Values.parseNumber(t));
    }
    return ports.number(t);
  }
}
