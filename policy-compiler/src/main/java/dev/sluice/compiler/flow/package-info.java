/**
 * The flow model: immutable OpenFlow 1.3 flows and groups with the Nicira extensions the Antrea
 * pipeline uses, and their canonical {@code ovs-ofctl} text.
 *
 * <p>The model is numeric: OpenFlow ports are numbers. Port <em>names</em> exist only in text and
 * are translated by a {@link dev.sluice.compiler.flow.PortNames} at parse and print time, the way
 * {@code ovs-ofctl} resolves them through the switch's port description.
 *
 * <p>{@link dev.sluice.compiler.flow.FlowText} prints what {@code ovs-ofctl -O OpenFlow13
 * dump-flows --no-stats} prints and parses both that and the {@code add-flows} syntax, so golden
 * files can be compared as sets of parsed flows.
 */
@NullMarked
package dev.sluice.compiler.flow;

import org.jspecify.annotations.NullMarked;
