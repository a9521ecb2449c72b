package dev.sluice.southbound.wire;

/** OpenFlow 1.3 message types ({@code enum ofp_type}, OpenFlow 1.3.5 §7.1.1). */
public enum MessageType {
  HELLO(0),
  ERROR(1),
  ECHO_REQUEST(2),
  ECHO_REPLY(3),
  EXPERIMENTER(4),
  FEATURES_REQUEST(5),
  FEATURES_REPLY(6),
  GET_CONFIG_REQUEST(7),
  GET_CONFIG_REPLY(8),
  SET_CONFIG(9),
  PACKET_IN(10),
  FLOW_REMOVED(11),
  PORT_STATUS(12),
  PACKET_OUT(13),
  FLOW_MOD(14),
  GROUP_MOD(15),
  PORT_MOD(16),
  TABLE_MOD(17),
  MULTIPART_REQUEST(18),
  MULTIPART_REPLY(19),
  BARRIER_REQUEST(20),
  BARRIER_REPLY(21),
  QUEUE_GET_CONFIG_REQUEST(22),
  QUEUE_GET_CONFIG_REPLY(23),
  ROLE_REQUEST(24),
  ROLE_REPLY(25),
  GET_ASYNC_REQUEST(26),
  GET_ASYNC_REPLY(27),
  SET_ASYNC(28),
  METER_MOD(29);

  private static final MessageType[] BY_CODE = values();

  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  /** The value of the header's {@code type} byte. */
  public int code() {
    return code;
  }

  /** The type for a header {@code type} byte, or {@code null} if OpenFlow 1.3 has none. */
  public static MessageType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** A readable name for a type byte, including ones OpenFlow 1.3 does not define. */
  public static String nameOf(int code) {
    MessageType type = fromCode(code);
    return type != null ? type.name() : "TYPE_" + code;
  }
}
