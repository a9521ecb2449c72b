package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.LabelSelector;
import dev.sluice.compiler.cluster.NamespaceInfo;
import dev.sluice.compiler.cluster.PodInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the NetworkPolicy compiler reads of the cluster: attached pods (pods whose node is known)
 * indexed by namespace, namespace labels and OpenFlow ports. Iteration orders are sorted.
 */
interface ClusterView {

  /** Attached pods of {@code namespace}, sorted by name. */
  Collection<PodInfo> podsIn(String namespace);

  /** Namespaces that have attached pods, sorted. */
  Collection<String> podNamespaces();

  /** The namespace's labels (implied name label only, when no Namespace object is known). */
  NamespaceInfo namespace(String name);

  /** The OpenFlow port of a local pod on its node, if attached to the bridge. */
  OptionalLong port(PodInfo pod);

  /**
   * Attached pods of {@code namespace} that {@code selector} matches, sorted by name. Views may
   * memoize it while the pods do not change (many rules share a few selectors).
   */
  default List<PodInfo> podsMatching(String namespace, LabelSelector selector) {
    List<PodInfo> out = new ArrayList<>();
    for (PodInfo p : podsIn(namespace)) {
      if (selector.matches(p.labels())) {
        out.add(p);
      }
    }
    return out;
  }
}
