package dev.sluice.controller.cli;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.FlowText;
import dev.sluice.compiler.flow.Group;
import dev.sluice.compiler.flow.MatchField;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.compiler.flow.TableChanges;
import dev.sluice.southbound.channel.BundleFailedException;
import dev.sluice.southbound.channel.ListenAddress;
import dev.sluice.southbound.channel.OpenFlowErrorException;
import dev.sluice.southbound.channel.OpenFlowServer;
import dev.sluice.southbound.channel.SwitchListener;
import dev.sluice.southbound.channel.SwitchSession;
import dev.sluice.southbound.channel.TlsConfig;
import dev.sluice.southbound.tables.TableSync;
import dev.sluice.southbound.tables.TlvMap;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice push}: wait for switches to connect and make each one's tables equal to a flow
 * file, in one atomic bundle per switch.
 */
@Command(
    name = "push",
    description =
        "Wait for switches to connect, then make each switch's flow tables (and groups) equal to"
            + " FILE in one atomic bundle: delete what is not in the file, add what is missing,"
            + " leave the rest untouched. Port names in the file are resolved through each"
            + " switch's ports, as ovs-ofctl does.",
    mixinStandardHelpOptions = true)
final class PushCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:6653",
      description =
          "OpenFlow listen address: HOST:PORT, tcp:HOST:PORT or unix:PATH (default ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--tls-cert",
      description =
          "Listen with TLS (OVS ssl: controllers): the controller's certificate chain (PEM).")
  Path tlsCert;

  @Option(names = "--tls-key", description = "The controller's private key (PKCS#8 PEM).")
  Path tlsKey;

  @Option(
      names = "--tls-ca",
      description = "Require switch certificates signed by this CA (PEM), as ovs-pki makes them.")
  Path tlsCa;

  @Option(names = "--flows", required = true, description = "Flows in ovs-ofctl add-flows syntax.")
  Path flowsFile;

  @Option(names = "--groups", description = "Groups in ovs-ofctl add-groups syntax.")
  Path groupsFile;

  @Option(
      names = "--switches",
      defaultValue = "1",
      description = "How many switches to wait for (default ${DEFAULT-VALUE}).")
  int switches;

  @Option(
      names = "--timeout",
      defaultValue = "30",
      description =
          "Seconds to wait for the switches and their bundles (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** What happened on one switch. */
  record Outcome(
      String switchName,
      int added,
      int deleted,
      int modified,
      int unchanged,
      String groups,
      long millis,
      String error) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String flowText = Files.readString(flowsFile);
    String groupText = groupsFile == null ? "" : Files.readString(groupsFile);
    // Refuse a file with syntax errors before any switch is touched (names are checked per switch).
    List<Flow> offline;
    try {
      offline = FlowText.parseAll(flowText, ANY_PORT_NAME, true);
      parseGroups(groupText, ANY_PORT_NAME);
    } catch (IllegalArgumentException e) {
      err.println("sluice push: " + flowsFile + ": " + e.getMessage());
      return 2;
    }
    boolean needsTlvMap = offline.stream().anyMatch(TlvNeed::uses);

    LinkedBlockingQueue<SwitchSession> connected = new LinkedBlockingQueue<>();
    SwitchListener listener =
        new SwitchListener() {
          @Override
          public void switchConnected(SwitchSession session) {
            connected.add(session);
          }
        };
    ListenAddress address =
        ListenAddress.parse(
            listen.contains(":") && !listen.startsWith("unix:") && !listen.startsWith("tcp:")
                ? "tcp:" + listen
                : listen);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    OpenFlowServer.Builder builder = OpenFlowServer.builder(listener).listen(address);
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        err.println("sluice push: --tls-cert and --tls-key go together");
        return 2;
      }
      builder.tls(new TlsConfig(tlsCert, tlsKey, java.util.Optional.ofNullable(tlsCa)));
    }
    try (OpenFlowServer server = builder.start()) {
      err.printf(
          "listening on %s; waiting for %d switch%s (timeout %d s)%n",
          server.boundAddresses(), switches, switches == 1 ? "" : "es", timeoutSeconds);
      err.flush();
      List<CompletableFuture<Outcome>> work = new ArrayList<>();
      for (int i = 0; i < switches; i++) {
        SwitchSession s = connected.poll(remaining(deadline), TimeUnit.NANOSECONDS);
        if (s == null) {
          err.printf(
              "sluice push: only %d of %d switches connected within %d s%n",
              i, switches, timeoutSeconds);
          awaitAll(work, deadline);
          printTable(out, work);
          return 1;
        }
        err.printf("%s connected (%d ports)%n", s.name(), s.ports().size());
        err.flush();
        work.add(push(s, flowText, groupText, needsTlvMap));
      }
      awaitAll(work, deadline);
      return printTable(out, work) ? 0 : 1;
    }
  }

  private CompletableFuture<Outcome> push(
      SwitchSession session, String flowText, String groupText, boolean needsTlvMap) {
    long start = System.nanoTime();
    String label = label(session);
    PortNames names = TableSync.names(session.ports());
    List<Flow> flows;
    List<Group> groups;
    try {
      flows = FlowText.parseAll(flowText, names, true);
      groups = parseGroups(groupText, names);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new Outcome(label, 0, 0, 0, 0, "-", 0, flowsFile + ": " + e.getMessage()));
    }
    CompletableFuture<Void> tlv =
        needsTlvMap ? TlvMap.ensureAntreaMapping(session) : CompletableFuture.completedFuture(null);
    return tlv.thenCompose(v -> TableSync.read(session))
        .thenCompose(
            installed -> {
              TableChanges plan = installed.changesTo(flows, groups);
              int unchanged =
                  installed.flowEntries().size()
                      - plan.flowDeletes().size()
                      - plan.flowModifies().size();
              return TableSync.apply(session, plan)
                  .thenApply(
                      r ->
                          new Outcome(
                              label,
                              plan.flowAdds().size(),
                              plan.flowDeletes().size(),
                              plan.flowModifies().size(),
                              unchanged,
                              groupSummary(plan),
                              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                              null));
            })
        .exceptionally(
            e ->
                new Outcome(
                    label,
                    0,
                    0,
                    0,
                    0,
                    "-",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    explain(e)));
  }

  /** Group changes as {@code +added -deleted ~modified}, or {@code none}. */
  static String groupSummary(TableChanges plan) {
    int a = plan.groupAdds().size();
    int d = plan.groupDeletes().size();
    int m = plan.groupModifies().size();
    return a + d + m == 0 ? "none" : "+" + a + " -" + d + " ~" + m;
  }

  /**
   * The bridge name (its LOCAL port's name) and datapath id, e.g. {@code br-int 0000fa3d3336a444}.
   */
  static String label(SwitchSession session) {
    String bridge =
        session
            .ports()
            .byNumber(dev.sluice.compiler.flow.OfPort.LOCAL)
            .map(p -> p.name())
            .orElse("?");
    return bridge + " " + String.format("%016x", session.datapathId());
  }

  /** OVS's error (type, code) and the offending flow in text, for a person. */
  static String explain(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof BundleFailedException b && !b.rejected().isEmpty()) {
      StringBuilder sb =
          new StringBuilder("the switch rejected the bundle; its tables are unchanged:");
      for (BundleFailedException.Rejected r : b.rejected()) {
        OpenFlowErrorException e = r.error();
        sb.append("\n    ")
            .append(e.error().typeName())
            .append('/')
            .append(e.error().codeName())
            .append(": ")
            .append(e.context());
      }
      return sb.toString();
    }
    if (t instanceof OpenFlowErrorException e) {
      return e.error().typeName() + "/" + e.error().codeName() + ": " + e.context();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static boolean printTable(PrintWriter out, List<CompletableFuture<Outcome>> work) {
    boolean ok = true;
    out.printf(
        "%-28s %6s %8s %9s %10s %-12s %8s%n",
        "SWITCH", "ADDED", "DELETED", "MODIFIED", "UNCHANGED", "GROUPS", "TIME");
    List<String> errors = new ArrayList<>();
    for (CompletableFuture<Outcome> f : work) {
      Outcome o = f.getNow(null);
      if (o == null) {
        ok = false;
        errors.add("a switch did not finish before the timeout");
        continue;
      }
      if (o.error() != null) {
        ok = false;
        out.printf(
            "%-28s %6s %8s %9s %10s %-12s %6d ms%n",
            o.switchName(), "-", "-", "-", "-", "-", o.millis());
        errors.add(o.switchName() + ": " + o.error());
      } else {
        out.printf(
            "%-28s %6d %8d %9d %10d %-12s %6d ms%n",
            o.switchName(),
            o.added(),
            o.deleted(),
            o.modified(),
            o.unchanged(),
            o.groups(),
            o.millis());
      }
    }
    for (String e : errors) {
      out.println("error: " + e);
    }
    out.flush();
    return ok && !work.isEmpty();
  }

  private static void awaitAll(List<CompletableFuture<Outcome>> work, long deadline)
      throws InterruptedException {
    try {
      CompletableFuture.allOf(work.toArray(new CompletableFuture<?>[0]))
          .get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Each outcome reports its own error; unfinished ones are reported by printTable.
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static List<Group> parseGroups(String text, PortNames names) {
    List<Group> groups = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      try {
        groups.add(FlowText.parseGroup(l, names));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("groups line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return groups;
  }

  /** Accepts any port name as some number, for a syntax check before switches connect. */
  private static final PortNames ANY_PORT_NAME =
      new PortNames() {
        @Override
        public java.util.OptionalLong number(String name) {
          return java.util.OptionalLong.of(0xfff0);
        }

        @Override
        public String name(long number) {
          return null;
        }
      };

  /** Whether a flow reads or writes tun_metadata0 (and so needs the bridge's TLV map). */
  private static final class TlvNeed {
    static boolean uses(Flow f) {
      if (f.match().has(MatchField.TUN_METADATA0)) {
        return true;
      }
      return FlowText.formatActions(f.actions(), PortNames.NONE).contains("TUN_METADATA0");
    }
  }
}
