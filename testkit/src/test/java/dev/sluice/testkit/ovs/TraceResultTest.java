package dev.sluice.testkit.ovs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceResultTest {

  /** ovs-vswitchd 3.1, trimmed: gateway to a remote pod, --ct-next trk,new. */
  private static final String GW_TO_REMOTE_POD =
      """
      Flow: tcp,in_port=2,vlan_tci=0x0000,nw_src=10.222.1.48,nw_dst=10.222.2.34,nw_ttl=64,tp_dst=80

      bridge("br-int")
      ----------------
       0. in_port=2, priority 200, cookie 0x1000000000000
          load:0x1->NXM_NX_REG0[0..15]
          resubmit(,10)
      10. ip,in_port=2, priority 200, cookie 0x1000000000000
          resubmit(,30)
      30. ip, priority 200, cookie 0x1000000000000
          ct(table=31,zone=65520)
          drop
           -> A clone of the packet is forked to recirculate. The forked pipeline will be resumed at table 31.

      Final flow: unchanged
      Megaflow: recirc_id=0,eth,ip,in_port=2,nw_frag=no
      Datapath actions: ct(zone=65520),recirc(0x1)

      ===============================================================================
      recirc(0x1) - resume conntrack with ct_state=new|trk
      ===============================================================================

      bridge("br-int")
      ----------------
          thaw
              Resuming from table 31
      31. priority 0, cookie 0x1000000000000
          resubmit(,70)
      70. ip,nw_dst=10.222.2.0/24, priority 200, cookie 0x1020000000000
          dec_ttl
          load:0x1->NXM_NX_REG1[]
          resubmit(,110)
      110. ip,reg0=0x10000/0x10000, priority 200, cookie 0x1000000000000
          output:NXM_NX_REG1[]
           -> output port is 1
      200. priority 1
          output:5
          output:6

      Final flow: unchanged
      Megaflow: recirc_id=0x2,eth,ip,in_port=2,nw_frag=no
      Datapath actions: 2
      """;

  @Test
  void collectsTablesAndOpenFlowOutputPortsAcrossRecirculations() {
    TraceResult t = TraceResult.parse(GW_TO_REMOTE_POD);
    assertEquals(List.of(0, 10, 30, 31, 70, 110, 200), t.tables());
    assertEquals(List.of(1, 5, 6), t.outputPorts());
    assertEquals("2", t.datapathActions());
    assertFalse(t.dropped());
    assertTrue(t.visited(31));
  }

  @Test
  void noMatchStillCountsAsVisitedAndNoOutputIsADrop() {
    TraceResult t =
        TraceResult.parse(
            """
             0. in_port=4, priority 190
                resubmit(,80)
            80. No match.
                drop

            Final flow: unchanged
            Datapath actions: drop
            """);
    assertEquals(List.of(0, 80), t.tables());
    assertTrue(t.dropped());
    assertEquals("drop", t.datapathActions());
  }

  @Test
  void refusesTextThatIsNotATrace() {
    assertThrows(IllegalArgumentException.class, () -> TraceResult.parse("ovs-appctl: error"));
  }
}
