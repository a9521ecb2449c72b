package dev.sluice.southbound.tables;

import dev.sluice.southbound.channel.OutgoingMessage;
import dev.sluice.southbound.channel.SwitchSession;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The Geneve TLV mapping Antrea's classifier reads ({@code move:NXM_NX_TUN_METADATA0[28..31]}):
 * option class 0xffff, type 0, 4 bytes → {@code tun_metadata0}. OVS forgets it when ovs-vswitchd
 * restarts, and refuses flows that use {@code tun_metadata0} without it, so it is ensured before
 * every full resync.
 *
 * <p>Wire (Nicira experimenter 0x00002320, OVS {@code nx_tlv_table_mod}): subtype 24
 * NXT_TLV_TABLE_MOD = command u16 (0 add), pad 6, then per mapping: option_class u16, option_type
 * u8, option_len u8, index u16, pad 2. Subtype 25 NXT_TLV_TABLE_REQUEST has no body; the reply (26)
 * carries max_option_space u32, max_fields u16, pad 10, then the mappings.
 */
public final class TlvMap {
  static final int NX_VENDOR = 0x00002320;
  static final int NXT_TLV_TABLE_MOD = 24;
  static final int NXT_TLV_TABLE_REQUEST = 25;
  static final int OFPT_EXPERIMENTER = 4;
  static final int OPTION_CLASS = 0xffff;
  static final int OPTION_TYPE = 0;
  static final int OPTION_LEN = 4;

  private TlvMap() {}

  /** Makes sure tun_metadata0 is mapped as Antrea maps it; fails if it is mapped otherwise. */
  public static CompletableFuture<Void> ensureAntreaMapping(SwitchSession session) {
    byte[] request = header(16, NXT_TLV_TABLE_REQUEST).array();
    return session
        .request(OutgoingMessage.ofBytes(request, "NXT_TLV_TABLE_REQUEST"), OFPT_EXPERIMENTER)
        .thenCompose(
            reply -> {
              ByteBuffer b = ByteBuffer.wrap(reply);
              // ofp_header 8 + vendor 4 + subtype 4 + max_option_space 4 + max_fields 2 + pad 10
              for (int at = 32; at + 8 <= reply.length; at += 8) {
                int cls = b.getShort(at) & 0xffff;
                int type = b.get(at + 2) & 0xff;
                int len = b.get(at + 3) & 0xff;
                int index = b.getShort(at + 4) & 0xffff;
                if (index == 0) {
                  if (cls == OPTION_CLASS && type == OPTION_TYPE && len == OPTION_LEN) {
                    return CompletableFuture.completedFuture(null);
                  }
                  throw new IllegalStateException(
                      "switch "
                          + session.name()
                          + " maps tun_metadata0 to {class=0x"
                          + Integer.toHexString(cls)
                          + ",type="
                          + type
                          + ",len="
                          + len
                          + "}, not Antrea's {class=0xffff,type=0,len=4}");
                }
              }
              ByteBuffer mod = header(32, NXT_TLV_TABLE_MOD);
              mod.position(16);
              mod.putShort((short) 0); // NXTTMC_ADD
              mod.position(24);
              mod.putShort((short) OPTION_CLASS).put((byte) OPTION_TYPE).put((byte) OPTION_LEN);
              mod.putShort((short) 0); // index 0 = tun_metadata0
              // send() completes with the next barrier's reply, so ask for that barrier now.
              CompletableFuture<Void> sent =
                  session.send(
                      OutgoingMessage.ofBytes(
                          mod.array(), "add-tlv-map {class=0xffff,type=0,len=4}->tun_metadata0"));
              return session.barrier().thenCombine(sent, (x, y) -> (Void) null);
            });
  }

  private static ByteBuffer header(int length, int subtype) {
    ByteBuffer b = ByteBuffer.allocate(length);
    b.put((byte) 4).put((byte) OFPT_EXPERIMENTER).putShort((short) length).putInt(0);
    b.putInt(NX_VENDOR).putInt(subtype);
    return b;
  }
}
