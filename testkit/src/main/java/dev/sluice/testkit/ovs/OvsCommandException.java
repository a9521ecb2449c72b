package dev.sluice.testkit.ovs;

import java.util.List;

/**
 * An Open vSwitch command or daemon failed. The message carries the command line, its exit code,
 * stdout and stderr, and the tail of the node's {@code ovs-vswitchd.log}, so a failing test
 * explains itself without anyone having to find the (deleted) temporary directory.
 */
public final class OvsCommandException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> command;
  private final int exitCode;
  private final String stdout;
  private final String stderr;

  OvsCommandException(
      String message,
      List<String> command,
      int exitCode,
      String stdout,
      String stderr,
      String logTail) {
    super(format(message, command, exitCode, stdout, stderr, logTail));
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  OvsCommandException(String message, String logTail, Throwable cause) {
    super(message + logTailSection(logTail), cause);
    this.command = List.of();
    this.exitCode = -1;
    this.stdout = "";
    this.stderr = "";
  }

  /** The command line that failed (empty when the failure was not a single command). */
  public List<String> command() {
    return command;
  }

  /** Exit code of the command, or -1 when it did not exit (timeout) or there was no command. */
  public int exitCode() {
    return exitCode;
  }

  /** What the command wrote to stdout. */
  public String stdout() {
    return stdout;
  }

  /** What the command wrote to stderr: usually the reason (e.g. ovs-ofctl's parse error). */
  public String stderr() {
    return stderr;
  }

  private static String format(
      String message,
      List<String> command,
      int exitCode,
      String stdout,
      String stderr,
      String logTail) {
    StringBuilder sb = new StringBuilder(message);
    sb.append("\n  command: ").append(String.join(" ", command));
    sb.append("\n  exit code: ").append(exitCode);
    if (!stderr.isBlank()) {
      sb.append("\n  stderr:\n").append(indent(stderr));
    }
    if (!stdout.isBlank()) {
      sb.append("\n  stdout:\n").append(indent(stdout));
    }
    sb.append(logTailSection(logTail));
    return sb.toString();
  }

  private static String logTailSection(String logTail) {
    return logTail.isBlank() ? "" : "\n  tail of ovs-vswitchd.log:\n" + indent(logTail);
  }

  private static String indent(String text) {
    return text.strip().lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
