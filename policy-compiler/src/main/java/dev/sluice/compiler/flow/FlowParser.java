package dev.sluice.compiler.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** The parser behind {@link FlowText}; one instance per line (package-private). */
final class FlowParser {
  private final String line;
  private final PortNames ports;
  private final boolean requireTable;

  FlowParser(String line, PortNames ports, boolean requireTable) {
    this.line = line.strip();
    this.ports = ports;
    this.requireTable = requireTable;
  }

  Flow flow() {
    int actionsAt = findActions(line);
    if (actionsAt < 0) {
      throw new FlowParseException("no actions= in '" + line + "'");
    }
    String head = line.substring(0, actionsAt);
    String actionText = line.substring(actionsAt + "actions=".length()).strip();
    Integer table = null;
    int priority = Flow.DEFAULT_PRIORITY;
    long cookie = 0;
    int idle = 0;
    int hard = 0;
    Match.Builder match = Match.builder();
    for (String token : split(head)) {
      int eq = token.indexOf('=');
      String key = Values.lower(eq < 0 ? token : token.substring(0, eq)).strip();
      String value = eq < 0 ? null : token.substring(eq + 1).strip();
      try {
        switch (key) {
          case "table" -> table = (int) Values.parseNumber(need(key, value));
          case "priority" -> priority = (int) Values.parseNumber(need(key, value));
          case "cookie" -> {
            String v = need(key, value);
            int slash = v.indexOf('/');
            cookie = Values.parseNumber(slash < 0 ? v : v.substring(0, slash));
            if (slash >= 0) {
              throw new FlowParseException(
                  "'" + token + "': flow additions cannot use a cookie mask");
            }
          }
          case "idle_timeout" -> idle = (int) Values.parseNumber(need(key, value));
          case "hard_timeout" -> hard = (int) Values.parseNumber(need(key, value));
          // Statistics printed by dump-flows without --no-stats: not part of the flow.
          case "duration", "n_packets", "n_bytes", "idle_age", "hard_age", "reset_counts" -> {}
          case "ip", "ipv4" -> match.ip();
          case "arp" -> match.arp();
          case "tcp" -> match.ipProto(Match.PROTO_TCP);
          case "udp" -> match.ipProto(Match.PROTO_UDP);
          case "sctp" -> match.ipProto(Match.PROTO_SCTP);
          case "icmp" -> match.ipProto(Match.PROTO_ICMP);
          default -> field(match, key, value);
        }
      } catch (FlowParseException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new FlowParseException("'" + token + "': " + e.getMessage(), e);
      }
    }
    if (table == null) {
      if (requireTable) {
        throw new FlowParseException(
            "no table= in '" + line + "' (ovs-ofctl would silently use table 0)");
      }
      table = 0;
    }
    try {
      return new Flow(
          table, priority, cookie, 0, match.build(), actions(actionText, ports), idle, hard);
    } catch (FlowParseException e) {
      throw new FlowParseException(e.getMessage() + " in '" + line + "'", e);
    } catch (IllegalArgumentException e) {
      throw new FlowParseException(e.getMessage() + " in '" + line + "'", e);
    }
  }

  private static String need(String key, String value) {
    if (value == null || value.isEmpty()) {
      throw new FlowParseException(key + " needs a value");
    }
    return value;
  }

  private void field(Match.Builder match, String key, String value) {
    MatchField f = MatchField.byName(key);
    if (f == null || f == MatchField.ETH_TYPE && value == null) {
      throw new FlowParseException("unknown match field '" + key + "'");
    }
    String v = need(key, value);
    FieldMatch fm = fieldValue(f, v, ports);
    if (fm != null) {
      match.add(fm);
    }
  }

