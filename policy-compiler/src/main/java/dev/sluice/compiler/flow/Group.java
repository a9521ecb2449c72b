package dev.sluice.compiler.flow;

import java.util.List;

/** An OpenFlow 1.3 group entry ({@code ovs-ofctl add-group} syntax). */
public record Group(long groupId, Type type, List<Bucket> buckets) {

  /** OFPGT_*. */
  public enum Type {
    ALL(0, "all"),
    SELECT(1, "select"),
    INDIRECT(2, "indirect"),
    FAST_FAILOVER(3, "ff");

    private final int wire;
    private final String text;

    Type(int wire, String text) {
      this.wire = wire;
      this.text = text;
    }

    public int wire() {
      return wire;
    }

    public String text() {
      return text;
    }

    public static Type fromWire(int v) {
      for (Type t : values()) {
        if (t.wire == v) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown group type " + v);
    }

    public static Type fromText(String s) {
      for (Type t : values()) {
        if (t.text.equals(s) || t.name().equalsIgnoreCase(s)) {
          return t;
        }
      }
      if (s.equals("fast_failover")) {
        return FAST_FAILOVER;
      }
      throw new IllegalArgumentException(
          "unknown group type '" + s + "' (all, select, indirect, ff)");
    }
  }

  public Group {
    if (groupId < 0 || groupId > 0xffffff00L) {
      throw new IllegalArgumentException("group_id " + groupId + " is out of range");
    }
    buckets = List.copyOf(buckets);
    if (type == Type.INDIRECT && buckets.size() != 1) {
      throw new IllegalArgumentException("an indirect group has exactly one bucket");
    }
  }

  /** One bucket: weight (select groups), watch port/group (fast failover), actions. */
  public record Bucket(
      int bucketId, int weight, long watchPort, long watchGroup, List<Action> actions) {
    public static final long WATCH_NONE = 0xffffffffL;

    public Bucket {
      actions = List.copyOf(actions);
      if (weight < 0 || weight > 0xffff) {
        throw new IllegalArgumentException("bucket weight " + weight + " is not 0..65535");
      }
    }

    public static Bucket of(int bucketId, int weight, List<Action> actions) {
      return new Bucket(bucketId, weight, WATCH_NONE, WATCH_NONE, actions);
    }
  }

  @Override
  public String toString() {
    return FlowText.formatGroup(this, PortNames.NONE);
  }
}
