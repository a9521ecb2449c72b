package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * What produced a flow: the category of its cookie, the object and, for a policy flow, the rule and
 * the flow's clause.
 *
 * @param category the cookie category in lower case ({@code pod}, {@code policy}, ...)
 * @param kind {@code Pod}, {@code NetworkPolicy}, {@code Service}, {@code Node}, {@code Pipeline}
 * @param namespace the object's namespace, empty for cluster-scoped objects and the pipeline
 * @param name the object's name ({@code br-int} for the pipeline)
 * @param rule the NetworkPolicy rule (left out for other flows)
 * @param clause the flow's clause of the rule (left out when it is not a clause flow)
 * @param text all of it in one line, for people
 */
public record FlowOrigin(
    String category,
    String kind,
    String namespace,
    String name,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable OriginRule rule,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String clause,
    String text) {}
