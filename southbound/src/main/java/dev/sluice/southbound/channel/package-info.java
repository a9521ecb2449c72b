/**
 * The OpenFlow 1.3 session layer: a Netty server that OVS bridges connect to, and per connection a
 * pipeline of small handlers, each with one job, ending in the {@link
 * dev.sluice.southbound.channel.SwitchSession} that callers use.
 *
 * <p>The pipeline of one connection, in order (built by {@link
 * dev.sluice.southbound.channel.OpenFlowServer} and {@link
 * dev.sluice.southbound.channel.SwitchSession#attach}, as ONOS's {@code OFChannelInitializer}
 * composes its channel):
 *
 * <pre>
 *   "tls"                SslHandler, TCP listeners with TLS configured only
 *   "openflow-frames"    wire.OpenFlowFrameDecoder: one ByteBuf per OpenFlow message (length at
 *                        offset 2), or a MalformedFrame (shorter than the header, over the limit)
 *   "openflow-idle"      Netty's IdleStateHandler: READER_IDLE after echoInterval without input
 *   "openflow-echo"      EchoKeepalive: answers ECHO_REQUEST, probes on READER_IDLE, fires
 *                        Disconnect and closes when nothing arrives within echoTimeout of a probe
 *   "openflow-handshake" HandshakeHandler: HELLO (Loxi, version bitmap; HELLO_FAILED if no 1.3)
 *                        → FEATURES → PORT_DESC → SET_CONFIG + BARRIER, its own timeout; fires
 *                        Features, then Established and removes itself (or Disconnect and closes)
 *   "openflow-session"   SwitchSession's handler: ready on Established, closes on Disconnect or a
 *                        MalformedFrame; dispatches replies and errors to Requests (pending xids:
 *                        Reply, Barrier, Unconfirmed, MultipartCollector, BundlePart), port status,
 *                        packet-in and unhandled messages to the SwitchListener
 *
 *   BundleOperation      one ONF bundle: OPEN, ADDs, BARRIER, then COMMIT + BARRIER or DISCARD,
 *                        as its Phase enum; its xids are BundleParts among the Requests
 *   Xids                 one xid space for the handlers that send requests
 * </pre>
 *
 * <p>Handlers talk to the session with {@link dev.sluice.southbound.channel.SessionEvent} user
 * events, so each can be tested alone on an {@code EmbeddedChannel}. Time is the channel's event
 * loop ticker ({@code channel.eventLoop().ticker()}): the idle, dead-peer and handshake timeouts
 * are timers on that loop and request deadlines a task scheduled on it, so tests freeze time and
 * move it with {@code advanceTimeBy}.
 *
 * <p>This layer moves OpenFlow messages as bytes and does not depend on the flow model: callers
 * hand it {@link dev.sluice.southbound.channel.OutgoingMessage}s that encode themselves, and get
 * multipart reply bodies back as bytes. All mutable session state is confined to the channel's
 * event loop; public methods may be called from any thread.
 */
package dev.sluice.southbound.channel;
