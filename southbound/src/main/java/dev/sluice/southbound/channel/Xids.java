package dev.sluice.southbound.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The transaction ids of one connection, shared by the handlers that send requests (handshake,
 * keepalive, session): never 0 (OVS uses 0 for messages that answer nothing) and never one a
 * handler still waits on, so a wrap-around after 2^32 requests cannot mix up two replies. Event
 * loop only.
 */
final class Xids {
  private final List<IntPredicate> inUse = new ArrayList<>();
  private int last;

  /** Makes {@link #next()} skip every xid {@code waiting} says is awaiting its reply. */
  void exclude(IntPredicate waiting) {
    inUse.add(waiting);
  }

  /** Stops skipping what {@code waiting} says (its handler left the pipeline). */
  void include(IntPredicate waiting) {
    inUse.remove(waiting);
  }

  int next() {
    do {
      last++;
    } while (last == 0 || waited(last));
    return last;
  }

  /** For tests: the next xids start after {@code xid}. */
  void setLast(int xid) {
    last = xid;
  }

  private boolean waited(int xid) {
    for (IntPredicate p : inUse) {
      if (p.test(xid)) {
        return true;
      }
    }
    return false;
  }
}
