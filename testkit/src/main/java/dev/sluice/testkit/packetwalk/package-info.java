/**
 * The packet-walk example ({@code deploy/examples/packet-walk}) as a test fixture: where its
 * manifests, port maps and recorded flows are, and its workers' switches started as real OVS nodes.
 * No Sluice classes: the tests parse the files with the compiler's own readers.
 */
package dev.sluice.testkit.packetwalk;
