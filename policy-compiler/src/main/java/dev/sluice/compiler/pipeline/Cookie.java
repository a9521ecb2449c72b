package dev.sluice.compiler.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 64-bit flow cookie: who installed a flow and for which object (Antrea {@code
 * pkg/agent/openflow/cookie/allocator.go}, with the object id Antrea lacks).
 *
 * <pre>
 *  63            48 47     40 39                                   0
 * +----------------+---------+--------------------------------------+
 * |     round      | category|              object id               |
 * +----------------+---------+--------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li><b>round</b> (16 bits): the controller run that installed the flow; flows of an older round
 *       are swept with the mask {@link #ROUND_MASK}. The seed's flows are round 1.
 *   <li><b>category</b> (8 bits): {@link Category}; the seed's {@code 0x1000000000000}, {@code
 *       0x1020000000000}, {@code 0x1030000000000}, {@code 0x1040000000000}, {@code 0x1050000000000}
 *       are round 1 with categories 0, 2, 3, 4, 5.
 *   <li><b>object id</b> (40 bits): the object or rule the flow belongs to: for NetworkPolicy rule
 *       flows the rule's conj_id (a shared clause flow carries the smallest conj_id among its
 *       {@code conjunction()} actions), for everything else {@link #objectId(String)} of the
 *       object's identity. {@link Provenance} maps a cookie back to its objects.
 * </ul>
 *
 * <p>Comparing with the seed, whose cookies have no object id, use {@link #withoutObject(long)}.
 */
public final class Cookie {
  private Cookie() {}

  /** Bits 48..63. */
  public static final long ROUND_MASK = 0xffffL << 48;

  /** Bits 40..47. */
  public static final long CATEGORY_MASK = 0xffL << 40;

  /** Bits 0..39. */
  public static final long OBJECT_MASK = (1L << 40) - 1;

  /** Who a flow belongs to (bits 40..47). */
  public enum Category {
    /** Pipeline skeleton: table-miss flows, gateway and tunnel flows, isolation drops. */
    DEFAULT(0),
    /** Flows of the local gateway (reserved; the seed files gateway flows as DEFAULT). */
    GATEWAY(1),
    /** Routes and ARP answers for another node (its pod CIDR through the tunnel). */
    NODE(2),
    /** Flows of one local pod. */
    POD(3),
    /** Service flows. */
    SERVICE(4),
    /** NetworkPolicy rule flows (clauses and conj_id flows). */
    POLICY(5);

    private final int code;

    Category(int code) {
      this.code = code;
    }

    /** The 8-bit code. */
    public int code() {
      return code;
    }

    /** The category with {@code code}. */
    public static Category of(int code) {
      for (Category c : values()) {
        if (c.code == code) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown cookie category " + code);
    }
  }

  /** Builds a cookie. */
  public static long of(int round, Category category, long objectId) {
    if (round < 0 || round > 0xffff) {
      throw new IllegalArgumentException("round " + round + " is not 16-bit");
    }
    if ((objectId & ~OBJECT_MASK) != 0) {
      throw new IllegalArgumentException(
          "object id 0x" + Long.toHexString(objectId) + " > 40 bits");
    }
    return ((long) round << 48) | ((long) category.code() << 40) | objectId;
  }

  /** The round of {@code cookie}. */
  public static int round(long cookie) {
    return (int) (cookie >>> 48);
  }

  /** The category of {@code cookie}. */
  public static Category category(long cookie) {
    return Category.of((int) ((cookie >>> 40) & 0xff));
  }

  /** The object id of {@code cookie}. */
  public static long objectId(long cookie) {
    return cookie & OBJECT_MASK;
  }

  /** round | category: what the seed's cookies carry. */
  public static long withoutObject(long cookie) {
    return cookie & ~OBJECT_MASK;
  }

  /**
   * A stable 40-bit id for an object identity such as {@code pod/default/frontend}: the first 40
   * bits of its SHA-256. Never 0 (0 means "no object"). Collisions are not resolved here (that
   * would make an id depend on which other objects exist); {@link Provenance} keeps every origin of
   * a cookie and reports a cookie with several objects.
   */
  public static long objectId(String identity) {
    byte[] d = sha256(identity);
    long v = 0;
    for (int i = 0; i < 5; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return v == 0 ? 1 : v;
  }

  /** SHA-256 of the UTF-8 bytes of {@code s}. */
  public static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code 0x...} as ovs-ofctl prints cookies. */
  public static String toHex(long cookie) {
    return "0x" + Long.toHexString(cookie);
  }
}
