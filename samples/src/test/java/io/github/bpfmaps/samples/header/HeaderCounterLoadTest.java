package io.github.bpfmaps.samples.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Packets;
import io.github.bpfmaps.samples.SampleObjects;
import org.junit.jupiter.api.Test;

/**
 * {@code header_counter.bpf.o}, whose map and types come only from the Java records (through the
 * generated header), loads, counts what its program sees, and reads back through the handle
 * generated from the same records.
 */
class HeaderCounterLoadTest {
  private static final int XDP_DROP = 1;
  private static final int XDP_PASS = 2;
  private static final byte UDP = 17;
  private static final byte TCP = 6;

  @Test
  void countsPerProtocolAndPortReadBackThroughTheRecordsTheHeaderCameFrom() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    int client = Packets.ipv4(10, 0, 0, 1);
    int server = Packets.ipv4(10, 0, 0, 2);
    try (BpfObject obj = SampleObjects.open("header_counter").load();
        PacketCountsMap counts = PacketCountsMap.bind(obj)) {
      BpfProgram prog = obj.program("xdp_header_count");
      assertEquals(XDP_PASS, prog.testRun(Packets.udp(client, server, 40000, 53, 80), 1).retval());
      assertEquals(XDP_PASS, prog.testRun(Packets.udp(client, server, 40001, 53, 100), 1).retval());
      assertEquals(XDP_DROP, prog.testRun(Packets.tcp(client, server, 40002, 9, 120), 1).retval());
      assertEquals(new PacketStats(2, 180, Verdict.PASSED), counts.get(new PacketKey(UDP, (short) 53)));
      assertEquals(new PacketStats(1, 120, Verdict.DROPPED), counts.get(new PacketKey(TCP, (short) 9)));
      assertNull(counts.get(new PacketKey(TCP, (short) 53)));
    }
  }
}
