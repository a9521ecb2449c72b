package dev.sluice.southbound.wire;

import java.util.List;

/**
 * Names of OpenFlow 1.3 error types and codes (OpenFlow 1.3.5 §7.4.4), plus the experimenter codes
 * OVS sends under 1.3: ONF codes for the back-ported 1.4 errors (bundles, OVS {@code ofp-errors.h}
 * "ONF1.3(n)") and Nicira codes.
 *
 * <p>Hand-written rather than taken from Loxi because Loxi throws on codes it does not know, and
 * the whole point of an error name is to be printable for any error a switch sends.
 */
public final class ErrorCodes {
  /** {@code OFPET_EXPERIMENTER}: code is an experimenter code, followed by a 4-byte id. */
  public static final int EXPERIMENTER = 0xffff;

  public static final int HELLO_FAILED = 0;
  public static final int HELLO_FAILED_INCOMPATIBLE = 0;
  public static final int BAD_REQUEST = 1;

  /** ONF1.3 code of OFPBFC_MSG_FAILED: one message in a bundle failed at commit. */
  public static final int ONF_BUNDLE_MSG_FAILED = 2313;

  private record Type(String name, String codePrefix, List<String> codes) {}

  private static final List<Type> TYPES =
      List.of(
          new Type("HELLO_FAILED", "OFPHFC_", List.of("INCOMPATIBLE", "EPERM")),
          new Type(
              "BAD_REQUEST",
              "OFPBRC_",
              List.of(
                  "BAD_VERSION",
                  "BAD_TYPE",
                  "BAD_MULTIPART",
                  "BAD_EXPERIMENTER",
                  "BAD_EXP_TYPE",
                  "EPERM",
                  "BAD_LEN",
                  "BUFFER_EMPTY",
                  "BUFFER_UNKNOWN",
                  "BAD_TABLE_ID",
                  "IS_SLAVE",
                  "BAD_PORT",
                  "BAD_PACKET",
                  "MULTIPART_BUFFER_OVERFLOW")),
          new Type(
              "BAD_ACTION",
              "OFPBAC_",
              List.of(
                  "BAD_TYPE",
                  "BAD_LEN",
                  "BAD_EXPERIMENTER",
                  "BAD_EXP_TYPE",
                  "BAD_OUT_PORT",
                  "BAD_ARGUMENT",
                  "EPERM",
                  "TOO_MANY",
                  "BAD_QUEUE",
                  "BAD_OUT_GROUP",
                  "MATCH_INCONSISTENT",
                  "UNSUPPORTED_ORDER",
                  "BAD_TAG",
                  "BAD_SET_TYPE",
                  "BAD_SET_LEN",
                  "BAD_SET_ARGUMENT")),
          new Type(
              "BAD_INSTRUCTION",
              "OFPBIC_",
              List.of(
                  "UNKNOWN_INST",
                  "UNSUP_INST",
                  "BAD_TABLE_ID",
                  "UNSUP_METADATA",
                  "UNSUP_METADATA_MASK",
                  "BAD_EXPERIMENTER",
                  "BAD_EXP_TYPE",
                  "BAD_LEN",
                  "EPERM")),
          new Type(
              "BAD_MATCH",
              "OFPBMC_",
              List.of(
                  "BAD_TYPE",
                  "BAD_LEN",
                  "BAD_TAG",
                  "BAD_DL_ADDR_MASK",
                  "BAD_NW_ADDR_MASK",
                  "BAD_WILDCARDS",
                  "BAD_FIELD",
                  "BAD_VALUE",
                  "BAD_MASK",
                  "BAD_PREREQ",
                  "DUP_FIELD",
                  "EPERM")),
          new Type(
              "FLOW_MOD_FAILED",
              "OFPFMFC_",
              List.of(
                  "UNKNOWN",
                  "TABLE_FULL",
                  "BAD_TABLE_ID",
                  "OVERLAP",
                  "EPERM",
                  "BAD_TIMEOUT",
                  "BAD_COMMAND",
                  "BAD_FLAGS")),
          new Type(
              "GROUP_MOD_FAILED",
              "OFPGMFC_",
              List.of(
                  "GROUP_EXISTS",
                  "INVALID_GROUP",
                  "WEIGHT_UNSUPPORTED",
                  "OUT_OF_GROUPS",
                  "OUT_OF_BUCKETS",
                  "CHAINING_UNSUPPORTED",
                  "WATCH_UNSUPPORTED",
                  "LOOP",
                  "UNKNOWN_GROUP",
                  "CHAINED_GROUP",
                  "BAD_TYPE",
                  "BAD_COMMAND",
                  "BAD_BUCKET",
                  "BAD_WATCH",
                  "EPERM")),
          new Type(
              "PORT_MOD_FAILED",
              "OFPPMFC_",
              List.of("BAD_PORT", "BAD_HW_ADDR", "BAD_CONFIG", "BAD_ADVERTISE", "EPERM")),
          new Type("TABLE_MOD_FAILED", "OFPTMFC_", List.of("BAD_TABLE", "BAD_CONFIG", "EPERM")),
          new Type("QUEUE_OP_FAILED", "OFPQOFC_", List.of("BAD_PORT", "BAD_QUEUE", "EPERM")),
          new Type("SWITCH_CONFIG_FAILED", "OFPSCFC_", List.of("BAD_FLAGS", "BAD_LEN", "EPERM")),
          new Type("ROLE_REQUEST_FAILED", "OFPRRFC_", List.of("STALE", "UNSUP", "BAD_ROLE")),
          new Type(
              "METER_MOD_FAILED",
              "OFPMMFC_",
              List.of(
                  "UNKNOWN",
                  "METER_EXISTS",
                  "INVALID_METER",
                  "UNKNOWN_METER",
                  "BAD_COMMAND",
                  "BAD_FLAGS",
                  "BAD_RATE",
                  "BAD_BURST",
                  "BAD_BAND",
                  "BAD_BAND_VALUE",
                  "OUT_OF_METERS",
                  "OUT_OF_BANDS")),
          new Type(
              "TABLE_FEATURES_FAILED",
              "OFPTFFC_",
              List.of(
                  "BAD_TABLE", "BAD_METADATA", "BAD_TYPE", "BAD_LEN", "BAD_ARGUMENT", "EPERM")));

