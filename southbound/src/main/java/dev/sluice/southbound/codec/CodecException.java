package dev.sluice.southbound.codec;

/**
 * Malformed OpenFlow input: what was expected and at which byte offset of the decoded message (or
 * multipart body). The only exception a decoder in this package throws.
 */
public final class CodecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int offset;
  private final String expected;

  public CodecException(int offset, String expected) {
    super("offset " + offset + ": expected " + expected);
    this.offset = offset;
    this.expected = expected;
  }

  /** Byte offset, from the start of the decoded buffer, where decoding failed. */
  public int offset() {
    return offset;
  }

  /** What the decoder expected to find there. */
  public String expected() {
    return expected;
  }
}
