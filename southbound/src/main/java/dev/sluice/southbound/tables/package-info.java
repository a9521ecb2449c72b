/**
 * Keeping a switch's tables equal to a desired set: read what is installed (multipart flow and
 * group stats, decoded with the Nicira codec), compute the difference, and send it as one atomic,
 * ordered bundle followed by a barrier. An empty difference sends nothing.
 */
@NullMarked
package dev.sluice.southbound.tables;

import org.jspecify.annotations.NullMarked;