  /** ONF1.3 experimenter codes 2300..2315: OFPET_BUNDLE_FAILED back-ported from OpenFlow 1.4. */
  private static final List<String> ONF_BUNDLE_CODES =
      List.of(
          "UNKNOWN",
          "EPERM",
          "BAD_ID",
          "BUNDLE_EXIST",
          "BUNDLE_CLOSED",
          "OUT_OF_BUNDLES",
          "BAD_TYPE",
          "BAD_FLAGS",
          "MSG_BAD_LEN",
          "MSG_BAD_XID",
          "MSG_UNSUP",
          "MSG_CONFLICT",
          "MSG_TOO_MANY",
          "MSG_FAILED",
          "TIMEOUT",
          "BUNDLE_IN_PROGRESS");

  private ErrorCodes() {}

  /** Name of an error type, e.g. {@code BAD_REQUEST}, {@code EXPERIMENTER} or {@code TYPE_99}. */
  public static String typeName(int type) {
    if (type == EXPERIMENTER) {
      return "EXPERIMENTER";
    }
    return type >= 0 && type < TYPES.size() ? TYPES.get(type).name() : "TYPE_" + type;
  }

  /**
   * Name of an error code, e.g. {@code OFPBRC_BAD_TABLE_ID} or, for experimenter errors, {@code
   * OFPBFC_MSG_FAILED} (ONF bundle codes) or {@code NX_CODE_5}.
   *
   * @param experimenter the experimenter id, only read when {@code type} is {@link #EXPERIMENTER}
   */
  public static String codeName(int type, int code, long experimenter) {
    if (type == EXPERIMENTER) {
      if (experimenter == OpenFlowWire.ONF_EXPERIMENTER) {
        int index = code - 2300;
        if (index >= 0 && index < ONF_BUNDLE_CODES.size()) {
          return "OFPBFC_" + ONF_BUNDLE_CODES.get(index);
        }
        return "ONF_CODE_" + code;
      }
      if (experimenter == OpenFlowWire.NICIRA_EXPERIMENTER) {
        return "NX_CODE_" + code;
      }
      return String.format("EXPERIMENTER_0x%08x_CODE_%d", experimenter, code);
    }
    if (type >= 0 && type < TYPES.size()) {
      Type t = TYPES.get(type);
      if (code >= 0 && code < t.codes().size()) {
        return t.codePrefix() + t.codes().get(code);
      }
    }
    return "CODE_" + code;
  }
}
