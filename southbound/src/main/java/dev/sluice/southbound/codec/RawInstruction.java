package dev.sluice.southbound.codec;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An instruction other than APPLY_ACTIONS and GOTO_TABLE (WRITE_ACTIONS, CLEAR_ACTIONS,
 * WRITE_METADATA, METER, experimenter), kept whole: type, length and body.
 */
public record RawInstruction(byte[] bytes) {
  public RawInstruction {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** OFPIT_* type. */
  public int type() {
    return (bytes[0] & 0xff) << 8 | (bytes[1] & 0xff);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawInstruction r && Arrays.equals(bytes, r.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "raw_instruction(" + HexFormat.of().formatHex(bytes) + ")";
  }
}
