/**
 * The OpenFlow 1.3 session layer: a Netty server that OVS bridges connect to, one {@link
 * dev.sluice.southbound.channel.SwitchSession} per connection with its handshake state machine,
 * echo keepalive, xid/request correlation, barriers, multipart reassembly, ONF bundles and
 * back-pressure.
 *
 * <p>This layer moves OpenFlow messages as bytes and does not depend on the flow model: callers
 * hand it {@link dev.sluice.southbound.channel.OutgoingMessage}s that encode themselves, and get
 * multipart reply bodies back as bytes. All mutable session state is confined to the channel's
 * event loop; public methods may be called from any thread.
 */
package dev.sluice.southbound.channel;
