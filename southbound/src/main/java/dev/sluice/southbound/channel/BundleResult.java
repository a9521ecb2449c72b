package dev.sluice.southbound.channel;

import java.time.Duration;

/**
 * A committed bundle.
 *
 * @param bundleId the bundle id used on the wire
 * @param messages how many inner messages it carried
 * @param elapsed from the first write to the final barrier reply
 */
public record BundleResult(int bundleId, int messages, Duration elapsed) {}
