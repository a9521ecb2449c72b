package dev.sluice.southbound.channel;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenFlow listener switches connect to: TCP (optionally TLS) and/or unix domain sockets, many
 * switches at once, one {@link SwitchSession} per connection. Uses epoll where available (Linux),
 * NIO otherwise.
 *
 * <pre>{@code
 * try (OpenFlowServer server = OpenFlowServer.builder(listener)
 *     .listen(ListenAddress.tcp("0.0.0.0", 6653))
 *     .listen(ListenAddress.unix(Path.of("/run/sluice/of.sock")))
 *     .start()) { ... }
 * }</pre>
 */
public final class OpenFlowServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenFlowServer.class);

  private final List<ListenAddress> addresses;
  private final Optional<SslContext> tls;
  private final SessionConfig config;
  private final SwitchListener listener;
  private final boolean epoll;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final List<Channel> serverChannels = new ArrayList<>();
  private final Set<SwitchSession> sessions = ConcurrentHashMap.newKeySet();

  private OpenFlowServer(Builder b) {
    this.addresses =
        List.copyOf(b.addresses.isEmpty() ? List.of(ListenAddress.defaultTcp()) : b.addresses);
    this.tls = b.tls.map(TlsConfig::toSslContext);
    this.config = b.config;
    this.listener = b.listener;
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.bossGroup = new MultiThreadIoEventLoopGroup(1, io);
    this.workerGroup = new MultiThreadIoEventLoopGroup(b.workerThreads, io);
  }

  public static Builder builder(SwitchListener listener) {
    return new Builder(listener);
  }

  /** Configures an {@link OpenFlowServer}. */
  public static final class Builder {
    private final SwitchListener listener;
    private final List<ListenAddress> addresses = new ArrayList<>();
    private Optional<TlsConfig> tls = Optional.empty();
    private SessionConfig config = SessionConfig.defaults();
    private int workerThreads = 0;

    private Builder(SwitchListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Adds a listen address; without any, the server listens on {@code 0.0.0.0:6653}. */
    public Builder listen(ListenAddress address) {
      addresses.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /** TLS on the TCP listeners (unix sockets stay plain, as OVS's {@code unix:} is). */
    public Builder tls(TlsConfig tls) {
      this.tls = Optional.of(tls);
      return this;
    }

    public Builder sessionConfig(SessionConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Event-loop threads for switch connections (0 = Netty's default, 2 × cores). */
    public Builder workerThreads(int n) {
      this.workerThreads = n;
      return this;
    }

    /** Binds every address; on failure nothing stays bound. */
    public OpenFlowServer start() throws InterruptedException {
      OpenFlowServer server = new OpenFlowServer(this);
      try {
        server.bindAll();
      } catch (RuntimeException | InterruptedException e) {
        server.close();
        throw e;
      }
      return server;
    }
  }

  private void bindAll() throws InterruptedException {
    for (ListenAddress address : addresses) {
      Channel ch = bootstrap(address).bind(socketAddress(address)).sync().channel();
      serverChannels.add(ch);
      log.info("OpenFlow server listening on {} ({})", ch.localAddress(), address);
    }
  }

  private ServerBootstrap bootstrap(ListenAddress address) {
    boolean tcp = address instanceof ListenAddress.Tcp;
    Class<? extends ServerChannel> channelClass;
    if (tcp) {
      channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    } else {
      channelClass =
          epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }
    ServerBootstrap b =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(channelClass)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()))
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (tcp && tls.isPresent()) {
                      ch.pipeline().addLast("tls", tls.get().newHandler(ch.alloc()));
                    }
                    SwitchSession session = SwitchSession.attach(ch, config, listener);
                    sessions.add(session);
                    ch.closeFuture().addListener(f -> sessions.remove(session));
                  }
                });
    if (tcp) {
      b.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
    }
    return b;
  }

  private SocketAddress socketAddress(ListenAddress address) {
    if (address instanceof ListenAddress.Tcp t) {
      return new InetSocketAddress(t.host(), t.port());
    }
    ListenAddress.Unix u = (ListenAddress.Unix) address;
    try {
      // A socket file left by an earlier run would make bind fail; never delete anything else.
      if (Files.exists(u.path())
          && !Files.isRegularFile(u.path())
          && !Files.isDirectory(u.path())) {
        Files.delete(u.path());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove stale socket " + u.path(), e);
    }
    return epoll
        ? new DomainSocketAddress(u.path().toFile())
        : UnixDomainSocketAddress.of(u.path());
  }

  /** The bound addresses, in the order given (resolves TCP port 0). */
  public List<SocketAddress> boundAddresses() {
    return serverChannels.stream().map(Channel::localAddress).toList();
  }

  /** The TCP port of the first TCP listener. */
  public int tcpPort() {
    return serverChannels.stream()
        .map(Channel::localAddress)
        .filter(InetSocketAddress.class::isInstance)
        .map(a -> ((InetSocketAddress) a).getPort())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no TCP listener"));
  }

  /** Live sessions (handshaking or ready). */
  public Collection<SwitchSession> sessions() {
    return List.copyOf(sessions);
  }

  /** Stops listening, closes every switch connection and the event loops. */
  @Override
  public void close() {
    serverChannels.forEach(Channel::close);
    sessions.forEach(s -> s.disconnect("controller shutting down"));
    bossGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    workerGroup
        .shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
        .syncUninterruptibly();
    for (ListenAddress a : addresses) {
      if (a instanceof ListenAddress.Unix u) {
        try {
          Files.deleteIfExists(u.path());
        } catch (IOException e) {
          log.warn("cannot remove socket {}: {}", u.path(), e.toString());
        }
      }
    }
  }
}