  static @Nullable FieldMatch fieldValue(MatchField f, String v, PortNames ports) {
    int slash = v.indexOf('/');
    String val = slash < 0 ? v : v.substring(0, slash);
    String mask = slash < 0 ? null : v.substring(slash + 1);
    switch (FlowText.kind(f)) {
      case MAC -> {
        long m = mask == null ? f.fullMask() : Values.parseMac(mask);
        return masked(f, Values.parseMac(val), m);
      }
      case IP -> {
        long m = f.fullMask();
        if (mask != null) {
          if (mask.contains(".")) {
            m = Values.parseIp(mask);
          } else {
            int len = Integer.parseInt(mask);
            if (len < 0 || len > 32) {
              throw new FlowParseException("bad prefix length /" + mask + " for " + f.ovsName());
            }
            m = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
          }
        }
        if (m == 0) {
          return null; // 0.0.0.0/0 matches everything: no field, as ovs-ofctl does.
        }
        return masked(f, Values.parseIp(val), m);
      }
      case CT_STATE -> {
        long[] vm = CtState.parse(v);
        return masked(f, vm[0], vm[1]);
      }
      case PORT -> {
        OptionalLong p = FlowText.portNumber(v, ports);
        if (p.isEmpty()) {
          throw new FlowParseException("unknown port " + v + " (not in the switch's port list)");
        }
        return FieldMatch.exact(f, p.getAsLong());
      }
      case U128 -> {
        long[] value = parse128(val);
        long[] m = mask == null ? new long[] {-1L, -1L} : parse128(mask);
        return new FieldMatch(f, value[1], m[1], value[0], m[0]);
      }
      default -> {
        long m = mask == null ? f.fullMask() : Values.parseNumber(mask);
        return masked(f, Values.parseNumber(val), m);
      }
    }
  }

  private static FieldMatch masked(MatchField f, long value, long mask) {
    if ((value & ~mask) != 0) {
      // OVS accepts value bits outside the mask and clears them; so do we.
      value &= mask;
    }
    return mask == f.fullMask() ? FieldMatch.exact(f, value) : FieldMatch.masked(f, value, mask);
  }

  private static long[] parse128(String s) {
    String t = s.strip();
    if (!t.startsWith("0x")) {
      long v = Values.parseNumber(t);
      return new long[] {0, v};
    }
    String hex = t.substring(2);
    if (hex.length() > 32) {
      throw new FlowParseException("'" + s + "' is wider than 128 bits");
    }
    String lo = hex.length() > 16 ? hex.substring(hex.length() - 16) : hex;
    String hi = hex.length() > 16 ? hex.substring(0, hex.length() - 16) : "0";
    return new long[] {Long.parseUnsignedLong(hi, 16), Long.parseUnsignedLong(lo, 16)};
  }

  // ---------------------------------------------------------------- actions

