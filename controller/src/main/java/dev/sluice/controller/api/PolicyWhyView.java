package dev.sluice.controller.api;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether a new connection from one pod to another is allowed, and why ({@code GET
 * /api/v1/policy/why?from=NS/POD&to=NS/POD&port=80/TCP}).
 *
 * @param from the source pod, {@code namespace/name}
 * @param to the destination pod
 * @param port the destination port
 * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}
 * @param allowed whether the packet is delivered
 * @param egressIsolatedBy the NetworkPolicies isolating the source for egress
 * @param ingressIsolatedBy the NetworkPolicies isolating the destination for ingress
 * @param egressRule the egress rule that allows it (null: none, or not isolated)
 * @param ingressRule the ingress rule that allows it
 * @param summary the explanation, line by line
 * @param end where the walk ended ({@code delivered}, {@code dropped}, ...)
 * @param walk the packet's trace on each node it crossed
 */
public record PolicyWhyView(
    String from,
    String to,
    int port,
    String protocol,
    boolean allowed,
    List<String> egressIsolatedBy,
    List<String> ingressIsolatedBy,
    @Nullable String egressRule,
    @Nullable String ingressRule,
    List<String> summary,
    String end,
    List<TraceView> walk) {
  /** Copies the lists. */
  public PolicyWhyView {
    egressIsolatedBy = List.copyOf(egressIsolatedBy);
    ingressIsolatedBy = List.copyOf(ingressIsolatedBy);
    summary = List.copyOf(summary);
    walk = List.copyOf(walk);
  }
}
