package dev.sluice.controller.cli;

import dev.sluice.compiler.cluster.ClusterState;
import dev.sluice.compiler.cluster.Ipv4Cidr;
import dev.sluice.compiler.cluster.ManifestError;
import dev.sluice.compiler.cluster.ManifestReader;
import dev.sluice.compiler.cluster.ManifestReader.Manifests;
import dev.sluice.compiler.compile.CompiledCluster;
import dev.sluice.compiler.compile.CompilerConfig;
import dev.sluice.compiler.compile.PortMap;
import dev.sluice.compiler.compile.PortSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options shared by the offline commands: manifests, node, port numbers, Service CIDR. */
final class ClusterInput {
  @Option(
      names = {"-f", "--filename"},
      required = true,
      description = "Manifest file or directory (YAML or JSON, multi-document); repeatable.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--node", required = true, description = "The node whose br-int to compile.")
  String node;

  @Option(
      names = "--ports",
      description =
          "OF port numbers as CSV lines name,ofport (ovs-vsctl -f csv --no-headings"
              + " --columns=name,ofport list Interface). Default: antrea-tun0=1, antrea-gw0=2,"
              + " the node's pods 3, 4, ... sorted by namespace/name.")
  Path ports;

  @Option(
      names = "--service-cidr",
      defaultValue = "10.96.0.0/12",
      description = "Service CIDR steered to the gateway (default ${DEFAULT-VALUE}).")
  String serviceCidr;

  /** The compiled cluster; problems with objects are printed to {@code err}, naming the object. */
  CompiledCluster compile(PrintWriter err) throws IOException {
    List<ManifestError> errors = new ArrayList<>();
    ClusterState state = read(new ManifestReader(), files, errors);
    for (ManifestError e : errors) {
      err.println(e);
    }
    CompilerConfig config = CompilerConfig.defaults().withServiceCidr(Ipv4Cidr.parse(serviceCidr));
    PortSource source =
        ports == null
            ? PortSource.defaultNumbering()
            : PortSource.explicit(Map.of(node, PortMap.readCsv(ports)));
    CompiledCluster compiled = CompiledCluster.compileAll(state, config, source);
    if (!compiled.nodes().contains(node)) {
      throw new IllegalArgumentException(
          "no node '" + node + "' in the manifests (nodes: " + compiled.nodes() + ")");
    }
    return compiled;
  }

  /**
   * The cluster state of the manifests under {@code paths}, read in order; what the reader or the
   * model refuses is added to {@code errors}, naming the object.
   */
  static ClusterState read(ManifestReader reader, List<Path> paths, List<ManifestError> errors)
      throws IOException {
    ClusterState state = ClusterState.empty();
    for (Path p : paths) {
      Manifests m = reader.read(p);
      errors.addAll(m.errors());
      ClusterState.ApplyResult r = state.applyManifests(m);
      state = r.state();
      errors.addAll(r.errors());
    }
    return state;
  }
}
