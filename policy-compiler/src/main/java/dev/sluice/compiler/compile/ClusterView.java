package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.NamespaceInfo;
import dev.sluice.compiler.cluster.PodInfo;
import java.util.Collection;
import java.util.OptionalLong;

/**
 * What the NetworkPolicy compiler reads of the cluster: attached pods (pods whose node is known)
 * indexed by namespace, namespace labels and OpenFlow ports. Iteration orders are sorted.
 */
public interface ClusterView {

  /** Attached pods of {@code namespace}, sorted by name. */
  Collection<PodInfo> podsIn(String namespace);

  /** Namespaces that have attached pods, sorted. */
  Collection<String> podNamespaces();

  /** The namespace's labels (implied name label only, when no Namespace object is known). */
  NamespaceInfo namespace(String name);

  /** The OpenFlow port of a local pod on its node, if attached to the bridge. */
  OptionalLong port(PodInfo pod);
}
