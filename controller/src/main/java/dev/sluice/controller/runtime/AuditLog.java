package dev.sluice.controller.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one JSON object per line for every change Sluice makes to a switch and every drift
 * the auditor finds, written to a size-rotated file and handed to a publisher (the {@code
 * sluice.audit} Kafka topic, keyed by node).
 *
 * <p>Rotation: when a line would take the file past {@code maxBytes}, {@code FILE.K-1} becomes
 * {@code FILE.K} (the oldest is dropped), ..., {@code FILE} becomes {@code FILE.1}, and a new
 * {@code FILE} is started. A record is never split across files. Failing to write the file is
 * logged once per failure and never stops a reconciler. Thread-safe.
 */
final class AuditLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final Path file;
  private final long maxBytes;
  private final int keep;
  private final BiConsumer<String, String> publisher;
  private final ObjectMapper json = new ObjectMapper();

  // Guarded by this.
  private @Nullable OutputStream out;
  private long size;
  private long written;

  /**
   * @param publisher receives (node, JSON line) for every record, e.g. a Kafka send
   */
  AuditLog(Path file, long maxBytes, int keep, BiConsumer<String, String> publisher) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    this.publisher = publisher;
  }

  /** The current file. */
  Path file() {
    return file;
  }

  /** Records written since start. */
  synchronized long written() {
    return written;
  }

  /** Writes one record (a JSON object) about {@code node}. */
  void record(String node, Map<String, Object> record) {
    String line;
    try {
      line = json.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      log.error("audit record for {} not serializable: {}", node, e.toString());
      return;
    }
    write(line);
    try {
      publisher.accept(node, line);
    } catch (RuntimeException e) {
      log.debug("audit record for {} not published: {}", node, e.toString());
    }
  }

  private synchronized void write(String line) {
    byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      if (out == null) {
        open();
      }
      if (size > 0 && size + b.length > maxBytes) {
        rotate();
      }
      OutputStream o = out;
      if (o != null) {
        o.write(b);
        o.flush();
        size += b.length;
        written++;
      }
    } catch (IOException e) {
      log.error("audit log {}: {}", file, e.toString());
      closeQuietly();
    }
  }

  private void open() throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    out =
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    closeQuietly();
    Files.deleteIfExists(rotated(keep));
    for (int i = keep - 1; i >= 1; i--) {
      Path from = rotated(i);
      if (Files.exists(from)) {
        Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  /** {@code FILE.n}. */
  Path rotated(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  private void closeQuietly() {
    OutputStream o = out;
    out = null;
    if (o != null) {
      try {
        o.close();
      } catch (IOException e) {
        log.debug("closing {}: {}", file, e.toString());
      }
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
