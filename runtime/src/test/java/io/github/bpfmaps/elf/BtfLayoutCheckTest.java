package io.github.bpfmaps.elf;

import static io.github.bpfmaps.elf.TestObjects.sample;
import static io.github.bpfmaps.elf.TestObjects.testObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.spec.Layout.Field;
import io.github.bpfmaps.spec.Layout.Kind;
import io.github.bpfmaps.spec.Layout;
import io.github.bpfmaps.spec.ObjectMapSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class BtfLayoutCheckTest {
  private static Field u(String name, int offset, int size) {
    return new Field(name, name, offset, size, 0, Kind.INT, false, false, null);
  }

  private static Field be(String name, int offset, int size) {
    return new Field(name, name, offset, size, 0, Kind.INT, false, true, null);
  }

  private static final Layout DATAREC = new Layout("datarec", 16, 8, List.of(u("packets", 0, 8), u("bytes", 8, 8)));

  private static final Layout FLOW_KEY = new Layout("flow_key", 16, 4, List.of(
      be("saddr", 0, 4), be("daddr", 4, 4), be("sport", 8, 2), be("dport", 10, 2), u("proto", 12, 1)));

  private static ObjectMapSpec map(ParsedObject o, String name) {
    return o.named(o.maps(), ObjectMapSpec::name, name, "map", "");
  }

  private static List<String> check(String sample, String map, boolean key, Layout layout) {
    ParsedObject o = ObjectParser.read(sample(sample));
    ObjectMapSpec m = map(o, map);
    return BtfLayoutCheck.differences(o.btf(), key ? m.keyTypeId() : m.valueTypeId(), layout, map);
  }

  @Test
  void theLayoutsTheProcessorWouldGenerateMatchTheSamples() {
    assertEquals(List.of(), check("xdp_counter", "xdp_stats", false, DATAREC));
    assertEquals(List.of(), check("xdp_counter", "xdp_stats", true, Codecs.U32.layout()));
    assertEquals(List.of(), check("flows", "flows", true, FLOW_KEY));
    assertEquals(List.of(), check("flows", "flows", false, new Layout("flow_stats", 16, 8, DATAREC.fields())));
    assertEquals(List.of(), check("percpu_counter", "pkt_count", false, Codecs.U64.layout()));
  }

  @Test
  void signednessSizeAndKindOfScalarsAreCompared() {
    assertEquals(List.of("xdp_stats: C __u32 is unsigned, Java is signed; mark it @Unsigned"),
        check("xdp_counter", "xdp_stats", true, Codecs.I32.layout()));
    assertEquals(List.of("xdp_stats: __u32 is 4 bytes in C, 8 in Java", "xdp_stats: C __u32 is not a float or double"),
        check("xdp_counter", "xdp_stats", true, Codecs.F64.layout()));
  }

  /** The README maps @NetworkOrder int to __be32: network order implies unsigned, no @Unsigned needed. */
  @Test
  void aNetworkOrderSignedIntMatchesABe32WithoutUnsigned() {
    Layout signedBe = new Layout("flow_key", 16, 4, List.of(
        new Field("saddr", "saddr", 0, 4, 0, Kind.INT, true, true, null),
        new Field("daddr", "daddr", 4, 4, 0, Kind.INT, true, true, null),
        new Field("sport", "sport", 8, 2, 0, Kind.INT, true, true, null),
        be("dport", 10, 2), u("proto", 12, 1)));
    assertEquals(List.of(), check("flows", "flows", true, signedBe));
  }

  @Test
  void everyMemberDifferenceIsListed() {
    Layout wrong = new Layout("flow_key", 13, 4, List.of(
        u("saddr", 0, 4), be("daddr", 4, 4), be("sport", 9, 2), be("port", 10, 2),
        new Field("proto", "proto", 12, 1, 0, Kind.BOOL, false, false, null)));
    assertEquals(List.of(
        "flows: struct flow_key is 16 bytes in C, 13 in Java",
        "flows.saddr: C __be32 is in network byte order; mark it @NetworkOrder",
        "flows.sport: at offset 8 in C, 9 in Java"), check("flows", "flows", true, wrong));
  }

  @Test
  void aMemberRenamedInCIsComparedByOffsetAndOnlyWarned() {
    Layout renamed = new Layout("flow_key", 16, 4, List.of(
        be("saddr", 0, 4), be("daddr", 4, 4), be("sport", 8, 2), be("port", 10, 2), u("proto", 12, 1)));
    ParsedObject o = ObjectParser.read(sample("flows"));
    List<BtfLayoutCheck.Difference> all = BtfLayoutCheck.compare(o.btf(), map(o, "flows").keyTypeId(), renamed, "key");
    assertEquals(1, all.size(), all.toString());
    BtfLayoutCheck.Difference d = all.get(0);
    assertEquals(BtfLayoutCheck.Kind.NAME, d.kind());
    assertTrue(d.warning());
    assertEquals(List.of("port"), d.javaPath());
    assertEquals("dport", d.cMember());
    assertEquals("__be16", d.cType());
    assertEquals(10, d.cOffset());
    assertEquals(List.of(), BtfLayoutCheck.differences(o.btf(), map(o, "flows").keyTypeId(), renamed, "key"));
  }

  @Test
  void aMemberMissingInCIsAnError() {
    Layout extra = new Layout("datarec", 24, 8, List.of(u("packets", 0, 8), u("bytes", 8, 8), u("drops", 16, 8)));
    assertEquals(List.of(
        "xdp_stats: struct datarec is 16 bytes in C, 24 in Java",
        "xdp_stats.drops: C struct datarec has no member 'drops' and none at offset 16"),
        check("xdp_counter", "xdp_stats", false, extra));
  }

  @Test
  void arraysNestedStructsAndBitfieldsAreCompared() {
    Btf btf = BtfTest.btfOf(testObject("btf_kinds"));
    BtfType kinds = btf.find(BtfKind.STRUCT, "kinds");
    Layout tagged = new Layout("tagged", 4, 4, List.of(new Field("value", "value", 0, 4, 0, Kind.INT, true, false, null)));
    Layout layout = new Layout("kinds", 96, 8, List.of(
        u("low", 0, 4),
        new Field("counts", "counts", 56, 2, 6, Kind.INT, false, false, null),
        new Field("tagged", "tagged", 80, 4, 0, Kind.STRUCT, false, false, tagged),
        new Field("ratio", "ratio", 20, 4, 0, Kind.FLOAT, true, false, null),
        new Field("color", "color", 16, 4, 0, Kind.ENUM, false, false, null),
        new Field("flag", "flag", 84, 1, 0, Kind.BOOL, false, false, null)));
    assertEquals(List.of("kinds.low: 'low' is a 3-bit bitfield in C; records cannot map bitfields"),
        BtfLayoutCheck.differences(btf, kinds.id(), layout, "kinds"));
    Layout shortArray = new Layout("kinds", 96, 8, List.of(
        new Field("counts", "counts", 56, 2, 5, Kind.INT, false, false, null)));
    assertEquals(List.of("kinds.counts: an array of 6 in C, an array of 5 in Java"),
        BtfLayoutCheck.differences(btf, kinds.id(), shortArray, "kinds"));
  }

  /** The same check at bind time, which needs a loaded object. */
  @Test
  void bindMapReportsCodecLayoutDifferences() {
    KernelTests.needBpf();
    try (BpfObject o = BpfObject.load(sample("xdp_counter"))) {
      BpfException e = assertThrows(BpfException.class,
          () -> o.bindMap(o.spec().map("xdp_stats").spec(), Codecs.I32, Codecs.bytes(16)));
      assertTrue(e.getMessage().contains("key: C __u32 is unsigned, Java is signed; mark it @Unsigned"), e.getMessage());
    }
  }
}
