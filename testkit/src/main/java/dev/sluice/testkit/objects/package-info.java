/**
 * The Kubernetes objects the tests and benchmarks feed the compiler, built with fabric8's builders
 * (no YAML or JSON round trip): Nodes, Namespaces and running Pods in the shape the compiler reads.
 * One builder for the compiler's benchmarks, the controller's benchmark and the runtime's unit
 * tests, so that they build and measure the same objects.
 *
 * <p>The test kit compiles against fabric8's {@code kubernetes-model-core} in {@code provided}
 * scope: the modules that use this package (policy-compiler, controller) have the model on their
 * own classpath, and the broker's runtime classpath ({@code deploy/kafka}) does not get it.
 */
@NullMarked
package dev.sluice.testkit.objects;

import org.jspecify.annotations.NullMarked;
