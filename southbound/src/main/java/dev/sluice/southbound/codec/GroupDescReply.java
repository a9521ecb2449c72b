package dev.sluice.southbound.codec;

import dev.sluice.compiler.flow.Group;
import java.util.List;

/** One OFPMP_GROUP_DESC reply; {@code more} (OFPMPF_REPLY_MORE) says further replies follow. */
public record GroupDescReply(int xid, boolean more, List<Group> groups) {
  public GroupDescReply {
    groups = List.copyOf(groups);
  }
}
