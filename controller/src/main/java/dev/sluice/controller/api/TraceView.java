package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A packet traced through a node's flows ({@code POST /api/v1/trace}, and each hop of a {@code
 * policy why} walk).
 *
 * @param node the node
 * @param view {@code desired} or {@code installed} (left out in a {@code policy why} walk, which
 *     runs on the desired flows)
 * @param microflow the packet as parsed
 * @param steps every table it went through, with provenance
 * @param tables the tables in order
 * @param outputPorts the OpenFlow ports it left by
 * @param outputs the same ports by name
 * @param verdict the verdict, for people
 * @param kind the kind of verdict ({@code output}, {@code drop}, ...)
 * @param text the whole trace, each step followed by its provenance
 */
public record TraceView(
    String node,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String view,
    String microflow,
    List<TraceStep> steps,
    List<Integer> tables,
    List<Long> outputPorts,
    List<String> outputs,
    String verdict,
    String kind,
    String text) {
  /** Copies the lists. */
  public TraceView {
    steps = List.copyOf(steps);
    tables = List.copyOf(tables);
    outputPorts = List.copyOf(outputPorts);
    outputs = List.copyOf(outputs);
  }
}
