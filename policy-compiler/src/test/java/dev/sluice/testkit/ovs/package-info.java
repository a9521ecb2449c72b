/**
 * Real Open vSwitch for tests: {@link dev.sluice.testkit.ovs.OvsNode} starts a private {@code
 * ovsdb-server} + {@code ovs-vswitchd} pair in a temporary directory (userspace datapath, by
 * default with {@code --enable-dummy=override} so that no kernel device is created and several
 * nodes can run side by side), and wraps {@code ovs-vsctl}, {@code ovs-ofctl} and {@code
 * ovs-appctl} (including {@code ofproto/trace}, parsed into {@link
 * dev.sluice.testkit.ovs.TraceResult}).
 *
 * <p>JDK and JUnit only, so every module can use it through policy-compiler's test jar. A missing
 * Open vSwitch fails the test (it is never skipped): run {@code .ci/run} or {@code apt-get install
 * openvswitch-switch}.
 */
package dev.sluice.testkit.ovs;
