package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One group that differs between the switch and the desired state.
 *
 * @param kind {@code missing}, {@code modified} or {@code extraneous}
 * @param groupId the group id
 * @param want the desired group in {@code ovs-ofctl} text (left out when extraneous)
 * @param have the switch's group (left out when missing)
 */
public record GroupDriftEntry(
    String kind,
    long groupId,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String want,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String have) {}
