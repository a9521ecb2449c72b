/**
 * Real Open vSwitch for tests: {@link dev.sluice.testkit.ovs.OvsNode} starts a private {@code
 * ovsdb-server} + {@code ovs-vswitchd} pair in a temporary directory (userspace datapath, by
 * default with {@code --enable-dummy=override} so that no kernel device is created and several
 * nodes can run side by side), and wraps {@code ovs-vsctl}, {@code ovs-ofctl} and {@code
 * ovs-appctl} (including {@code ofproto/trace}, parsed into {@link
 * dev.sluice.testkit.ovs.TraceResult}).
 *
 * <p>JDK, JUnit and Jackson only, no Sluice class: every module's tests use it through the {@code
 * sluice-testkit} module. The daemons are stopped by the pids in their pid files, never by name. A
 * missing Open vSwitch fails the test (it is never skipped): run {@code .ci/run} or {@code apt-get
 * install openvswitch-switch}.
 */
package dev.sluice.testkit.ovs;