  static List<Action> actions(String text, PortNames ports) {
    List<Action> out = new ArrayList<>();
    String t = text.strip();
    if (t.isEmpty()) {
      // "actions=" with nothing after it is drop, as for ovs-ofctl.
      return out;
    }
    for (String token : split(t)) {
      Action a = action(token, ports);
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  private static Action action(String token, PortNames ports) {
    String t = token.strip();
    String lower = Values.lower(t);
    if (lower.equals("drop")) {
      return null;
    }
    if (lower.equals("dec_ttl")) {
      return new Action.DecTtl();
    }
    if (lower.startsWith("resubmit(") && t.endsWith(")")) {
      String[] args = t.substring(9, t.length() - 1).split(",", -1);
      if (args.length != 2 || args[1].isBlank()) {
        throw new FlowParseException("resubmit needs (port,table): '" + t + "'");
      }
      long port = OfPort.IN_PORT;
      if (!args[0].isBlank()) {
        port = requirePort(args[0], ports);
      }
      return new Action.Resubmit(port, (int) Values.parseNumber(args[1]));
    }
    if (lower.startsWith("resubmit:")) {
      throw new FlowParseException(
          "'" + t + "' resubmits to the same table; Sluice's pipeline only uses resubmit(,N)");
    }
    if (lower.startsWith("goto_table:")) {
      return new Action.GotoTable((int) Values.parseNumber(t.substring(11)));
    }
    if (lower.startsWith("load:")) {
      int arrow = t.indexOf("->");
      if (arrow < 0) {
        throw new FlowParseException("load needs VALUE->DST: '" + t + "'");
      }
      SubField dst = subField(t.substring(arrow + 2));
      String v = t.substring(5, arrow);
      long value =
          FlowText.kind(dst.field()) == FlowText.Kind.MAC && Values.looksLikeMac(v)
              ? Values.parseMac(v)
              : Values.parseNumber(v);
      return new Action.Load(dst, value);
    }
    if (lower.startsWith("move:")) {
      int arrow = t.indexOf("->");
      if (arrow < 0) {
        throw new FlowParseException("move needs SRC->DST: '" + t + "'");
      }
      return new Action.Move(subField(t.substring(5, arrow)), subField(t.substring(arrow + 2)));
    }
    if (lower.startsWith("set_field:")) {
      int arrow = t.lastIndexOf("->");
      if (arrow < 0) {
        throw new FlowParseException("set_field needs VALUE->FIELD: '" + t + "'");
      }
      String fieldName = t.substring(arrow + 2).strip();
      MatchField f = MatchField.byName(fieldName);
      if (f == null) {
        throw new FlowParseException("set_field: unknown field '" + fieldName + "'");
      }
      String v = t.substring(10, arrow);
      FieldMatch parsed = fieldValue(f, v, ports);
      if (parsed == null) {
        throw new FlowParseException("'" + t + "': an all-zero mask writes nothing");
      }
      if (!parsed.isExact()) {
        // OVS refuses a masked set_field under OpenFlow 1.3; ovs-ofctl rewrites one with a
        // contiguous mask into the equivalent reg_load, and so do we.
        long mask = parsed.mask();
        int offset = Long.numberOfTrailingZeros(mask);
        int bits = Long.bitCount(mask);
        if (mask >>> offset != (bits == 64 ? -1L : (1L << bits) - 1) || !f.hasNxmName()) {
          throw new FlowParseException(
              "'" + t + "': a masked set_field needs a contiguous mask under OpenFlow 1.3");
        }
        return new Action.Load(new SubField(f, offset, bits), parsed.value() >>> offset);
      }
      return new Action.SetField(f, parsed.value());
    }
    if (lower.startsWith("mod_dl_src:")) {
      return new Action.SetField(MatchField.ETH_SRC, Values.parseMac(t.substring(11)));
    }
    if (lower.startsWith("mod_dl_dst:")) {
      return new Action.SetField(MatchField.ETH_DST, Values.parseMac(t.substring(11)));
    }
    if (lower.startsWith("mod_nw_src:")) {
      return new Action.SetField(MatchField.IPV4_SRC, Values.parseIp(t.substring(11)));
    }
    if (lower.startsWith("mod_nw_dst:")) {
      return new Action.SetField(MatchField.IPV4_DST, Values.parseIp(t.substring(11)));
    }
    if (lower.startsWith("mod_tp_src:")) {
      return new Action.SetField(MatchField.TP_SRC, Values.parseNumber(t.substring(11)));
    }
    if (lower.startsWith("mod_tp_dst:")) {
      return new Action.SetField(MatchField.TP_DST, Values.parseNumber(t.substring(11)));
    }
    if (lower.startsWith("group:")) {
      return new Action.GroupAction(Values.parseNumber(t.substring(6)));
    }
    if (lower.startsWith("conjunction(") && t.endsWith(")")) {
      String inner = t.substring(12, t.length() - 1);
      int comma = inner.indexOf(',');
      int slash = inner.indexOf('/');
      if (comma < 0 || slash < comma) {
        throw new FlowParseException("conjunction needs (id,k/n): '" + t + "'");
      }
      return new Action.Conjunction(
          Values.parseNumber(inner.substring(0, comma)),
          (int) Values.parseNumber(inner.substring(comma + 1, slash)),
          (int) Values.parseNumber(inner.substring(slash + 1)));
    }
    if (lower.equals("ct") || lower.startsWith("ct(") && t.endsWith(")")) {
      return ct(lower.equals("ct") ? "" : t.substring(3, t.length() - 1), ports);
    }
    if (lower.equals("nat") || lower.startsWith("nat(")) {
      return nat(t);
    }
    if (lower.startsWith("unknown(") && t.endsWith(")")) {
      return new Action.Unknown(java.util.HexFormat.of().parseHex(t.substring(8, t.length() - 1)));
    }
    if (lower.startsWith("controller")) {
      return controller(t);
    }
    if (lower.startsWith("output:")) {
      String target = t.substring(7).strip();
      MatchField asField = MatchField.byName(target);
      if (target.contains("[") || asField != null && asField.isRegister()) {
        return new Action.OutputReg(subField(target));
      }
      return Action.Output.to(requirePort(target, ports));
    }
    if (lower.startsWith("output(")) {
      throw new FlowParseException("output(port=...,max_len=...) is not supported: '" + t + "'");
    }
    OptionalLong bare = FlowText.portNumber(t, ports);
    if (bare.isPresent()) {
      return Action.Output.to(bare.getAsLong());
    }
    throw new FlowParseException("unknown action '" + t + "'");
  }

  private static Action controller(String t) {
    String lower = Values.lower(t);
    int maxLen = Action.Output.NO_BUFFER;
    if (lower.startsWith("controller:")) {
      maxLen = (int) Values.parseNumber(t.substring(11));
    } else if (lower.startsWith("controller(") && t.endsWith(")")) {
      for (String arg : split(t.substring(11, t.length() - 1))) {
        String a = Values.lower(arg);
        if (a.startsWith("max_len=")) {
          maxLen = (int) Values.parseNumber(arg.substring(8));
        } else {
          throw new FlowParseException(
              "controller(" + arg + "): only max_len is supported in '" + t + "'");
        }
      }
    } else if (!lower.equals("controller")) {
      throw new FlowParseException("unknown action '" + t + "'");
    }
    return new Action.Output(OfPort.CONTROLLER, maxLen);
  }

  private static long requirePort(String text, PortNames ports) {
    OptionalLong p = FlowText.portNumber(text, ports);
    if (p.isEmpty()) {
      throw new FlowParseException(
          "unknown port " + text.strip() + " (not in the switch's port list)");
    }
    return p.getAsLong();
  }

  private static Action.Ct ct(String args, PortNames ports) {
    boolean commit = false;
    boolean force = false;
    int table = -1;
    int zone = 0;
    SubField zoneSrc = null;
    Action.Nat nat = null;
    List<Action> exec = List.of();
    for (String arg : split(args)) {
      String a = Values.lower(arg);
      if (a.equals("commit")) {
        commit = true;
      } else if (a.equals("force")) {
        force = true;
      } else if (a.startsWith("table=")) {
        table = (int) Values.parseNumber(arg.substring(6));
      } else if (a.startsWith("zone=")) {
        String z = arg.substring(5);
        if (z.contains("[") || MatchField.byName(z) != null) {
          zoneSrc = subField(z);
        } else {
          zone = (int) Values.parseNumber(z);
        }
      } else if (a.equals("nat") || a.startsWith("nat(")) {
        nat = nat(arg);
      } else if (a.startsWith("exec(") && arg.endsWith(")")) {
        exec = actions(arg.substring(5, arg.length() - 1), ports);
      } else {
        throw new FlowParseException("ct: unsupported argument '" + arg + "'");
      }
    }
    return new Action.Ct(commit, force, table, zone, zoneSrc, nat, exec);
  }

  private static Action.Nat nat(String t) {
    if (Values.lower(t).equals("nat")) {
      return Action.Nat.existing();
    }
    String inner = t.substring(4, t.length() - 1);
    Action.Nat.Kind kind = Action.Nat.Kind.EXISTING;
    int ipMin = 0;
    int ipMax = 0;
    int portMin = 0;
    int portMax = 0;
    boolean persistent = false;
    boolean hash = false;
    boolean random = false;
    for (String arg : split(inner)) {
      String a = Values.lower(arg);
      if (a.startsWith("src") || a.startsWith("dst")) {
        kind = a.startsWith("src") ? Action.Nat.Kind.SRC : Action.Nat.Kind.DST;
        if (a.length() > 3) {
          if (a.charAt(3) != '=') {
            throw new FlowParseException("nat: bad argument '" + arg + "'");
          }
          String range = arg.substring(4);
          String ips = range;
          int colon = range.indexOf(':');
          if (colon >= 0) {
            ips = range.substring(0, colon);
            String ports = range.substring(colon + 1);
            int dash = ports.indexOf('-');
            portMin = (int) Values.parseNumber(dash < 0 ? ports : ports.substring(0, dash));
            portMax = dash < 0 ? portMin : (int) Values.parseNumber(ports.substring(dash + 1));
          }
          int dash = ips.indexOf('-');
          ipMin = (int) Values.parseIp(dash < 0 ? ips : ips.substring(0, dash));
          ipMax = dash < 0 ? ipMin : (int) Values.parseIp(ips.substring(dash + 1));
        }
      } else if (a.equals("persistent")) {
        persistent = true;
      } else if (a.equals("hash")) {
        hash = true;
      } else if (a.equals("random")) {
        random = true;
      } else {
        throw new FlowParseException("nat: unsupported argument '" + arg + "'");
      }
    }
    return new Action.Nat(kind, ipMin, ipMax, portMin, portMax, persistent, hash, random);
  }

  /** {@code NXM_NX_REG0[0..15]}, {@code reg0[16]}, {@code NXM_NX_REG1[]}, {@code reg1}. */
  static SubField subField(String text) {
    String t = text.strip();
    int bracket = t.indexOf('[');
    String name = bracket < 0 ? t : t.substring(0, bracket);
    MatchField f = MatchField.byName(name);
    if (f == null || !f.hasNxmName()) {
      throw new FlowParseException("unknown field '" + name + "' in '" + text + "'");
    }
    if (bracket < 0) {
      return SubField.whole(f);
    }
    if (!t.endsWith("]")) {
      throw new FlowParseException("unbalanced [ in '" + text + "'");
    }
    String range = t.substring(bracket + 1, t.length() - 1);
    if (range.isEmpty()) {
      return SubField.whole(f);
    }
    int dots = range.indexOf("..");
    if (dots < 0) {
      return SubField.bit(f, Integer.parseInt(range.strip()));
    }
    return SubField.range(
        f,
        Integer.parseInt(range.substring(0, dots).strip()),
        Integer.parseInt(range.substring(dots + 2).strip()));
  }

  // ---------------------------------------------------------------- groups

  static Group group(String line, PortNames ports) {
    String t = line.strip();
    Long id = null;
    Group.Type type = null;
    List<Group.Bucket> buckets = new ArrayList<>();
    int bucketAt = indexOfTopLevel(t, "bucket=");
    String head = bucketAt < 0 ? t : t.substring(0, bucketAt);
    for (String token : split(head)) {
      int eq = token.indexOf('=');
      String key = Values.lower(eq < 0 ? token : token.substring(0, eq));
      String value = eq < 0 ? "" : token.substring(eq + 1);
      switch (key) {
        case "group_id" -> id = Values.parseNumber(value);
        case "type" -> type = Group.Type.fromText(value);
        case "duration", "ref_count", "packet_count", "byte_count" -> {}
        default ->
            throw new FlowParseException("unknown group field '" + key + "' in '" + line + "'");
      }
    }
    if (id == null || type == null) {
      throw new FlowParseException("a group needs group_id= and type=: '" + line + "'");
    }
    int n = 0;
    while (bucketAt >= 0) {
      int next = indexOfTopLevel(t.substring(bucketAt + 7), "bucket=");
      String body =
          next < 0 ? t.substring(bucketAt + 7) : t.substring(bucketAt + 7, bucketAt + 7 + next);
      body = body.strip();
      if (body.endsWith(",")) {
        body = body.substring(0, body.length() - 1);
      }
      buckets.add(bucket(body, n++, type == Group.Type.SELECT ? 1 : 0, ports));
      bucketAt = next < 0 ? -1 : bucketAt + 7 + next;
    }
    return new Group(id, type, buckets);
  }

  private static Group.Bucket bucket(
      String body, int defaultId, int defaultWeight, PortNames ports) {
    int bucketId = defaultId;
    int weight = defaultWeight;
    long watchPort = Group.Bucket.WATCH_NONE;
    long watchGroup = Group.Bucket.WATCH_NONE;
    int actionsAt = indexOfTopLevel(body, "actions=");
    String head = actionsAt < 0 ? "" : body.substring(0, actionsAt);
    String acts = actionsAt < 0 ? body : body.substring(actionsAt + 8);
    for (String token : split(head)) {
      int sep = token.indexOf(':');
      if (sep < 0) {
        sep = token.indexOf('=');
      }
      if (sep < 0) {
        throw new FlowParseException("bad bucket parameter '" + token + "'");
      }
      String key = Values.lower(token.substring(0, sep));
      String value = token.substring(sep + 1);
      switch (key) {
        case "bucket_id" -> bucketId = (int) Values.parseNumber(value);
        case "weight" -> weight = (int) Values.parseNumber(value);
        case "watch_port" -> watchPort = requirePort(value, ports);
        case "watch_group" -> watchGroup = Values.parseNumber(value);
        default -> throw new FlowParseException("unknown bucket parameter '" + key + "'");
      }
    }
    return new Group.Bucket(bucketId, weight, watchPort, watchGroup, actions(acts, ports));
  }

  // ---------------------------------------------------------------- lexing

  /** Index of {@code actions=} outside quotes and parentheses, or -1. */
  private static int findActions(String s) {
    return indexOfTopLevel(s, "actions=");
  }

  private static int indexOfTopLevel(String s, String needle) {
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted
          && depth == 0
          && s.startsWith(needle, i)
          && (i == 0 || s.charAt(i - 1) == ',' || Character.isWhitespace(s.charAt(i - 1)))) {
        return i;
      }
    }
    return -1;
  }

  /** Splits on commas and blanks outside quotes, parentheses and brackets. */
  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '(' || c == '[')) {
        depth++;
      } else if (!quoted && (c == ')' || c == ']')) {
        depth--;
        if (depth < 0) {
          throw new FlowParseException("unbalanced ')' in '" + s + "'");
        }
      }
      if (!quoted && depth == 0 && (c == ',' || Character.isWhitespace(c))) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (quoted || depth != 0) {
      throw new FlowParseException("unbalanced quotes or parentheses in '" + s + "'");
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }
}
