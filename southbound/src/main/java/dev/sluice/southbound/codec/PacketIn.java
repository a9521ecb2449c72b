package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Match;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * OFPT_PACKET_IN (OpenFlow 1.3): the pipeline metadata OVS reports (in_port and non-zero registers,
 * tunnel and conntrack fields, as a match) and the packet bytes.
 */
public record PacketIn(
    int xid,
    long bufferId,
    int totalLen,
    int reason,
    int tableId,
    long cookie,
    Match match,
    List<RawField> unknownMatch,
    byte[] data) {

  /** OFP_NO_BUFFER: the whole packet is in {@link #data()}. */
  public static final long NO_BUFFER = 0xffffffffL;

  public PacketIn {
    unknownMatch = List.copyOf(unknownMatch);
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PacketIn p
        && xid == p.xid
        && bufferId == p.bufferId
        && totalLen == p.totalLen
        && reason == p.reason
        && tableId == p.tableId
        && cookie == p.cookie
        && match.equals(p.match)
        && unknownMatch.equals(p.unknownMatch)
        && Arrays.equals(data, p.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data) * 31 + match.hashCode() + Long.hashCode(cookie);
  }

  @Override
  public String toString() {
    return "PacketIn[xid="
        + xid
        + ", table="
        + tableId
        + ", cookie=0x"
        + Long.toHexString(cookie)
        + ", reason="
        + reason
        + ", match="
        + match
        + ", total_len="
        + totalLen
        + ", data="
        + HexFormat.of().formatHex(data)
        + "]";
  }
}
