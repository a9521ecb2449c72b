/**
 * Keeping a switch's tables equal to a desired set: read what is installed (multipart flow and
 * group stats, decoded with the Nicira codec), compute the difference ({@link
 * dev.sluice.compiler.flow.TableChanges}, the change type shared with the compiler), and send it as
 * one atomic bundle in {@link dev.sluice.compiler.flow.TableChanges#bundle()} order followed by a
 * barrier. An empty difference sends nothing.
 */
@NullMarked
package dev.sluice.southbound.tables;

import org.jspecify.annotations.NullMarked;
