package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LegacyMapsDemoTest {
  @Test
  void theDemoCountsPacketsPerEtherTypeByteAndPerLengthBucket() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
        "proto_count's slot is the EtherType's first byte on little-endian hosts only");
    Ran ran = Ran.run((args, out, err) -> LegacyMapsDemo.run(out, err));
    assertEquals(0, ran.status(), ran.toString());
    List<String> lines = ran.lines().stream().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
    int protoAt = lines.indexOf("slot packets");
    // 5 IPv4 (0x0800) and 2 ARP (0x0806) frames share slot 0x08; 2 IPv6 (0x86dd) frames use 0x86.
    assertEquals(List.of("0x08 7", "0x86 2", ""), lines.subList(protoAt + 1, protoAt + 4), ran.toString());
    int histAt = lines.indexOf("skb->len packets");
    // skb->len is the frame less its 14-byte Ethernet header: 46, 86, 186, 586, 1500; 46, 46; 76, 286.
    assertEquals(List.of("0..63 3", "64..127 2", "128..191 1", "256..319 1", "576..639 1", "1472..1535 1"),
        lines.subList(histAt + 1, lines.size()), ran.toString());
  }
}
