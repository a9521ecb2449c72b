/**
 * The cluster model: Kubernetes objects (Node, Namespace, Pod, Service, Endpoints/EndpointSlice,
 * NetworkPolicy) read from real manifests with the fabric8 model ({@link
 * dev.sluice.compiler.cluster.ManifestReader}), validated and converted into small immutable
 * records ({@link dev.sluice.compiler.cluster.NodeInfo}, {@link
 * dev.sluice.compiler.cluster.PodInfo}, {@link dev.sluice.compiler.cluster.NetworkPolicyInfo}, …)
 * held in an immutable {@link dev.sluice.compiler.cluster.ClusterState} snapshot that the pure
 * compilers read.
 *
 * <p>Derived defaults ({@link dev.sluice.compiler.cluster.Derivations}), overridable by the {@link
 * dev.sluice.compiler.cluster.SluiceAnnotations}:
 *
 * <ul>
 *   <li>pod interface name: first 8 characters of the pod name without leading {@code '-'}, {@code
 *       '-'}, first 6 hex digits of SHA-1({@code "<namespace>/<name>"});
 *   <li>pod MAC: {@code 0a:58:} + the pod IP's four octets (locally administered, unicast);
 *   <li>gateway IP: first host address of the node's pod CIDR; gateway MAC: {@code 0a:58:} + the
 *       gateway IP's octets.
 * </ul>
 *
 * <p>Bad input never throws out of this package: it becomes a {@link
 * dev.sluice.compiler.cluster.ManifestError} naming the source, the object and the field. See
 * {@code docs/cluster-model.md}.
 */
package dev.sluice.compiler.cluster;
