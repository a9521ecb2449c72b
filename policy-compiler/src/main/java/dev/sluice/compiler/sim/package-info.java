/**
 * A pipeline simulator in the spirit of Faucet's {@code fakeoftable}: push flows and groups into a
 * {@link dev.sluice.compiler.sim.Simulator}, hand it a {@link dev.sluice.compiler.sim.Microflow}
 * and ask where the packet goes. It walks the tables the way {@code ovs-appctl ofproto/trace} does
 * (priorities, masks, conjunctive matches, resubmit, conntrack recirculation with {@code --ct-next}
 * states) and returns a {@link dev.sluice.compiler.sim.Trace}: every table visited, the flow (and
 * so the cookie) that matched, and the verdict.
 *
 * <p>Pure and deterministic: no clocks, no randomness, no I/O.
 */
@NullMarked
package dev.sluice.compiler.sim;

import org.jspecify.annotations.NullMarked;
