/**
 * The OpenFlow 1.3 session layer: a Netty server that OVS bridges connect to, one {@link
 * dev.sluice.southbound.channel.SwitchSession} per connection with its handshake state machine,
 * echo keepalive, xid/request correlation, barriers, multipart reassembly, ONF bundles and
 * back-pressure.
 *
 * <p>The pipeline of one connection, in order (built by {@link
 * dev.sluice.southbound.channel.OpenFlowServer} and {@link
 * dev.sluice.southbound.channel.SwitchSession#attach}):
 *
 * <pre>
 *   "tls"              SslHandler, TCP listeners with TLS configured only
 *   "openflow-frames"  wire.OpenFlowFrameDecoder: one ByteBuf per OpenFlow message
 *                      (length at offset 2), or a MalformedFrame that closes the connection
 *   "openflow-session" SwitchSession's handler: the handshake (SwitchSession.State, one enum
 *                      constant per awaited reply), echo keepalive, timers, xids and pending
 *                      requests (Reply, Barrier, Unconfirmed, MultipartCollector, BundlePart)
 *
 *   BundleOperation    one ONF bundle: OPEN, ADDs, BARRIER, then COMMIT + BARRIER or DISCARD,
 *                      as its Phase enum; its xids are BundleParts in the session's pending map
 * </pre>
 *
 * <p>Time is the channel's event loop ticker ({@code channel.eventLoop().ticker()}) and the timer
 * check is a task scheduled on that loop, so tests on an {@code EmbeddedChannel} freeze time and
 * move it with {@code advanceTimeBy}.
 *
 * <p>This layer moves OpenFlow messages as bytes and does not depend on the flow model: callers
 * hand it {@link dev.sluice.southbound.channel.OutgoingMessage}s that encode themselves, and get
 * multipart reply bodies back as bytes. All mutable session state is confined to the channel's
 * event loop; public methods may be called from any thread.
 */
package dev.sluice.southbound.channel;
