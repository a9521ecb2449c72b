package dev.sluice.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.EndpointsInfo;
import dev.sluice.compiler.cluster.Ipv4;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ManifestReader.Manifests;
import dev.sluice.compiler.cluster.ManifestReader.SourcedObject;
import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.cluster.ObjectKey;
import dev.sluice.compiler.cluster.ObjectKind;
import dev.sluice.compiler.cluster.PodInfo;
import dev.sluice.compiler.cluster.PortRef;
import dev.sluice.compiler.cluster.ServiceInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice lab-plan}: what {@code deploy/lab} and {@code deploy/mininet} build from a set of
 * manifests, derived by the compiler's own cluster model ({@link ClusterState}), so the lab can
 * never name an interface, a MAC or a gateway differently from the flows (docs/lab.md).
 *
 * <p>The model's facts (podCIDR, InternalIP, gateway IP and MAC, pod MAC and OVS interface name,
 * container ports, Service endpoints) come from {@link NodeInfo}, {@link PodInfo}, {@link
 * ServiceInfo} and {@link EndpointsInfo}. The rest is the lab's own convention and is marked as
 * such: network namespace names, the underlay (its prefix and MACs), the datapath id a Node without
 * {@code sluice.dev/datapath-id} gets (its InternalIP, passed to the controller as {@code
 * --switch}), and the endpoints of a selector Service without Endpoints objects (what the endpoints
 * controller would write, for the lab's kube-proxy emulation).
 *
 * <p>With {@code --store DIR} the command also keeps the lab's object store: one JSON file per
 * object, named so that a directory read in path order sees a Service before its Endpoints; {@code
 * --apply}/{@code --delete} update it from the {@code -f} manifests first and the plan is then that
 * of the whole store. Progress lines and warnings go to stderr, the plan (JSON) to stdout.
 */
@Command(
    name = "lab-plan",
    mixinStandardHelpOptions = true,
    description =
        "Print, as JSON, the nodes, pods and Services deploy/lab builds from manifests (the"
            + " cluster model's derivations: gateway, MACs, interface names, ports).")
final class LabPlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      description = "Manifest file or directory (YAML or JSON, multi-document); repeatable.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--store",
      description =
          "The lab's object directory (one JSON file per object); the plan is that of the store.")
  Path store;

  @ArgGroup(exclusive = true)
  StoreChange change = new StoreChange();

  static final class StoreChange {
    @Option(names = "--apply", description = "Add or replace the -f objects in --store first.")
    boolean apply;

    @Option(names = "--delete", description = "Remove the -f objects from --store first.")
    boolean delete;
  }

  @Option(names = "--json", description = "Print the plan as JSON (the only format).")
  boolean json;

  /** The store's file-name rank: a Service is read before its Endpoints, as deploy/lab relies. */
  private static final Map<ObjectKind, Integer> RANK =
      Map.of(
          ObjectKind.NAMESPACE, 0,
          ObjectKind.NODE, 1,
          ObjectKind.POD, 2,
          ObjectKind.SERVICE, 3,
          ObjectKind.ENDPOINTS, 4,
          ObjectKind.ENDPOINT_SLICE, 5,
          ObjectKind.NETWORK_POLICY, 6);

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((change.apply || change.delete) && store == null) {
      throw new IllegalArgumentException("--apply and --delete need --store");
    }
    if (store == null && files.isEmpty()) {
      throw new IllegalArgumentException("give manifests with -f PATH or a store with --store");
    }
    ManifestReader reader = new ManifestReader();
    List<ManifestError> errors = new ArrayList<>();
    if (change.apply || change.delete) {
      Files.createDirectories(store);
      for (Path p : files) {
        Manifests m = reader.read(p);
        errors.addAll(m.errors());
        for (SourcedObject o : m.objects()) {
          err.println(updateStore(reader, o, change.delete));
        }
      }
    }
    // A store that does not exist yet is an empty cluster.
    List<Path> inputs =
        store == null ? files : Files.isDirectory(store) ? List.of(store) : List.of();
    ClusterState state = ClusterInput.read(reader, inputs, errors);
    for (ManifestError e : errors) {
      err.println(e);
    }
    for (PodInfo p : state.pendingPods()) {
      err.println(
          "warning: Pod "
              + p.key()
              + ": unknown node '"
              + p.nodeName()
              + "'; no namespace created");
    }
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    out.println(mapper.writeValueAsString(plan(state)));
    out.flush();
    return 0;
  }

  /** Writes or removes one object's file; returns the line to print. */
  private String updateStore(ManifestReader reader, SourcedObject o, boolean delete)
      throws IOException {
    ObjectKey key = ObjectKey.of(o.object());
    String file =
        RANK.get(key.kind())
            + "-"
            + key.kind().apiKind()
            + "_"
            + (key.namespace().isEmpty() ? "-" : key.namespace())
            + "_"
            + key.name()
            + ".json";
    Path target = store.resolve(file);
    String label =
        key.kind().apiKind()
            + " "
            + (key.namespace().isEmpty() ? "" : key.namespace() + "/")
            + key.name();
    if (delete) {
      return (Files.deleteIfExists(target) ? "deleted " : "absent  ") + label;
    }
    String text = reader.toJson(o.object()) + "\n";
    Optional<String> old =
        Files.exists(target)
            ? Optional.of(Files.readString(target, StandardCharsets.UTF_8))
            : Optional.empty();
    Files.writeString(target, text, StandardCharsets.UTF_8);
    return (old.isEmpty() ? "created " : old.get().equals(text) ? "unchanged " : "configured ")
        + label;
  }

  /** The lab's plan: nodes by name, attached pods by key, Service ports with their endpoints. */
  static Plan plan(ClusterState state) {
    List<NodeInfo> nodeInfos =
        state.nodes().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    int underlayPrefix = underlayPrefix(nodeInfos);
    List<LabNode> nodes = new ArrayList<>();
    for (NodeInfo n : nodeInfos) {
      boolean annotated = n.datapathId().isPresent();
      long dpid = annotated ? n.datapathId().getAsLong() : n.internalIp().toLong();
      nodes.add(
          new LabNode(
              n.name(),
              n.internalIp().toString(),
              n.podCidr().toString(),
              n.podCidr().prefix(),
              n.gatewayIp().toString(),
              n.gatewayMac().toString(),
              String.format("%016x", dpid),
              annotated,
              underlayPrefix,
              // the underlay MAC of br-phy: 0e:58: + InternalIP (0e: locally administered)
              "0e:58:" + octetsHex(n.internalIp()),
              "sl-n-" + n.name()));
    }
    List<LabPod> pods = new ArrayList<>();
    for (PodInfo p : state.attachedPods()) {
      NodeInfo n = state.node(p.nodeName()).orElseThrow();
      String id = sha1Hex(p.key()).substring(0, 8);
      String netns = "sl-p-" + head(p.namespace(), 20) + "-" + head(p.name(), 30) + "-" + id;
      pods.add(
          new LabPod(
              p.namespace(),
              p.name(),
              p.key(),
              p.nodeName(),
              p.ip().toString(),
              n.podCidr().prefix(),
              n.gatewayIp().toString(),
              p.mac().toString(),
              p.interfaceName(),
              p.labels(),
              p.containerPorts().stream()
                  .map(
                      c ->
                          new LabPort(
                              c.port(), c.protocol().name(), c.name() == null ? "" : c.name()))
                  .toList(),
              head(netns, 60),
              id));
    }
    List<LabService> services = new ArrayList<>();
    for (ServiceInfo s : state.services()) {
      if (s.clusterIp().isEmpty()) {
        continue;
      }
      Optional<EndpointsInfo> eps = state.endpoints(s.namespace(), s.name());
      for (ServiceInfo.ServicePort sp : s.ports()) {
        List<LabEndpoint> backends = new ArrayList<>();
        if (eps.isPresent()) {
          for (EndpointsInfo.Endpoint e : eps.get().endpoints()) {
            if (e.portName().equals(sp.name()) && e.protocol() == sp.protocol()) {
              backends.add(new LabEndpoint(e.ip().toString(), e.port(), e.protocol().name()));
            }
          }
        } else if (s.hasSelector()) {
          for (PodInfo p : state.attachedPods()) {
            if (!p.namespace().equals(s.namespace()) || !selects(s.selector(), p.labels())) {
              continue;
            }
            Optional<Integer> port =
                sp.targetPort() instanceof PortRef.Named named
                    ? p.resolveNamedPort(named.name(), sp.protocol())
                    : Optional.of(((PortRef.Number) sp.targetPort()).port());
            port.ifPresent(
                n -> backends.add(new LabEndpoint(p.ip().toString(), n, sp.protocol().name())));
          }
        }
        services.add(
            new LabService(
                s.key(),
                s.clusterIp().get().toString(),
                sp.port(),
                sp.protocol().name(),
                sp.name(),
                backends));
      }
    }
    return new Plan(nodes, pods, services);
  }

  private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** The common prefix of every node's InternalIP, at most /24 and at least /8. */
  private static int underlayPrefix(List<NodeInfo> nodes) {
    int prefix = 24;
    while (prefix > 8) {
      int p = prefix;
      if (nodes.stream().map(n -> n.internalIp().toLong() >>> (32 - p)).distinct().count() <= 1) {
        break;
      }
      prefix--;
    }
    return prefix;
  }

  private static String octetsHex(Ipv4 ip) {
    return String.format("%02x:%02x:%02x:%02x", ip.octet(0), ip.octet(1), ip.octet(2), ip.octet(3));
  }

  private static String head(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n);
  }

  private static String sha1Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE provides SHA-1", e);
    }
  }

  /** The plan printed by {@code --json}. */
  record Plan(List<LabNode> nodes, List<LabPod> pods, List<LabService> services) {
    Plan {
      nodes = List.copyOf(nodes);
      pods = List.copyOf(pods);
      services = List.copyOf(services);
    }
  }

  /**
   * One node: the model's facts, then the lab's datapath id ({@code datapathIdAnnotated} false: the
   * InternalIP as hex, passed to the controller as {@code --switch}), underlay and netns.
   */
  record LabNode(
      String name,
      String ip,
      String podCIDR,
      int prefix,
      String gatewayIP,
      String gatewayMAC,
      String datapathId,
      boolean datapathIdAnnotated,
      int underlayPrefix,
      String underlayMAC,
      String netns) {}

  /** One attached pod; {@code netns} and {@code id} are the lab's names for it. */
  record LabPod(
      String namespace,
      String name,
      String key,
      String node,
      String ip,
      int prefix,
      String gatewayIP,
      String mac,
      String interfaceName,
      Map<String, String> labels,
      List<LabPort> ports,
      String netns,
      String id) {
    LabPod {
      labels = Collections.unmodifiableMap(new TreeMap<>(labels));
      ports = List.copyOf(ports);
    }
  }

  /** A container port ({@code name} empty when unnamed). */
  record LabPort(int port, String protocol, String name) {}

  /** One port of a Service with a cluster IP, and its ready endpoints for that port. */
  record LabService(
      String key,
      String clusterIP,
      int port,
      String protocol,
      String name,
      List<LabEndpoint> endpoints) {
    LabService {
      endpoints = List.copyOf(endpoints);
    }
  }

  /** One backend of a Service port. */
  record LabEndpoint(String ip, int port, String protocol) {}
}
