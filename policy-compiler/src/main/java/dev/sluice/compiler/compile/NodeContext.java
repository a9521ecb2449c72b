package dev.sluice.compiler.compile;

import dev.sluice.compiler.cluster.NodeInfo;
import dev.sluice.compiler.pipeline.Cookie;

/**
 * What every compiler needs to know about the node it compiles for.
 *
 * @param node the node
 * @param ports its port numbers
 * @param config cluster-wide settings
 */
record NodeContext(NodeInfo node, PortMap ports, CompilerConfig config) {

  /** A cookie of this run. */
  public long cookie(Cookie.Category category, long objectId) {
    return Cookie.of(config.round(), category, objectId);
  }

  /** The object id of the node itself. */
  public long nodeObjectId() {
    return Ids.node(node.name());
  }
}
