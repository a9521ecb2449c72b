package dev.sluice.testkit.packetwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacketWalkTest {

  @Test
  void findsTheExampleFromTheModuleDirectory() {
    assertTrue(Files.isDirectory(PacketWalk.manifests()), PacketWalk.manifests().toString());
    assertTrue(Files.isRegularFile(PacketWalk.flows("worker1")));
  }

  @Test
  void readsAWorkersPortsInFileOrder() {
    Map<String, Integer> ports = PacketWalk.ports("worker2");
    assertEquals(
        List.of("antrea-tun0", "antrea-gw0", "coredns--d8f62c", "backend2-202ff6"),
        List.copyOf(ports.keySet()));
    assertEquals(35, ports.get("backend2-202ff6"));
  }

  @Test
  void datapathIdsFollowTheWorkerOrderAndOtherNodesAreRefused() {
    assertEquals(1, PacketWalk.datapathId("worker1"));
    assertEquals(2, PacketWalk.datapathId("worker2"));
    assertThrows(IllegalArgumentException.class, () -> PacketWalk.portsCsv("master"));
  }
}
