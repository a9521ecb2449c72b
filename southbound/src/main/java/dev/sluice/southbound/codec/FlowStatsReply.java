package dev.sluice.southbound.codec;

import java.util.List;

/** One OFPMP_FLOW reply; {@code more} (OFPMPF_REPLY_MORE) says further replies follow. */
public record FlowStatsReply(int xid, boolean more, List<FlowEntry> entries) {
  public FlowStatsReply {
    entries = List.copyOf(entries);
  }
}
