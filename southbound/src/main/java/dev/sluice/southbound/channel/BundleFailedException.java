package dev.sluice.southbound.channel;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The switch refused a bundle; nothing of it was applied (the bundle was discarded or its atomic
 * commit failed). {@link #rejected()} says which inner messages the switch rejected and why; the
 * first of them is also the {@linkplain #getCause() cause}.
 */
public final class BundleFailedException extends OpenFlowException {
  /**
   * One rejected inner message.
   *
   * @param index position of the message in the list given to {@link SwitchSession#bundle(List)}
   * @param error the switch's error, correlated to that message by the bundle-add xid
   */
  public record Rejected(int index, OpenFlowErrorException error) {}

  private final int bundleId;
  private final transient List<Rejected> rejected;
  private final transient Optional<OpenFlowErrorException> bundleError;

  BundleFailedException(
      String switchName,
      int bundleId,
      List<Rejected> rejected,
      Optional<OpenFlowErrorException> bundleError) {
    super(
        switchName,
        describe(bundleId, rejected, bundleError),
        !rejected.isEmpty() ? rejected.get(0).error() : bundleError.orElse(null));
    this.bundleId = bundleId;
    this.rejected = List.copyOf(rejected);
    this.bundleError = bundleError;
  }

  private static String describe(
      int bundleId, List<Rejected> rejected, Optional<OpenFlowErrorException> bundleError) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("bundle %d failed, nothing applied", bundleId));
    if (!rejected.isEmpty()) {
      s.append(": ")
          .append(
              rejected.stream()
                  .map(
                      r ->
                          String.format(
                              "message #%d (xid 0x%08x) rejected with %s/%s: %s",
                              r.index(),
                              r.error().xid(),
                              r.error().error().typeName(),
                              r.error().error().codeName(),
                              r.error().context()))
                  .collect(Collectors.joining("; ")));
    }
    bundleError.ifPresent(
        e ->
            s.append(
                String.format(
                    "; %s (xid 0x%08x) failed with %s/%s",
                    e.context(), e.xid(), e.error().typeName(), e.error().codeName())));
    return s.toString();
  }

  public int bundleId() {
    return bundleId;
  }

  /** The inner messages the switch rejected, in the order it reported them. */
  public List<Rejected> rejected() {
    return rejected;
  }

  /** The error on the bundle control message itself (open or commit), if there was one. */
  public Optional<OpenFlowErrorException> bundleError() {
    return bundleError;
  }
}
