package dev.sluice.compiler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.compiler.flow.Flow;
import dev.sluice.compiler.flow.PortNames;
import dev.sluice.testkit.ovs.TraceResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator against {@code ofproto/trace} output recorded from OVS 3.1 (golden/ovs/trace-*.txt;
 * commands in golden/ovs/README.md): same tables in the same order, same output ports. Runs without
 * OVS; {@code SimulatorVsOvsIT} does the same live.
 */
class GoldenTraceTest {

  static Stream<Arguments> traces() {
    Supplier<List<Flow>> w1 = SeedFlows::worker1;
    Supplier<List<Flow>> w2 = SeedFlows::worker2;
    Supplier<List<Flow>> w2s = SeedFlows::worker2Supplemented;
    String tun =
        "in_port=antrea-tun0,tun_src=10.79.1.201,tun_dst=10.79.1.202,tcp,dl_src=4e:99:08:c1:53:be,"
            + "dl_dst=aa:bb:cc:dd:ee:ff,nw_src=10.222.1.48,nw_dst=10.222.2.34,tp_dst=80,nw_ttl=63";
    return Stream.of(
        Arguments.of(
            "trace-frontend-to-svc.txt",
            w1,
            SeedFlows.WORKER1,
            "in_port=frontend-a3ba2f,tcp,dl_src=be:2c:bf:e4:ec:c5,dl_dst=4e:99:08:c1:53:be,"
                + "nw_src=10.222.1.48,nw_dst=10.104.65.133,tp_dst=80,nw_ttl=64"),
        Arguments.of(
            "trace-gw0-to-backend2-worker1.txt",
            w1,
            SeedFlows.WORKER1,
            "in_port=antrea-gw0,tcp,dl_src=4e:99:08:c1:53:be,dl_dst=aa:bb:cc:dd:ee:ff,"
                + "nw_src=10.222.1.48,nw_dst=10.222.2.34,tp_dst=80,nw_ttl=64"),
        Arguments.of("trace-tun0-to-backend2-worker2.txt", w2s, SeedFlows.WORKER2, tun),
        Arguments.of("trace-tun0-to-backend2-worker2-seedonly.txt", w2, SeedFlows.WORKER2, tun));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("traces")
  void simulatorWalksTheTablesOvsWalked(
      String file, Supplier<List<Flow>> flows, PortNames ports, String microflow)
      throws IOException {
    TraceResult ovs = TraceResult.parse(resource("golden/ovs/" + file));
    Trace sim =
        Simulator.of(flows.get()).trace(Microflow.parse(microflow, ports), CtNext.of("trk,new"));

    assertThat(sim.tables()).isEqualTo(ovs.tables());
    assertThat(sim.verdict().ports())
        .isEqualTo(ovs.outputPorts().stream().map(Integer::longValue).toList());
    assertThat(sim.verdict().kind() == Verdict.Kind.DROP).isEqualTo(ovs.dropped());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GoldenTraceTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
