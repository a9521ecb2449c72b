/**
 * Answers in Kubernetes terms, computed from the compiled flows: a packet's walk across nodes
 * ({@link dev.sluice.compiler.explain.ClusterTrace}) and why a connection between two pods is
 * allowed or denied ({@link dev.sluice.compiler.explain.PolicyWhy}).
 */
@NullMarked
package dev.sluice.compiler.explain;

import org.jspecify.annotations.NullMarked;
