package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One flow that differs between the switch and the desired state.
 *
 * @param kind {@code missing}, {@code modified} or {@code extraneous}
 * @param reason why it counts as drift, for people
 * @param flow the flow in {@code ovs-ofctl} text (the desired one when missing or modified)
 * @param want for {@code modified}: the desired flow (left out otherwise)
 * @param have for {@code modified}: what the switch holds (left out otherwise)
 * @param table its table
 * @param cookie its cookie, {@code 0x...}
 * @param ours whether the cookie is one of Sluice's
 * @param origins what produced the desired flow (or the cookie's object)
 */
public record FlowDrift(
    String kind,
    String reason,
    String flow,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String want,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String have,
    int table,
    String cookie,
    boolean ours,
    List<FlowOrigin> origins) {
  /** Checks that only a modified flow has sides, and copies the list. */
  public FlowDrift {
    if (!kind.equals("modified") && (want != null || have != null)) {
      throw new IllegalArgumentException("drift: want and have are given only when modified");
    }
    origins = List.copyOf(origins);
  }
}
