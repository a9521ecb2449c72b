package dev.sluice.controller.runtime;

import dev.sluice.compiler.flow.OfPort;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.southbound.channel.BundleFailedException;
import dev.sluice.southbound.channel.SwitchDisconnectedException;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.southbound.tables.Installed;
import dev.sluice.southbound.tables.TableSync;
import dev.sluice.southbound.tables.TlvMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SwitchTables} over an OpenFlow session: {@link TableSync} reads and bundles. */
final class SessionTables implements SwitchTables {
  private static final Logger log = LoggerFactory.getLogger(SessionTables.class);

  private final SwitchSession session;

  SessionTables(SwitchSession session) {
    this.session = session;
  }

  /** {@code switch br-int dpid=0000000000000001}. */
  static String label(SwitchSession s) {
    return "switch " + bridge(s) + " dpid=" + s.datapathIdString();
  }

  private static String bridge(SwitchSession s) {
    return s.ports().byNumber(OfPort.LOCAL).map(p -> p.name()).orElse("?");
  }

  SwitchSession session() {
    return session;
  }

  @Override
  public String label() {
    return label(session);
  }

  @Override
  public String datapathId() {
    return session.datapathIdString();
  }

  @Override
  public String bridge() {
    return bridge(session);
  }

  @Override
  public String remoteAddress() {
    return session.remoteAddress();
  }

  @Override
  public boolean isConnected() {
    return session.isConnected();
  }

  @Override
  public PortNames portNames() {
    return TableSync.names(session.ports());
  }

  @Override
  public CompletableFuture<Void> prepare() {
    return TlvMap.ensureAntreaMapping(session)
        .exceptionally(
            e -> {
              log.error("{}: Geneve TLV map: {}", label(), TableSync.describe(e));
              return null;
            });
  }

  @Override
  public CompletableFuture<Installed> read() {
    return TableSync.read(session)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(map(e)));
  }

  @Override
  public CompletableFuture<Void> whenWritable() {
    return session.whenWritable();
  }

  @Override
  public CompletableFuture<Void> apply(TableChanges changes) {
    return TableSync.apply(session, changes)
        .<Void>thenApply(r -> null)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(map(e)));
  }

  /** Translates the southbound's failures into the ones {@link SwitchTables} names. */
  private static Throwable map(Throwable error) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof BundleFailedException b) {
      List<Rejection> rs =
          b.rejected().stream()
              .map(
                  r ->
                      new Rejection(
                          r.index(),
                          String.valueOf(r.error().context()),
                          r.error().error().typeName() + "/" + r.error().error().codeName()))
              .toList();
      return new Rejected(TableSync.describe(b), rs, b);
    }
    if (e instanceof SwitchDisconnectedException d) {
      return new Disconnected(d.getMessage() == null ? d.toString() : d.getMessage(), d);
    }
    return e;
  }
}
