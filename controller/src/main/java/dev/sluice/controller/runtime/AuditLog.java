package dev.sluice.controller.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TriggeringPolicyBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one JSON object per line for every change Sluice makes to a switch and every drift
 * the auditor finds, written through logback's {@link RollingFileAppender} and handed to a
 * publisher (the {@code sluice.audit} Kafka topic, keyed by node).
 *
 * <p>Each instance configures its own logger ({@code dev.sluice.audit.N}, not additive, so audit
 * lines never reach the console) with one appender: the pattern {@code %msg%n}, a {@link
 * FixedWindowRollingPolicy} over {@code FILE.1} ... {@code FILE.K}, and a triggering policy that
 * rolls when the next line would take the file past {@code maxBytes} (logback's own size policy
 * rolls only once a file is already past its limit, and checks at most once a second). A record is
 * never split across files. Write failures are reported by logback's status manager and never stop
 * a reconciler. Thread-safe.
 */
final class AuditLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Path file;
  private final BiConsumer<String, String> publisher;
  private final ObjectMapper json = new ObjectMapper();
  private final ch.qos.logback.classic.Logger out;
  private final RollingFileAppender<ILoggingEvent> appender;
  private final AtomicLong written = new AtomicLong();

  /**
   * @param keep rotated files kept ({@code FILE.1} ... {@code FILE.keep}), at least 1
   * @param publisher receives (node, JSON line) for every record, e.g. a Kafka send
   */
  AuditLog(Path file, long maxBytes, int keep, BiConsumer<String, String> publisher) {
    if (keep < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("audit log: keep " + keep + ", max bytes " + maxBytes);
    }
    this.file = file;
    this.publisher = publisher;
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    String path = file.toAbsolutePath().toString();

    appender = new RollingFileAppender<>();
    appender.setContext(ctx);
    appender.setName("sluice-audit-" + INSTANCES.incrementAndGet());
    appender.setFile(path);
    appender.setAppend(true);

    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(ctx);
    rolling.setParent(appender);
    rolling.setFileNamePattern(path.replace("%", "\\%") + ".%i");
    rolling.setMinIndex(1);
    rolling.setMaxIndex(keep);
    rolling.start();

    NextLineTrigger trigger = new NextLineTrigger(maxBytes);
    trigger.setContext(ctx);
    trigger.start();

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%msg%n");
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();

    appender.setRollingPolicy(rolling);
    appender.setTriggeringPolicy(trigger);
    appender.setEncoder(encoder);
    appender.start();

    out = ctx.getLogger("dev.sluice.audit." + appender.getName());
    out.setAdditive(false);
    out.setLevel(Level.INFO);
    out.addAppender(appender);
  }

  /** Rolls when the next line would not fit; never before the first line of a file. */
  private static final class NextLineTrigger extends TriggeringPolicyBase<ILoggingEvent> {
    private final long maxBytes;

    NextLineTrigger(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public boolean isTriggeringEvent(File activeFile, ILoggingEvent event) {
      long size = activeFile.length();
      long line = event.getFormattedMessage().getBytes(StandardCharsets.UTF_8).length + 1L;
      return size > 0 && size + line > maxBytes;
    }
  }

  /** The current file. */
  Path file() {
    return file;
  }

  /** Records written since start. */
  long written() {
    return written.get();
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
    out.info("{}", line);
    written.incrementAndGet();
    try {
      publisher.accept(node, line);
    } catch (RuntimeException e) {
      log.debug("audit record for {} not published: {}", node, e.toString());
    }
  }

  @Override
  public void close() {
    out.detachAppender(appender);
    appender.stop();
  }
}
