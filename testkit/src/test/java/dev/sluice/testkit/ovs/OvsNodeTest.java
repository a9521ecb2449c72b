package dev.sluice.testkit.ovs;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OvsNodeTest {

  @Test
  void missingOpenVswitchFailsWithInstallInstructionsInsteadOfSkipping(@TempDir Path empty) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> OvsNode.start(OvsNode.Options.defaults().withBinDirs(List.of(empty))));
    assertTrue(e.getMessage().contains("ovs-vswitchd"), e.getMessage());
    assertTrue(e.getMessage().contains(".ci/run"), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install -y openvswitch-switch"), e.getMessage());
  }
}
