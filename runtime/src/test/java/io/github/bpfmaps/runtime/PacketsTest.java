package io.github.bpfmaps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The test frames users build for testRun: public in the runtime, wire format, valid checksum. */
class PacketsTest {
  @Test
  void aUdpFrameHasItsAddressesPortsAndAValidIpv4Checksum() {
    int src = Packets.ipv4(10, 0, 0, 1);
    int dst = Packets.ipv4(10, 0, 0, 2);
    byte[] f = Packets.udp(src, dst, 1234, 53, 64);
    ByteBuffer b = ByteBuffer.wrap(f); // big-endian, as on the wire
    assertEquals(64, f.length);
    assertEquals(Packets.IPV4, b.getShort(12) & 0xffff);
    assertEquals(Packets.UDP, f[14 + 9]);
    assertEquals(src, b.getInt(14 + 12));
    assertEquals(dst, b.getInt(14 + 16));
    assertEquals(1234, b.getShort(34) & 0xffff);
    assertEquals(53, b.getShort(36) & 0xffff);
    // RFC 791: the one's complement sum of the header, checksum included, is 0xffff.
    int sum = 0;
    for (int i = 14; i < 34; i += 2) {
      sum += b.getShort(i) & 0xffff;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    assertEquals(0xffff, sum);
    assertEquals("10.0.0.1", Packets.dotted(src));
  }
}
