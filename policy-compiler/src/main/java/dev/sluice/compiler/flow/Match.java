package dev.sluice.compiler.flow;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An immutable OpenFlow match: at most one {@link FieldMatch} per field, kept in {@link MatchField}
 * order (the order {@code ovs-ofctl} prints). Prerequisites are checked on construction: a field
 * whose prerequisite is missing would be dropped silently by OVS, so it is refused here.
 */
public final class Match implements Comparable<Match> {
  /** Ethernet types with ovs-ofctl shorthands. */
  public static final int ETH_IP = 0x0800;

  public static final int ETH_ARP = 0x0806;
  public static final int PROTO_ICMP = 1;
  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_SCTP = 132;

  private static final Match EMPTY = new Match(new FieldMatch[0]);

  private final FieldMatch[] fields;
  private final int hash;

  /**
   * The canonical text, computed on first use: flow keys are ordered by it, and formatting it on
   * every comparison dominated the cost of sorting and of sorted maps of flows. A benign race: the
   * value is immutable and always the same.
   */
  private @Nullable String text;

  private Match(FieldMatch[] fields) {
    this.fields = fields;
    this.hash = Arrays.hashCode(fields);
  }

  public static Match any() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a match from field matches in any order; throws on duplicates or missing prerequisites.
   */
  public static Match of(Collection<FieldMatch> matches) {
    Builder b = builder();
    matches.forEach(b::add);
    return b.build();
  }

  public List<FieldMatch> fields() {
    return List.of(fields);
  }

  public boolean isEmpty() {
    return fields.length == 0;
  }

  public Optional<FieldMatch> get(MatchField field) {
    for (FieldMatch f : fields) {
      if (f.field() == field) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  public boolean has(MatchField field) {
    return get(field).isPresent();
  }

  /** The exact value of {@code field}, or -1 when it is absent or masked. */
  public long exactValue(MatchField field) {
    return get(field).filter(FieldMatch::isExact).map(FieldMatch::value).orElse(-1L);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    for (FieldMatch f : fields) {
      b.add(f);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Match m && hash == m.hash && Arrays.equals(fields, m.fields);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Match o) {
    return this == o ? 0 : toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = FlowText.formatMatch(this, PortNames.NONE);
      text = t;
    }
    return t;
  }

  /** Accumulates field matches; {@link #build()} validates prerequisites. */
  public static final class Builder {
    private final Map<MatchField, FieldMatch> map = new EnumMap<>(MatchField.class);

    private Builder() {}

    public Builder add(FieldMatch f) {
      FieldMatch prev = map.putIfAbsent(f.field(), f);
      if (prev != null && !prev.equals(f)) {
        throw new IllegalArgumentException(
            "field " + f.field().ovsName() + " given twice with different values");
      }
      return this;
    }

    public Builder exact(MatchField field, long value) {
      return add(FieldMatch.exact(field, value));
    }

    public Builder masked(MatchField field, long value, long mask) {
      return add(
          mask == field.fullMask()
              ? FieldMatch.exact(field, value)
              : FieldMatch.masked(field, value, mask));
    }

    public Builder ip() {
      return exact(MatchField.ETH_TYPE, ETH_IP);
    }

    public Builder arp() {
      return exact(MatchField.ETH_TYPE, ETH_ARP);
    }

    /** {@code ip} plus {@code nw_proto}: tcp, udp, sctp, icmp. */
    public Builder ipProto(int proto) {
      return ip().exact(MatchField.IP_PROTO, proto);
    }

    public Builder inPort(long port) {
      return exact(MatchField.IN_PORT, port);
    }

    public Builder reg(int n, long value, long mask) {
      return masked(MatchField.reg(n), value, mask);
    }

    public Builder remove(MatchField field) {
      map.remove(field);
      return this;
    }

    public Match build() {
      if (map.isEmpty()) {
        return EMPTY;
      }
      long ethType = exact(MatchField.ETH_TYPE);
      long proto = exact(MatchField.IP_PROTO);
      for (FieldMatch f : map.values()) {
        boolean ok =
            switch (f.field().prereq()) {
              case NONE -> true;
              case IP -> ethType == ETH_IP;
              case ARP -> ethType == ETH_ARP;
              case ICMP -> ethType == ETH_IP && proto == PROTO_ICMP;
              case L4 ->
                  ethType == ETH_IP
                      && (proto == PROTO_TCP || proto == PROTO_UDP || proto == PROTO_SCTP);
            };
        if (!ok) {
          throw new IllegalArgumentException(
              f.field().ovsName()
                  + " needs "
                  + describe(f.field().prereq())
                  + " in the same match (OVS would silently ignore it otherwise): "
                  + map.values().stream()
                      .map(x -> x.field().ovsName())
                      .collect(Collectors.joining(",")));
        }
      }
      return new Match(map.values().toArray(new FieldMatch[0]));
    }

    private long exact(MatchField field) {
      FieldMatch f = map.get(field);
      return f != null && f.isExact() ? f.value() : -1;
    }

    private static String describe(MatchField.Prereq p) {
      return switch (p) {
        case NONE -> "nothing";
        case IP -> "ip (dl_type=0x0800)";
        case ARP -> "arp (dl_type=0x0806)";
        case ICMP -> "icmp";
        case L4 -> "tcp, udp or sctp";
      };
    }
  }
}
