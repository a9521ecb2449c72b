package dev.sluice.compiler.flow;

import java.util.List;

/**
 * An immutable OpenFlow 1.3 flow entry. Identity on a switch is (table, priority, match); {@link
 * #key()} gives it. {@code cookieMask} is non-zero only in flow <em>patterns</em> (modify/delete by
 * cookie, {@code cookie=V/M} in add-flows syntax), never in an installed flow.
 */
public record Flow(
    int table,
    int priority,
    long cookie,
    long cookieMask,
    Match match,
    List<Action> actions,
    int idleTimeout,
    int hardTimeout) {

  /** OFP_DEFAULT_PRIORITY: what ovs-ofctl uses when a line gives none. */
  public static final int DEFAULT_PRIORITY = 0x8000;

  public Flow {
    if (table < 0 || table > 254) {
      throw new IllegalArgumentException("table " + table + " is not 0..254");
    }
    if (priority < 0 || priority > 0xffff) {
      throw new IllegalArgumentException("priority " + priority + " is not 0..65535");
    }
    if (idleTimeout < 0 || idleTimeout > 0xffff || hardTimeout < 0 || hardTimeout > 0xffff) {
      throw new IllegalArgumentException("timeouts are 0..65535 seconds");
    }
    actions = List.copyOf(actions);
    for (int i = 0; i < actions.size() - 1; i++) {
      if (actions.get(i) instanceof Action.GotoTable) {
        throw new IllegalArgumentException("goto_table must be the last action");
      }
    }
    checkActions(match, actions);
    if (!actions.isEmpty()
        && actions.get(actions.size() - 1) instanceof Action.GotoTable g
        && g.table() <= table) {
      throw new IllegalArgumentException(
          "goto_table:" + g.table() + " from table " + table + " must go to a later table");
    }
  }

  /**
   * What OVS refuses with OFPBAC_MATCH_INCONSISTENT or at parse time: writes to conntrack fields
   * outside {@code ct(exec(...))}, field accesses whose prerequisite the match lacks, {@code
   * dec_ttl} without {@code ip}, and conjunction actions mixed with anything else.
   */
  private static void checkActions(Match match, List<Action> actions) {
    boolean conjunction = false;
    boolean other = false;
    for (Action a : actions) {
      if (a instanceof Action.Conjunction) {
        conjunction = true;
        continue;
      }
      other = true;
      if (a instanceof Action.DecTtl) {
        requirePrereq(match, MatchField.Prereq.IP, "dec_ttl");
      } else if (a instanceof Action.Load l) {
        checkWritable(match, l.destination().field(), a);
      } else if (a instanceof Action.SetField s) {
        checkWritable(match, s.field(), a);
      } else if (a instanceof Action.Move m) {
        requirePrereq(
            match, m.source().field().prereq(), FlowText.formatActions(List.of(a), PortNames.NONE));
        checkWritable(match, m.destination().field(), a);
      }
    }
    if (conjunction && other) {
      throw new IllegalArgumentException(
          "conjunction actions cannot be combined with other actions");
    }
  }

  private static void checkWritable(Match match, MatchField field, Action a) {
    String text = FlowText.formatActions(List.of(a), PortNames.NONE);
    switch (field) {
      case CT_MARK, CT_LABEL, CT_STATE, CT_ZONE ->
          throw new IllegalArgumentException(
              text + ": conntrack fields can only be set inside ct(exec(...))");
      case CONJ_ID, IN_PORT, ETH_TYPE, IP_PROTO ->
          throw new IllegalArgumentException(text + ": " + field.ovsName() + " is read-only");
      default -> requirePrereq(match, field.prereq(), text);
    }
  }

  private static void requirePrereq(Match match, MatchField.Prereq prereq, String what) {
    long ethType = match.exactValue(MatchField.ETH_TYPE);
    long proto = match.exactValue(MatchField.IP_PROTO);
    boolean ok =
        switch (prereq) {
          case NONE -> true;
          case IP -> ethType == Match.ETH_IP;
          case ARP -> ethType == Match.ETH_ARP;
          case ICMP -> ethType == Match.ETH_IP && proto == Match.PROTO_ICMP;
          case L4 ->
              ethType == Match.ETH_IP
                  && (proto == Match.PROTO_TCP
                      || proto == Match.PROTO_UDP
                      || proto == Match.PROTO_SCTP);
        };
    if (!ok) {
      throw new IllegalArgumentException(
          what + " needs the match to include " + prereq.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** A flow with no timeouts and no cookie mask. */
  public static Flow of(int table, int priority, long cookie, Match match, List<Action> actions) {
    return new Flow(table, priority, cookie, 0, match, actions, 0, 0);
  }

  /** What identifies a flow within a switch's tables. */
  public Key key() {
    return new Key(table, priority, match);
  }

  public Flow withCookie(long newCookie) {
    return new Flow(
        table, priority, newCookie, cookieMask, match, actions, idleTimeout, hardTimeout);
  }

  public Flow withActions(List<Action> newActions) {
    return new Flow(
        table, priority, cookie, cookieMask, match, newActions, idleTimeout, hardTimeout);
  }

  public boolean isDrop() {
    return actions.isEmpty();
  }

  @Override
  public String toString() {
    return FlowText.format(this, PortNames.NONE);
  }

  /** (table, priority, match): two flows with the same key cannot coexist on a switch. */
  public record Key(int table, int priority, Match match) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = Integer.compare(table, o.table);
      if (c == 0) {
        c = Integer.compare(o.priority, priority);
      }
      return c != 0 ? c : match.compareTo(o.match);
    }
  }
}
