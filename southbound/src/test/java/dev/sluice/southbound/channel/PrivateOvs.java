package dev.sluice.southbound.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Open vSwitch (ovsdb-server + ovs-vswitchd with the dummy datapath, no kernel devices)
 * in its own run directory, with one bridge {@code br-int}; DESIGN.md §7. Stopped by the pids in
 * its own pid files only.
 *
 * <p>Stand-in until the shared {@code dev.sluice.testkit.ovs.OvsNode} harness is available.
 */
final class PrivateOvs implements AutoCloseable {
  final Path dir;
  final long datapathId;

  private PrivateOvs(Path dir, long datapathId) {
    this.dir = dir;
    this.datapathId = datapathId;
  }

  static PrivateOvs start(String name, long datapathId) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("sluice-ovs-" + name + "-");
    PrivateOvs ovs = new PrivateOvs(dir, datapathId);
    try {
      ovs.run("ovsdb-tool", "create", dir + "/conf.db", "/usr/share/openvswitch/vswitch.ovsschema");
      ovs.run(
          sbin("ovsdb-server"),
          "--remote=punix:" + dir + "/db.sock",
          "--pidfile=" + dir + "/ovsdb-server.pid",
          "--detach",
          "--log-file=" + dir + "/ovsdb-server.log",
          dir + "/conf.db");
      ovs.vsctl("--no-wait", "init");
      ovs.run(
          sbin("ovs-vswitchd"),
          "unix:" + dir + "/db.sock",
          "--pidfile=" + dir + "/ovs-vswitchd.pid",
          "--detach",
          "--log-file=" + dir + "/ovs-vswitchd.log",
          "--enable-dummy=override");
      ovs.vsctl(
          "add-br",
          "br-int",
          "--",
          "set",
          "bridge",
          "br-int",
          "datapath_type=netdev",
          "protocols=OpenFlow13",
          "fail_mode=secure",
          String.format("other-config:datapath-id=%016x", datapathId));
      ovs.vsctl(
          "add-port",
          "br-int",
          "antrea-gw0",
          "--",
          "set",
          "interface",
          "antrea-gw0",
          "type=internal",
          "ofport_request=2");
      ovs.vsctl(
          "add-port",
          "br-int",
          "frontend-a3ba2f",
          "--",
          "set",
          "interface",
          "frontend-a3ba2f",
          "type=dummy",
          "ofport_request=6");
      return ovs;
    } catch (IOException | RuntimeException e) {
      ovs.close();
      throw e;
    }
  }

  private static String sbin(String name) {
    for (String d : List.of("/usr/sbin/", "/usr/bin/", "/usr/local/sbin/")) {
      if (Files.isExecutable(Path.of(d + name))) {
        return d + name;
      }
    }
    return name;
  }

  String vsctl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir + "/db.sock"));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(String[]::new));
  }

  String ofctl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(String[]::new));
  }

  /** {@code dump-flows --no-stats br-int}, one line per flow, header dropped. */
  List<String> flows() throws IOException, InterruptedException {
    return ofctl("dump-flows", "--no-stats", "br-int")
        .lines()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("OFPST_FLOW"))
        .toList();
  }

  String log() throws IOException {
    Path p = dir.resolve("ovs-vswitchd.log");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  String run(String... cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("OVS_RUNDIR", dir.toString());
    env.put("OVS_DBDIR", dir.toString());
    env.put("OVS_LOGDIR", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0) {
      throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + out);
    }
    return out;
  }

  @Override
  public void close() {
    for (String daemon : List.of("ovs-vswitchd", "ovsdb-server")) {
      Path pidFile = dir.resolve(daemon + ".pid");
      try {
        if (Files.exists(pidFile)) {
          long pid = Long.parseLong(Files.readString(pidFile).trim());
          ProcessHandle.of(pid)
              .ifPresent(
                  h -> {
                    h.destroy();
                    h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
                  });
        }
      } catch (IOException | NumberFormatException e) {
        System.err.println("cannot stop " + daemon + " in " + dir + ": " + e);
      }
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot remove " + dir + ": " + e);
    }
  }
}
