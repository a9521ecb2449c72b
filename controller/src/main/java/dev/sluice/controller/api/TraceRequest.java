package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/trace}.
 *
 * @param node the node whose flows to trace through
 * @param microflow the packet, in {@code ofproto/trace} microflow syntax
 * @param ctNext conntrack state after each {@code ct()} recirculation (missing: {@code trk,new})
 * @param view {@code desired} (missing) or {@code installed}: the flows the switch holds, read now
 */
public record TraceRequest(
    String node,
    String microflow,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> ctNext,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String view) {
  /** Copies the list. */
  public TraceRequest {
    ctNext = ctNext == null ? null : List.copyOf(ctNext);
  }
}
