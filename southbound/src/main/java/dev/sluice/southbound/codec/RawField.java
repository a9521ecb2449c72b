package dev.sluice.southbound.codec;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A match TLV the flow model cannot express (an unknown OXM/NXM field, or a known one with a length
 * or value the model does not support), kept whole: 4-byte header plus payload.
 */
public record RawField(byte[] bytes) {
  public RawField {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The 32-bit OXM/NXM header. */
  public int header() {
    return (bytes[0] & 0xff) << 24
        | (bytes[1] & 0xff) << 16
        | (bytes[2] & 0xff) << 8
        | (bytes[3] & 0xff);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawField r && Arrays.equals(bytes, r.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "raw_field(" + HexFormat.of().formatHex(bytes) + ")";
  }
}
