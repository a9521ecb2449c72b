package dev.sluice.controller.runtime;

import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.southbound.tables.Installed;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link SwitchReconciler} and its {@link Auditor} need of one switch: read its tables,
 * apply changes as one atomic bundle, and a few facts for logs and the API. {@link SessionTables}
 * implements it over an OpenFlow session; unit tests implement it over a map.
 */
interface SwitchTables {

  /** {@code switch br-int dpid=0000000000000001}, for logs. */
  String label();

  /** The datapath id as 16 hex digits. */
  String datapathId();

  /** The bridge name (the LOCAL port's name), {@code ?} when unknown. */
  String bridge();

  /** The peer address of the connection. */
  String remoteAddress();

  /** Whether the connection is up. */
  boolean isConnected();

  /** The switch's port names, as {@code ovs-ofctl} prints them. */
  PortNames portNames();

  /**
   * Prepares the switch before the first read of a connection (the Geneve TLV map). Never fails: a
   * failure is logged and the round goes on (the flows that need it are rejected by the switch).
   */
  CompletableFuture<Void> prepare();

  /** Reads every flow and group the switch holds. */
  CompletableFuture<Installed> read();

  /** Completes when the connection can take more output (back-pressure). */
  CompletableFuture<Void> whenWritable();

  /**
   * Sends non-empty changes as one atomic bundle in {@link TableChanges#bundle()} order and
   * completes when the switch committed it. Fails with {@link Rejected} when the switch refused
   * messages of the bundle (nothing was applied), with {@link Disconnected} when the connection
   * closed first, or with another error (timeouts).
   */
  CompletableFuture<Void> apply(TableChanges changes);

  /**
   * The switch refused a bundle; nothing of it was applied.
   *
   * @see TableChanges#bundle() the bundle order that {@link Rejection#index()} counts in
   */
  final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Rejection> rejections;

    Rejected(String message, List<Rejection> rejections, Throwable cause) {
      super(message, cause);
      this.rejections = List.copyOf(rejections);
    }

    /** The refused messages. */
    List<Rejection> rejections() {
      return rejections;
    }
  }

  /**
   * One refused message of a bundle.
   *
   * @param index its position in bundle order ({@link TableChanges#bundle()})
   * @param text the flow or group as the error's context shows it
   * @param error OVS's error type and code, {@code TYPE/CODE}
   */
  record Rejection(int index, String text, String error) {}

  /** The connection closed before the switch answered. */
  final class Disconnected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Disconnected(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
