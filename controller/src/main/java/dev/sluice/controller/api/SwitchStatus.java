package dev.sluice.controller.api;

import org.jspecify.annotations.Nullable;

/**
 * The reconciler of a matched switch, as {@code GET /api/v1/switches} shows it.
 *
 * @param node the node
 * @param datapathId the switch's datapath id, 16 hex digits
 * @param bridge the bridge name
 * @param remoteAddress where the switch connected from
 * @param phase the reconciler's phase ({@code IDLE}, {@code SYNCING}, ...)
 * @param flowsDesired flows the node should hold
 * @param flowsInstalled flows the switch holds (as last read or committed)
 * @param desiredSeq the state version of the desired flows (-1: none yet)
 * @param installedSeq the state version the switch holds
 * @param rounds rounds run since the controller started
 * @param flowMods flow-mods sent since start
 * @param rejectedFlows flows the switch rejected and are kept out of the desired set
 * @param lastError the last failure, if any
 * @param lastRoundAt when the last round ended (ISO-8601), if any
 * @param lastRoundMillis how long it took
 */
public record SwitchStatus(
    String node,
    String datapathId,
    String bridge,
    String remoteAddress,
    String phase,
    int flowsDesired,
    int flowsInstalled,
    long desiredSeq,
    long installedSeq,
    long rounds,
    long flowMods,
    long rejectedFlows,
    @Nullable String lastError,
    @Nullable String lastRoundAt,
    long lastRoundMillis) {}
