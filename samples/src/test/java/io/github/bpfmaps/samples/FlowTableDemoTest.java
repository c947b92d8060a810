package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Packets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowTableDemoTest {
  @Test
  void theDemoPrintsEveryFlowBusiestFirstWithDottedAddressesAndPorts() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Ran ran = Ran.run((args, out, err) -> FlowTableDemo.run(out, err));
    assertEquals(0, ran.status(), ran.toString());
    List<String> rows = ran.lines();
    assertEquals(List.of("proto", "source", "destination", "packets", "bytes"), words(rows.get(0)), ran.toString());
    assertEquals(List.of(
            List.of("TCP", "198.51.100.80:443", "192.0.2.10:51000", "20", "30280"),
            List.of("TCP", "192.0.2.10:51000", "198.51.100.80:443", "12", "792"),
            List.of("UDP", "192.0.2.20:123", "203.0.113.123:123", "4", "360"),
            List.of("UDP", "203.0.113.123:123", "192.0.2.20:123", "3", "270"),
            List.of("UDP", "198.51.100.53:53", "192.0.2.10:53000", "1", "90"),
            List.of("UDP", "192.0.2.10:53000", "198.51.100.53:53", "1", "74")),
        rows.subList(1, rows.size()).stream().map(FlowTableDemoTest::words).toList(), ran.toString());
    assertTrue(ran.err().isEmpty(), ran.toString());
  }

  @Test
  void dottedIsTheInverseOfIpv4() {
    assertEquals("192.0.2.10", Packets.dotted(Packets.ipv4(192, 0, 2, 10)));
    assertEquals("255.255.255.255", Packets.dotted(Packets.ipv4(255, 255, 255, 255)), "no sign in the first octet");
    assertEquals("0.0.0.0", Packets.dotted(0));
  }

  static List<String> words(String line) {
    return List.of(line.trim().split("\\s+"));
  }
}
