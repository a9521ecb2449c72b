package dev.sluice.testkit.ovs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private Open vSwitch instance ({@code ovsdb-server} + {@code ovs-vswitchd}) in a fresh
 * temporary directory, for integration tests.
 *
 * <pre>{@code
 * try (OvsNode node = OvsNode.start()) {
 *   node.createAntreaBridge("br-int");
 *   node.addFlows("br-int", "table=0,priority=0 actions=drop\n");
 *   TraceResult t = node.ofprotoTrace("br-int", "in_port=antrea-gw0,tcp,nw_ttl=64", "trk,new");
 * }
 * }</pre>
 *
 * <p>Every command runs with {@code OVS_RUNDIR}, {@code OVS_DBDIR}, {@code OVS_LOGDIR} (and {@code
 * OVS_PKGDATADIR}) set to the node's directory, so nodes never see each other or a system-wide OVS.
 * {@code ovs-ofctl} always speaks OpenFlow 1.3 to the bridge's passive management socket {@code
 * <dir>/<bridge>.mgmt}, so no controller has to be configured to install or dump flows.
 *
 * <p>Facts worth knowing (see docs/design.md §7): {@code set-controller} on a bridge that had none,
 * {@code del-controller}, any change of the controller list and a change of fail mode wipe the
 * bridge's flows, so configure the controller before installing flows; restarting {@code
 * ovs-vswitchd} loses all flows, groups and the Geneve TLV map (ports and their numbers survive,
 * they live in the database).
 *
 * <p>Daemons are stopped by the pid in their pid file, never by name. If Open vSwitch is not
 * installed, {@link #start()} throws: integration tests fail, they are never skipped.
 */
public final class OvsNode implements AutoCloseable {

  /** How {@code ovs-vswitchd} gets its ports. */
  public enum Datapath {
    /**
     * {@code --enable-dummy=override}: every port is a dummy device inside ovs-vswitchd, nothing is
     * created in the kernel, several nodes (each with its own {@code antrea-gw0}) run side by side
     * in one network namespace. For flow-level tests and {@code ofproto/trace}.
     */
    DUMMY,
    /**
     * The plain userspace datapath: internal ports are tap devices, other ports are real network
     * devices (veths). Needs root, and only one such node fits in a network namespace (use {@link
     * Options#withNetns}).
     */
    NETDEV
  }

  /** The Geneve option mapping Antrea's table 0 needs for {@code move:NXM_NX_TUN_METADATA0[..]}. */
  public static final String ANTREA_TLV_MAP = "{class=0xffff,type=0,len=4}->tun_metadata0";

  public static final String TUNNEL_PORT = "antrea-tun0";
  public static final int TUNNEL_OFPORT = 1;
  public static final String GATEWAY_PORT = "antrea-gw0";
  public static final int GATEWAY_OFPORT = 2;

  private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
  private static final String INSTALL_HINT =
      "Integration tests need a real Open vSwitch (they are never skipped). Install it with"
          + " `.ci/run` (as root, from the repository root) or `apt-get install -y"
          + " openvswitch-switch`.";
  private static final long COMMAND_TIMEOUT_SECONDS = 60;
  private static final int LOG_TAIL_LINES = 40;

  /**
   * How to start a node.
   *
   * @param datapath {@link Datapath#DUMMY} (default) or {@link Datapath#NETDEV}
   * @param netns network namespace (must exist) to run the daemons in, or empty for the current one
   * @param baseDir where the node's temporary directory is created; keep it short, unix socket
   *     paths are limited to 107 bytes
   * @param binDirs where to look for the OVS programs
   * @param keepDir keep the directory (database, logs) after {@link #close()}
   */
  public record Options(
      Datapath datapath,
      Optional<String> netns,
      Path baseDir,
      List<Path> binDirs,
      boolean keepDir) {

    public Options {
      Objects.requireNonNull(datapath, "datapath");
      Objects.requireNonNull(netns, "netns");
      Objects.requireNonNull(baseDir, "baseDir");
      binDirs = List.copyOf(binDirs);
    }

    /**
     * Dummy datapath, current namespace, {@code /tmp}, {@code PATH} plus {@code /usr/sbin} and
     * {@code /usr/local/sbin}; the directory is kept when the system property {@code
     * sluice.ovs.keepDirs} is {@code true}.
     */
    public static Options defaults() {
      List<Path> dirs = new ArrayList<>();
      String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
      for (String p : path.split(File.pathSeparator)) {
        if (!p.isEmpty()) {
          dirs.add(Path.of(p));
        }
      }
      dirs.add(Path.of("/usr/sbin"));
      dirs.add(Path.of("/usr/local/sbin"));
      return new Options(
          Datapath.DUMMY,
          Optional.empty(),
          Path.of("/tmp"),
          dirs,
          Boolean.getBoolean("sluice.ovs.keepDirs"));
    }

    public Options withDatapath(Datapath d) {
      return new Options(d, netns, baseDir, binDirs, keepDir);
    }

    public Options withNetns(String namespace) {
      return new Options(datapath, Optional.of(namespace), baseDir, binDirs, keepDir);
    }

    public Options withBaseDir(Path dir) {
      return new Options(datapath, netns, dir, binDirs, keepDir);
    }

    public Options withBinDirs(List<Path> dirs) {
      return new Options(datapath, netns, baseDir, dirs, keepDir);
    }

    public Options withKeepDir(boolean keep) {
      return new Options(datapath, netns, baseDir, binDirs, keep);
    }
  }

  private final Options options;
  private final Path dir;
  private final Map<String, Path> bin;
  private final AtomicLong commandSeq = new AtomicLong();
  private long ovsdbServerPid;
  private long vswitchdPid;
  private boolean closed;

  private OvsNode(Options options, Path dir, Map<String, Path> bin) {
    this.options = options;
    this.dir = dir;
    this.bin = bin;
  }

  /** Starts a node with the dummy datapath ({@code --enable-dummy=override}). */
  public static OvsNode start() {
    return start(Options.defaults());
  }

  /** Starts a node; fails (never skips) with installation instructions when OVS is missing. */
  public static OvsNode start(Options options) {
    Map<String, Path> bin = locateBinaries(options.binDirs());
    Path dir;
    try {
      Files.createDirectories(options.baseDir());
      dir = Files.createTempDirectory(options.baseDir(), "sluice-ovs-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the node directory", e);
    }
    OvsNode node = new OvsNode(options, dir, bin);
    try {
      node.startDaemons();
      return node;
    } catch (RuntimeException | Error e) {
      try {
        node.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static Map<String, Path> locateBinaries(List<Path> binDirs) {
    Map<String, Path> found = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String name :
        List.of(
            "ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovs-appctl")) {
      Optional<Path> p =
          binDirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
      if (p.isPresent()) {
        found.put(name, p.get());
      } else {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Open vSwitch is not installed: "
              + String.join(", ", missing)
              + " not found in "
              + binDirs
              + ". "
              + INSTALL_HINT);
    }
    if (!Files.isReadable(SCHEMA)) {
      throw new IllegalStateException(
          "Open vSwitch schema " + SCHEMA + " is missing. " + INSTALL_HINT);
    }
    return Map.copyOf(found);
  }

  private void startDaemons() {
    run(
        List.of(
            path("ovsdb-tool"), "create", dir.resolve("conf.db").toString(), SCHEMA.toString()));
    run(
        List.of(
            path("ovsdb-server"),
            "--remote=punix:" + dir.resolve("db.sock"),
            "--pidfile",
            "--detach",
            "--log-file",
            dir.resolve("conf.db").toString()));
    ovsdbServerPid = readPid("ovsdb-server");
    vsctlNoWait("init");
    startVswitchd();
  }

  private void startVswitchd() {
    List<String> cmd = new ArrayList<>();
    options.netns().ifPresent(ns -> cmd.addAll(List.of("ip", "netns", "exec", ns)));
    cmd.addAll(List.of(path("ovs-vswitchd"), dbTarget(), "--pidfile", "--detach", "--log-file"));
    if (options.datapath() == Datapath.DUMMY) {
      cmd.add("--enable-dummy=override");
    }
    run(cmd);
    vswitchdPid = readPid("ovs-vswitchd");
  }

  // ---------------------------------------------------------------------------------------------
  // Where things are

  /** The node's private directory (database, sockets, pid files, logs). */
  public Path dir() {
    return dir;
  }

  /** The options the node was started with. */
  public Options options() {
    return options;
  }

  /** {@code unix:<dir>/db.sock}: the database, for {@code ovs-vsctl --db=}. */
  public String dbTarget() {
    return "unix:" + dir.resolve("db.sock");
  }

  /** The bridge's passive OpenFlow socket {@code <dir>/<bridge>.mgmt} (what ovs-ofctl uses). */
  public Path mgmtSocket(String bridge) {
    return dir.resolve(bridge + ".mgmt");
  }

  /** {@code unix:<dir>/<bridge>.mgmt}, the ovs-ofctl target of the bridge. */
  public String ofTarget(String bridge) {
    return "unix:" + mgmtSocket(bridge);
  }

  /** Pid of the running ovsdb-server. */
  public synchronized long ovsdbServerPid() {
    return ovsdbServerPid;
  }

  /** Pid of the running ovs-vswitchd (changes on {@link #restartVswitchd()}). */
  public synchronized long vswitchdPid() {
    return vswitchdPid;
  }

  /** The last {@code lines} lines of {@code ovs-vswitchd.log}, or "" if there is none. */
  public String vswitchdLogTail(int lines) {
    return tail(dir.resolve("ovs-vswitchd.log"), lines);
  }

  // ---------------------------------------------------------------------------------------------
  // Bridges and ports

  /**
   * Creates a bridge as Antrea does: {@code datapath_type=netdev}, {@code protocols=OpenFlow13},
   * {@code fail_mode=secure} (no NORMAL flow; the table is empty until flows are added).
   */
  public void createBridge(String bridge) {
    createBridge(bridge, OptionalLong.empty());
  }

  /** Like {@link #createBridge(String)}, with {@code other-config:datapath-id} set. */
  public void createBridge(String bridge, long datapathId) {
    createBridge(bridge, OptionalLong.of(datapathId));
  }

  private void createBridge(String bridge, OptionalLong datapathId) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "add-br",
                bridge,
                "--",
                "set",
                "bridge",
                bridge,
                "datapath_type=netdev",
                "protocols=OpenFlow13",
                "fail_mode=secure"));
    datapathId.ifPresent(id -> args.add("other-config:datapath-id=" + String.format("%016x", id)));
    vsctl(args.toArray(String[]::new));
    awaitFile(mgmtSocket(bridge));
  }

  /**
   * Adds a port and returns its OpenFlow port number.
   *
   * @param type interface type: {@code geneve}, {@code internal}, {@code dummy}, or "" for a system
   *     device (a veth that must exist)
   * @param ofportRequest the OpenFlow port number to ask for, or 0 to let OVS choose
   * @param options {@code key=value} interface options ({@code remote_ip=flow} becomes {@code
   *     options:remote_ip=flow}); an entry with a column prefix such as {@code
   *     external_ids:attached-mac=..} is passed through unchanged
   */
  public int addPort(
      String bridge, String name, String type, int ofportRequest, String... options) {
    List<String> args =
        new ArrayList<>(List.of("add-port", bridge, name, "--", "set", "interface", name));
    if (!type.isEmpty()) {
      args.add("type=" + type);
    }
    if (ofportRequest > 0) {
      args.add("ofport_request=" + ofportRequest);
    }
    for (String o : options) {
      int colon = o.indexOf(':');
      int eq = o.indexOf('=');
      boolean hasColumn = colon >= 0 && (eq < 0 || colon < eq);
      args.add(hasColumn ? o : "options:" + o);
    }
    vsctl(args.toArray(String[]::new));
    Integer ofport = portNumbers(bridge).get(name);
    if (ofport == null || ofport <= 0) {
      String error = vsctl("get", "interface", name, "error").strip();
      throw new OvsCommandException(
          "port " + name + " on " + bridge + " got no OpenFlow port number (error: " + error + ")",
          vswitchdLogTail(LOG_TAIL_LINES),
          null);
    }
    return ofport;
  }

  /** {@code antrea-tun0}: Geneve, {@code remote_ip=flow}, OpenFlow port 1. */
  public int addTunnelPort(String bridge) {
    return addPort(bridge, TUNNEL_PORT, "geneve", TUNNEL_OFPORT, "remote_ip=flow");
  }

  /** {@code antrea-gw0}: internal port, OpenFlow port 2. */
  public int addGatewayPort(String bridge) {
    return addPort(bridge, GATEWAY_PORT, "internal", GATEWAY_OFPORT);
  }

  /**
   * A pod's port: a dummy device in {@link Datapath#DUMMY} mode (no kernel device needed), the
   * existing system device {@code name} (a veth) in {@link Datapath#NETDEV} mode.
   */
  public int addPodPort(String bridge, String name, int ofportRequest) {
    String type = options.datapath() == Datapath.DUMMY ? "dummy" : "";
    return addPort(bridge, name, type, ofportRequest);
  }

  /**
   * {@link #createBridge(String, long) createBridge}, {@link #addTunnelPort}, {@link
   * #addGatewayPort} and the {@link #ANTREA_TLV_MAP} TLV mapping: a bridge ready for the seed's
   * pipeline (pod ports still to be added).
   */
  public void createAntreaBridge(String bridge, long datapathId) {
    createBridge(bridge, datapathId);
    addTunnelPort(bridge);
    addGatewayPort(bridge);
    addTlvMap(bridge, ANTREA_TLV_MAP);
  }

  /** Adds a Geneve TLV mapping such as {@link #ANTREA_TLV_MAP} (lost when vswitchd restarts). */
  public void addTlvMap(String bridge, String mapping) {
    ofctl("add-tlv-map", bridge, mapping);
  }

  /**
   * Sets the bridge's controller list, e.g. {@code tcp:127.0.0.1:6653} or {@code unix:/path}. Wipes
   * the bridge's flows when the list changes: call it before installing flows.
   */
  public void setController(String bridge, String... targets) {
    List<String> args = new ArrayList<>(List.of("set-controller", bridge));
    args.addAll(Arrays.asList(targets));
    vsctl(args.toArray(String[]::new));
  }

  /** Removes all controllers of the bridge (wipes its flows). */
  public void deleteController(String bridge) {
    vsctl("del-controller", bridge);
  }

  /**
   * OpenFlow port number of every interface of {@code bridge} (including the bridge's own local
   * port, 65534), from {@code ovs-vsctl list Interface}. Interfaces without a number yet (-1 or
   * empty) are left out.
   */
  public Map<String, Integer> portNumbers(String bridge) {
    Set<String> names =
        Stream.concat(vsctl("list-ifaces", bridge).lines().map(String::strip), Stream.of(bridge))
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String line :
        vsctl("-f", "csv", "--no-headings", "--columns=name,ofport", "list", "Interface")
            .lines()
            .sorted()
            .toList()) {
      int comma = line.lastIndexOf(',');
      if (comma < 0) {
        continue;
      }
      String name = unquote(line.substring(0, comma));
      String ofport = line.substring(comma + 1).strip();
      if (names.contains(name) && ofport.matches("\\d+")) {
        ports.put(name, Integer.parseInt(ofport));
      }
    }
    return ports;
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  /** Runs {@code ovs-vsctl --db=unix:<dir>/db.sock --timeout=30 args...}; returns stdout. */
  public String vsctl(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(path("ovs-vsctl"), "--db=" + dbTarget(), "--timeout=30"));
    cmd.addAll(Arrays.asList(args));
    return run(cmd);
  }

  private String vsctlNoWait(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(path("ovs-vsctl"), "--db=" + dbTarget(), "--no-wait"));
    cmd.addAll(Arrays.asList(args));
    return run(cmd);
  }

  /**
   * Runs {@code ovs-ofctl -O OpenFlow13 <command> unix:<dir>/<bridge>.mgmt args...}; returns
   * stdout. Options such as {@code --bundle} or {@code --names} may be among {@code args}.
   */
  public String ofctl(String command, String bridge, String... args) {
    return ofctlWithInput(null, command, bridge, args);
  }

  private String ofctlWithInput(String stdin, String command, String bridge, String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(path("ovs-ofctl"), "-O", "OpenFlow13", command, ofTarget(bridge)));
    cmd.addAll(Arrays.asList(args));
    return run(cmd, stdin);
  }

  /**
   * {@code dump-flows --no-stats --names}: one flow per element, leading space removed, ports by
   * name ({@code in_port="antrea-gw0"}). Note ovs-ofctl prints names by default only to a terminal,
   * so {@code --names} is explicit. Table 0 flows are printed without {@code table=0}.
   *
   * @param filter optional flow filter, e.g. {@code table=31}
   */
  public List<String> dumpFlows(String bridge, String... filter) {
    return lines(ofctl("dump-flows", bridge, concat(filter, "--no-stats", "--names")));
  }

  /** Like {@link #dumpFlows} with ports by number ({@code --no-names}). */
  public List<String> dumpFlowsNoNames(String bridge, String... filter) {
    return lines(ofctl("dump-flows", bridge, concat(filter, "--no-stats", "--no-names")));
  }

  /** {@code add-flows} from text (one flow per line, {@code #} comments allowed), via stdin. */
  public void addFlows(String bridge, String flows) {
    ofctlWithInput(flows, "add-flows", bridge, "-");
  }

  /** {@code add-flows --bundle}: all flows are installed atomically, or none. */
  public void addFlowsBundle(String bridge, String flows) {
    ofctlWithInput(flows, "add-flows", bridge, "--bundle", "-");
  }

  /** {@code replace-flows --bundle}: makes the flow table exactly {@code flows}, atomically. */
  public void replaceFlowsBundle(String bridge, String flows) {
    ofctlWithInput(flows, "replace-flows", bridge, "--bundle", "-");
  }

  /** {@code del-flows}, optionally restricted by a match such as {@code table=31}. */
  public void delFlows(String bridge, String... match) {
    ofctl("del-flows", bridge, match);
  }

  /** {@code dump-groups} (ports by number), one group per element, header line removed. */
  public List<String> dumpGroups(String bridge) {
    return lines(ofctl("dump-groups", bridge)).stream()
        .filter(l -> !l.startsWith("OFPST_"))
        .toList();
  }

  /** Runs {@code ovs-appctl -t <dir>/ovs-vswitchd.<pid>.ctl args...}; returns stdout. */
  public String appctl(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(path("ovs-appctl"), "-t", controlSocket().toString()));
    cmd.addAll(Arrays.asList(args));
    return run(cmd);
  }

  private Path controlSocket() {
    return dir.resolve("ovs-vswitchd." + vswitchdPid() + ".ctl");
  }

  /**
   * A persistent connection to {@code ovs-vswitchd}'s control socket, for many {@code
   * ofproto/trace} calls without starting {@code ovs-appctl} each time. Close it before the node
   * (or a {@link #restartVswitchd()}).
   */
  public UnixctlConnection openUnixctl() {
    checkOpen();
    return UnixctlConnection.open(controlSocket());
  }

  /**
   * {@code ovs-appctl ofproto/trace <bridge> <microflow> --ct-next <state>...}.
   *
   * <p>Give {@code nw_ttl=64} (the default TTL 0 makes {@code dec_ttl} drop), write {@code tcp} /
   * {@code udp} before L3/L4 fields, use {@code tcp_dst} / {@code udp_dst}; ports may be named
   * ({@code in_port=antrea-gw0}).
   *
   * @param ctNext conntrack state for each successive {@code ct(table=..)} recirculation, e.g.
   *     {@code trk,new} or {@code trk,est}
   */
  public TraceResult ofprotoTrace(String bridge, String microflow, String... ctNext) {
    List<String> args = new ArrayList<>(List.of("ofproto/trace", bridge, microflow));
    for (String state : ctNext) {
      args.add("--ct-next");
      args.add(state);
    }
    return TraceResult.parse(appctl(args.toArray(String[]::new)));
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Stops ovs-vswitchd (by its pid file) and starts it again on the same database. Bridges, ports
   * and port numbers survive; flows, groups, meters and TLV mappings are gone, as after a real OVS
   * restart. Returns once every bridge's management socket is back.
   */
  public synchronized void restartVswitchd() {
    checkOpen();
    stopDaemon("ovs-vswitchd", vswitchdPid);
    startVswitchd();
    for (String bridge : vsctl("list-br").lines().map(String::strip).toList()) {
      if (!bridge.isEmpty()) {
        awaitFile(mgmtSocket(bridge));
      }
    }
  }

  /**
   * Stops both daemons by pid ({@link Datapath#NETDEV}: {@code ovs-appctl exit --cleanup} first, so
   * that the bridges' tap devices go too) and deletes the directory (unless {@link
   * Options#keepDir()}).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    if (options.datapath() == Datapath.NETDEV && isRunning(vswitchdPid)) {
      // A plain SIGTERM leaves the tap devices of internal ports behind; --cleanup removes them.
      try {
        appctl("exit", "--cleanup");
        awaitExit(vswitchdPid, 10);
      } catch (RuntimeException e) {
        // fall through to stopping it by pid
      }
    }
    for (Map.Entry<String, Long> daemon :
        List.of(
            Map.entry("ovs-vswitchd", vswitchdPid), Map.entry("ovsdb-server", ovsdbServerPid))) {
      try {
        stopDaemon(daemon.getKey(), daemon.getValue());
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure; // keep the directory: it holds the logs
    }
    if (!options.keepDir()) {
      deleteRecursively(dir);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("OvsNode " + dir + " is closed");
    }
  }

  private long readPid(String daemon) {
    Path pidFile = dir.resolve(daemon + ".pid");
    try {
      return Long.parseLong(Files.readString(pidFile).strip());
    } catch (IOException | NumberFormatException e) {
      throw new OvsCommandException(
          daemon + " started but left no readable pid file " + pidFile,
          vswitchdLogTail(LOG_TAIL_LINES),
          e);
    }
  }

  /**
   * SIGTERM to the recorded pid (only if that process still runs the daemon, so a recycled pid is
   * never hit), then SIGKILL if it has not exited after 10 s.
   */
  private void stopDaemon(String daemon, long pid) {
    if (!isRunning(pid)) {
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return;
    }
    ProcessHandle p = handle.get();
    Optional<String> command = p.info().command();
    if (command.isPresent() && !command.get().endsWith(daemon)) {
      return; // the daemon is gone and its pid was reused
    }
    p.destroy();
    if (!awaitExit(pid, 10)) {
      p.destroyForcibly();
      if (!awaitExit(pid, 10)) {
        throw new OvsCommandException(
            daemon + " (pid " + pid + ") does not exit", vswitchdLogTail(LOG_TAIL_LINES), null);
      }
    }
  }

  /**
   * Whether {@code pid} is a running process. A zombie counts as exited: a detached daemon's parent
   * is pid 1, which may take seconds to reap it ({@link ProcessHandle#isAlive()} and {@code
   * onExit()} wait for that).
   */
  public static boolean isRunning(long pid) {
    if (pid <= 0) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (Files.isDirectory(Path.of("/proc", "self"))) {
      try {
        String s = Files.readString(stat);
        // "pid (comm) S ...": the state follows the last ')' (comm may contain ')').
        int close = s.lastIndexOf(')');
        char state = close >= 0 && close + 2 < s.length() ? s.charAt(close + 2) : '?';
        return state != 'Z' && state != 'X';
      } catch (IOException e) {
        return false; // no such process
      }
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static boolean awaitExit(long pid, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (isRunning(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for pid " + pid, e);
      }
    }
    return true;
  }

  private void awaitFile(Path file) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new OvsCommandException(
            file + " did not appear within 10 s", vswitchdLogTail(LOG_TAIL_LINES), null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + file, e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Running programs

  private String path(String program) {
    return bin.get(program).toString();
  }

  private String run(List<String> cmd) {
    return run(cmd, null);
  }

  /**
   * Runs a program with the node's environment. stdout and stderr go to files, not pipes: a daemon
   * started with {@code --detach} may keep inherited descriptors open, and reading a pipe would
   * then block until the daemon exits.
   */
  private String run(List<String> cmd, String stdin) {
    long seq = commandSeq.incrementAndGet();
    Path out = dir.resolve("cmd-" + seq + ".out");
    Path err = dir.resolve("cmd-" + seq + ".err");
    Path in = dir.resolve("cmd-" + seq + ".in");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
      Map<String, String> env = pb.environment();
      env.put("OVS_RUNDIR", dir.toString());
      env.put("OVS_DBDIR", dir.toString());
      env.put("OVS_LOGDIR", dir.toString());
      env.put("OVS_PKGDATADIR", SCHEMA.getParent().toString());
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      if (stdin != null) {
        Files.writeString(in, stdin);
        pb.redirectInput(in.toFile());
      } else {
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      Process process = pb.start();
      boolean exited = process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (!exited) {
        throw new OvsCommandException(
            "timed out after " + COMMAND_TIMEOUT_SECONDS + " s",
            cmd,
            -1,
            stdout,
            stderr,
            vswitchdLogTail(LOG_TAIL_LINES));
      }
      if (process.exitValue() != 0) {
        throw new OvsCommandException(
            "command failed",
            cmd,
            process.exitValue(),
            stdout,
            stderr,
            vswitchdLogTail(LOG_TAIL_LINES));
      }
      return stdout;
    } catch (IOException e) {
      throw new UncheckedIOException("running " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
      deleteQuietly(in);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static String[] concat(String[] first, String... second) {
    String[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  private static String unquote(String s) {
    String t = s.strip();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")
        ? t.substring(1, t.length() - 1)
        : t;
  }

  private static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "";
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort: the directory is removed on close anyway
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(OvsNode::deleteQuietly);
    } catch (IOException e) {
      // best effort
    }
  }

  @Override
  public String toString() {
    return "OvsNode[" + dir + ", " + options.datapath() + "]";
  }
}
