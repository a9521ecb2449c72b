package dev.sluice.southbound.wire;

import io.netty.buffer.ByteBuf;

/**
 * OpenFlow 1.3 multipart (statistics) constants and the request bodies the channel layer itself
 * needs (OpenFlow 1.3.5 §7.3.5).
 *
 * <pre>
 *   ofp_multipart_request / _reply:  header(8) | type u16 | flags u16 | pad[4] | body
 * </pre>
 */
public final class Multipart {
  public static final int DESC = 0;
  public static final int FLOW = 1;
  public static final int AGGREGATE = 2;
  public static final int TABLE = 3;
  public static final int PORT_STATS = 4;
  public static final int QUEUE = 5;
  public static final int GROUP = 6;
  public static final int GROUP_DESC = 7;
  public static final int GROUP_FEATURES = 8;
  public static final int METER = 9;
  public static final int METER_CONFIG = 10;
  public static final int METER_FEATURES = 11;
  public static final int TABLE_FEATURES = 12;
  public static final int PORT_DESC = 13;
  public static final int EXPERIMENTER = 0xffff;

  /** {@code OFPMPF_REPLY_MORE}: more replies follow for the same xid. */
  public static final int FLAG_MORE = 1;

  /** Length of the multipart header that precedes the body (OpenFlow header included). */
  public static final int HEADER_LENGTH = 16;

  private static final int OFPTT_ALL = 0xff;
  private static final int OFPP_ANY = 0xffffffff;
  private static final int OFPG_ANY = 0xffffffff;

  private Multipart() {}

  /**
   * Writes an {@code ofp_flow_stats_request} for every flow in every table (table ALL, out_port and
   * out_group ANY, cookie mask 0, empty OXM match).
   */
  public static void writeAllFlowsRequest(ByteBuf out) {
    out.writeByte(OFPTT_ALL);
    out.writeZero(3);
    out.writeInt(OFPP_ANY);
    out.writeInt(OFPG_ANY);
    out.writeZero(4);
    out.writeLong(0); // cookie
    out.writeLong(0); // cookie_mask
    // ofp_match: type OFPMT_OXM (1), length 4 (no fields), padded to 8.
    out.writeShort(1);
    out.writeShort(4);
    out.writeZero(4);
  }

  /** Writes an {@code ofp_port_stats_request} for all ports. */
  public static void writeAllPortsStatsRequest(ByteBuf out) {
    out.writeInt(OFPP_ANY);
    out.writeZero(4);
  }
}
