/**
 * OpenFlow 1.3 wire codec for the flow model: {@code ofp_match} (OXM plus the Nicira NXM classes
 * 0x0000/0x0001 as Open vSwitch uses them under OpenFlow 1.3), instructions and actions (standard
 * plus Nicira experimenter 0x00002320 actions), FLOW_MOD, GROUP_MOD, flow-stats and group-desc
 * multipart messages and PACKET_IN.
 *
 * <p>Encoders are stateless: they compute a message's exact length first, refuse one that would
 * exceed 65,535 bytes with an {@link java.lang.IllegalArgumentException} naming the flow, and then
 * write at the buffer's writer index. Decoders take one whole message (or one multipart body) and
 * return values; anything the model cannot express is kept as raw bytes ({@link
 * dev.sluice.compiler.flow.Action.Unknown}, {@link dev.sluice.southbound.codec.RawField}, {@link
 * dev.sluice.southbound.codec.RawInstruction}), and malformed input is a {@link
 * dev.sluice.southbound.codec.CodecException} naming the offset and what was expected.
 *
 * <p>Wire layouts follow Open vSwitch 3.1 ({@code lib/nx-match.c}, {@code lib/ofp-actions.c},
 * {@code include/openvswitch/meta-flow.h}); the golden tests compare with what a real {@code
 * ovs-ofctl} sent.
 */
@NullMarked
package dev.sluice.southbound.codec;

import org.jspecify.annotations.NullMarked;
