package dev.sluice.southbound.channel;

/**
 * The switch answered a request with {@code OFPT_ERROR}: names the switch, the xid, the error type
 * and code, and the context of the message that caused it.
 */
public final class OpenFlowErrorException extends OpenFlowException {
  private final int xid;
  private final OpenFlowError error;
  private final transient Object context;

  public OpenFlowErrorException(String switchName, int xid, OpenFlowError error, Object context) {
    super(
        switchName,
        String.format(
            "xid 0x%08x rejected with %s/%s (type %d, code %d): %s",
            xid, error.typeName(), error.codeName(), error.type(), error.code(), context),
        null);
    this.xid = xid;
    this.error = error;
    this.context = context;
  }

  public int xid() {
    return xid;
  }

  public OpenFlowError error() {
    return error;
  }

  public int type() {
    return error.type();
  }

  public int code() {
    return error.code();
  }

  /** The failed message's {@link OutgoingMessage#context()}. */
  public Object context() {
    return context;
  }

  /** The error's data field: normally the start of the message that failed. */
  public byte[] data() {
    return error.data();
  }
}
