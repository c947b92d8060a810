package io.github.bpfmaps.runtime;

import static io.github.bpfmaps.elf.TestObjects.sample;
import static io.github.bpfmaps.elf.TestObjects.testObject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfKind;
import io.github.bpfmaps.elf.BtfType;
import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.GlobalVariable;
import io.github.bpfmaps.spec.MapInfo;
import io.github.bpfmaps.spec.MapKind;
import io.github.bpfmaps.spec.MapSpec;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;
import io.github.bpfmaps.spec.ProgramType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link BpfObjectSpec#read} finds in the samples and test objects (no kernel), and the checks
 * {@link BpfObject#bindMap} makes on a loaded object. The BTF types are read with the object reader
 * itself ({@link ObjectParser}), which the spec does not expose.
 */
class BpfObjectTest {
  private static BpfObjectSpec open(String sample) {
    return BpfObjectSpec.read(sample(sample));
  }

  private static Btf btf(Path object) {
    Btf btf = ObjectParser.read(object).btf();
    assertNotNull(btf, object + " has BTF");
    return btf;
  }

  private static void assertMap(MapSpec m, String name, MapType type, int key, int value, int max, int flags) {
    assertEquals(name, m.name());
    assertEquals(type, m.type(), name);
    assertEquals(key, m.keySize(), name + " key size");
    assertEquals(value, m.valueSize(), name + " value size");
    assertEquals(max, m.maxEntries(), name + " max_entries");
    assertEquals(flags, m.flags(), name + " flags");
  }

  @Test
  void xdpCounterDeclaresItsStatsArrayAndOneXdpProgram() {
    BpfObjectSpec o = open("xdp_counter");
    assertEquals(1, o.maps().size());
    ObjectMapSpec m = o.map("xdp_stats").spec();
    assertMap(m, "xdp_stats", MapType.ARRAY, 4, 16, 10, 0);
    assertEquals(MapKind.BTF, m.kind());
    assertEquals(Pinning.NONE, m.pinning());
    assertNull(m.innerMap());
    Btf btf = btf(sample("xdp_counter"));
    BtfType value = btf.resolve(m.valueTypeId());
    assertEquals("datarec", value.name());
    assertEquals(List.of("packets", "bytes"), value.members().stream().map(BtfType.Member::name).toList());
    assertEquals("__u32", btf.type(m.keyTypeId()).name());

    ProgramSpec p = o.program("xdp_count").spec();
    assertEquals("xdp", p.section());
    assertEquals(ProgramType.XDP, p.type());
    assertEquals(AttachType.XDP, p.attachType());
    assertEquals("GPL", p.license());
    assertEquals(18, p.instructionCount());
    assertEquals(18 * 8, o.program("xdp_count").instructions().length);
  }

  @Test
  void flowsKeyIncludesItsTailPaddingAndIsPinnedByName() {
    BpfObjectSpec o = open("flows");
    ObjectMapSpec flows = o.map("flows").spec();
    assertMap(flows, "flows", MapType.HASH, 16, 16, 65536, 0);
    assertEquals(Pinning.BY_NAME, flows.pinning());
    BtfType key = btf(sample("flows")).resolve(flows.keyTypeId());
    assertEquals("flow_key", key.name());
    assertEquals(16, key.size());
    assertEquals(List.of(0L, 4L, 8L, 10L, 12L), key.members().stream().map(BtfType.Member::byteOffset).toList());
    assertEquals(ProgramType.XDP, o.program("xdp_flows").type());
  }

  @Test
  void legacyMapsSectionIsReadAsStructBpfMapDef() {
    BpfObjectSpec o = open("legacy_maps");
    assertEquals(2, o.maps().size());
    assertMap(o.map("proto_count"), "proto_count", MapType.ARRAY, 4, 8, 256, 0);
    assertMap(o.map("len_hist"), "len_hist", MapType.HASH, 4, 8, 64, MapFlags.NO_PREALLOC);
    assertEquals(MapKind.LEGACY, o.map("len_hist").kind());
    assertEquals("maps", o.map("len_hist").spec().section());
    assertEquals(ProgramType.SOCKET_FILTER, o.program("count_protocols").type());
    assertNull(o.program("count_protocols").attachType());
  }

  @Test
  void iproute2BpfElfMapGivesPinningAndInnerMapWithoutBtf() {
    BpfObjectSpec o = BpfObjectSpec.read(testObject("legacy_iproute2"));
    assertNull(ObjectParser.read(testObject("legacy_iproute2")).btf(), "compiled with -g0");
    assertEquals(List.of("inner_tmpl", "outer", "pinned_counts"), o.maps().stream().map(MapSpec::name).toList());
    MapSpec outer = o.map("outer");
    assertMap(outer, "outer", MapType.ARRAY_OF_MAPS, 4, 4, 4, 0);
    assertNotNull(outer.innerMap());
    assertMap(outer.innerMap(), "inner_tmpl", MapType.ARRAY, 4, 8, 1, 0);
    assertEquals(Pinning.BY_NAME, o.map("pinned_counts").pinning());
    assertEquals(Pinning.NONE, o.map("outer").pinning());
    assertEquals("Dual BSD/GPL", o.license());
    ProgramSpec tc = o.program("tc_ingress").spec();
    assertEquals(ProgramType.SCHED_CLS, tc.type());
    assertEquals("ingress", tc.attachTarget());
    ProgramSpec kp = o.program("probe_open").spec();
    assertEquals(ProgramType.KPROBE, kp.type());
    assertEquals("do_sys_open", kp.attachTarget());
    assertTrue(o.variables().isEmpty());
  }

  @Test
  void globalDataSectionsBecomeArrayMapsNamedAsLibbpfNamesThem() {
    BpfObjectSpec o = open("global_config");
    assertEquals(List.of("global_c.rodata", "global_c.data", ".data.stats", "global_c.bss"),
        o.maps().stream().map(MapSpec::name).toList());
    ObjectMapSpec rodata = o.map("global_c.rodata").spec();
    assertMap(rodata, "global_c.rodata", MapType.ARRAY, 4, 8, 1, MapFlags.RDONLY_PROG | MapFlags.MMAPABLE);
    assertTrue(rodata.freezeAfterLoad());
    assertEquals(MapKind.GLOBAL_DATA, rodata.kind());
    assertEquals(".rodata", rodata.section());
    assertEquals(BtfKind.DATASEC, btf(sample("global_config")).type(rodata.valueTypeId()).kind());
    assertArrayEquals(new byte[] {0, 0, 0, 0, 2, 0, 0, 0}, rodata.initialData(), "min_len = 0, verdict = XDP_PASS");

    ObjectMapSpec data = o.map(".data").spec();
    assertEquals("global_c.data", data.name());
    assertMap(data, "global_c.data", MapType.ARRAY, 4, 4, 1, MapFlags.MMAPABLE);
    assertFalse(data.freezeAfterLoad());
    assertArrayEquals(new byte[] {3, 0, 0, 0}, data.initialData());
    assertArrayEquals(new byte[24], o.map(".bss").spec().initialData());
    assertEquals(8, o.map(".data.stats").valueSize());
  }

  @Test
  void globalVariablesCarryTheirSymbolOffsetsNotTheZerosClangWritesInBtf() {
    BpfObjectSpec o = open("global_config");
    assertEquals(new GlobalVariable("verdict", ".rodata", 4, 4, o.variable("verdict").btfTypeId()),
        o.variable("verdict"));
    assertEquals(16, o.variable("short_packets").offset());
    assertEquals(".data.stats", o.variable("last_len").section());
    assertEquals(7, o.variables().size());
    assertEquals(24, btf(sample("global_config")).find(BtfKind.DATASEC, ".bss").size(),
        "DATASEC size fixed up from the section");
  }

  @Test
  void rodataVariablesCanBeSetByNameBeforeLoad() {
    BpfObjectSpec o = open("global_config");
    o.setVariable("min_len", 60);
    o.setVariable("verdict", new byte[] {1, 0, 0, 0});
    assertArrayEquals(new byte[] {60, 0, 0, 0, 1, 0, 0, 0}, o.map(".rodata").spec().initialData());
    o.setVariable("bytes_seen", -1L);
    byte[] bss = o.map(".bss").spec().initialData();
    assertEquals(-1, bss[8]);
    assertEquals(-1, bss[15]);
    assertEquals(0, bss[16]);
  }

  @Test
  void settingAVariableChecksNameSizeAndRange() {
    BpfObjectSpec o = open("global_config");
    BpfException missing = assertThrows(BpfException.class, () -> o.setVariable("nope", 1));
    assertTrue(missing.getMessage().contains("no global variable 'nope'"), missing.getMessage());
    assertTrue(missing.getMessage().contains("min_len"), "lists the variables: " + missing.getMessage());
    BpfException size = assertThrows(BpfException.class, () -> o.setVariable("min_len", new byte[8]));
    assertTrue(size.getMessage().contains("is 4 bytes, not 8"), size.getMessage());
    BpfException range = assertThrows(BpfException.class, () -> o.setVariable("min_len", 1L << 32));
    assertTrue(range.getMessage().contains("does not fit"), range.getMessage());
  }

  @Test
  void eventsHasAKeylessRingBufferAndQueue() {
    BpfObjectSpec o = open("events");
    assertMap(o.map("events"), "events", MapType.RINGBUF, 0, 0, 64 * 1024, 0);
    assertMap(o.map("lengths"), "lengths", MapType.QUEUE, 0, 4, 128, 0);
    assertEquals("events.bss", o.map(".bss").name());
  }

  @Test
  void percpuCounterIsAPerCpuArrayUsedByASocketFilter() {
    BpfObjectSpec o = open("percpu_counter");
    assertMap(o.map("pkt_count"), "pkt_count", MapType.PERCPU_ARRAY, 4, 8, 1, 0);
    assertEquals(ProgramType.SOCKET_FILTER, o.program("count_packets").type());
  }

  @Test
  void mapInMapCarriesItsInnerDefinitionAndInitialSlots() {
    BpfObjectSpec o = open("map_in_map");
    ObjectMapSpec outer = o.map("outer_array").spec();
    assertMap(outer, "outer_array", MapType.ARRAY_OF_MAPS, 4, 4, 8, 0);
    assertMap(outer.innerMap(), "outer_array.inner", MapType.ARRAY, 4, 8, 4, 0);
    assertEquals(Map.of(0, "inner_a", 2, "inner_b"), outer.initialSlots());
    ObjectMapSpec hash = o.map("outer_hash").spec();
    assertMap(hash, "outer_hash", MapType.HASH_OF_MAPS, 4, 4, 16, 0);
    assertEquals(MapType.ARRAY, hash.innerMap().type());
    assertTrue(hash.initialSlots().isEmpty());
    assertMap(o.map("inner_a"), "inner_a", MapType.ARRAY, 4, 8, 4, 0);
  }

  @Test
  void progArraySlotsNameTheProgramsPlacedInThem() {
    BpfObjectSpec o = BpfObjectSpec.read(testObject("tail_calls"));
    ObjectMapSpec jumps = o.map("jumps").spec();
    assertMap(jumps, "jumps", MapType.PROG_ARRAY, 4, 4, 2, 0);
    assertNull(jumps.innerMap());
    assertEquals(Map.of(1, "tail"), jumps.initialSlots());
    assertEquals(List.of("tail", "entry"), o.programs().stream().map(BpfObjectSpec.ProgramDefinition::name).toList(),
        "two programs of one section");
    assertEquals(List.of("tail.____fmt", "entry.____fmt"),
        o.variables().stream().map(GlobalVariable::name).toList(), "bpf_printk's formats are .rodata");
  }

  @Test
  void unknownMapOrProgramNamesListWhatTheObjectHas() {
    BpfObjectSpec o = open("legacy_maps");
    BpfException e = assertThrows(BpfException.class, () -> o.map("nope"));
    assertTrue(e.getMessage().contains("[proto_count, len_hist]"), e.getMessage());
    BpfException p = assertThrows(BpfException.class, () -> o.program("nope"));
    assertTrue(p.getMessage().contains("[count_protocols]"), p.getMessage());
  }

  /** Binding needs a loaded object: a BpfObject exists only loaded. */
  private static BpfObject loaded(String sample) {
    KernelTests.needBpf();
    return BpfObject.load(sample(sample));
  }

  @Test
  void bindMapListsEveryDifferenceFromTheGeneratedSpec() {
    try (BpfObject o = loaded("xdp_counter")) {
      MapSpec wrong = MapSpec.of("xdp_stats", MapType.HASH, 8, 16, 10, 0);
      BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class,
          () -> o.bindMap(wrong, Codecs.U64, Codecs.bytes(16)));
      // Which side is which, and the fix, as the processor says it at compile time.
      assertTrue(e.getMessage().contains("Java is the record's @BpfMap and codecs, C is the object"), e.getMessage());
      assertTrue(e.differences().contains("type: Java HASH, C ARRAY; use type = MapType.ARRAY"), e.getMessage());
      assertTrue(e.differences().contains("key_size: Java 8, C 4"), e.getMessage());
    }
  }

  @Test
  void bindMapGivesTheFixForMaxEntriesAndFlags() {
    try (BpfObject o = loaded("xdp_counter")) {
      MapSpec wrong = MapSpec.of("xdp_stats", MapType.ARRAY, 4, 16, 8, 0x400);
      BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class,
          () -> o.bindMap(wrong, Codecs.U32, Codecs.bytes(16)));
      assertEquals(List.of("max_entries: Java 8, C 10; use maxEntries = 10",
          "map_flags: Java 0x400, C 0x0; use flags = 0x0"), e.differences());
    }
  }

  @Test
  void bindMapOfAnUnknownNameSaysWhereTheNameComesFrom() {
    try (BpfObject o = loaded("xdp_counter")) {
      BpfException e = assertThrows(BpfException.class,
          () -> o.bindMap(MapSpec.of("xdp_stat", MapType.ARRAY, 4, 16, 10, 0), Codecs.U32, Codecs.bytes(16)));
      assertTrue(e.getMessage().contains("has no map 'xdp_stat'; it has [xdp_stats]"), e.getMessage());
      assertTrue(e.getMessage().contains("@BpfMap(name = \"...\")"), e.getMessage());
    }
  }

  @Test
  void bindMapOfAMatchingSpecGivesANewFdOfTheLoadedMap() {
    try (BpfObject o = loaded("xdp_counter")) {
      MapSpec right = MapSpec.of("xdp_stats", MapType.ARRAY, 4, 16, 10, 0);
      try (MapFd bound = o.bindMap(right, Codecs.U32, Codecs.bytes(16)); MapFd byName = o.mapFd("xdp_stats")) {
        MapInfo info = bound.info();
        assertEquals(MapType.ARRAY, info.type());
        assertEquals(10, info.maxEntries());
        assertEquals(byName.info().id(), info.id(), "the object's map, not a new one");
      }
    }
  }

  @Test
  void aClosedObjectRefusesFurtherUse() {
    BpfObject o = loaded("xdp_counter");
    o.close();
    BpfException e = assertThrows(BpfException.class, o::mapNames);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    MapSpec right = MapSpec.of("xdp_stats", MapType.ARRAY, 4, 16, 10, 0);
    BpfException bind = assertThrows(BpfException.class, () -> o.bindMap(right, Codecs.U32, Codecs.bytes(16)));
    assertEquals("bindMap", bind.operation());
    assertTrue(bind.getMessage().contains("closed"), bind.getMessage());
  }

  @Test
  void aDeviceIsRefusedInsteadOfReadForever() {
    BpfException e = assertThrows(BpfException.class, () -> BpfObjectSpec.read(Path.of("/dev/zero")));
    assertTrue(e.getMessage().contains("/dev/zero: not a regular file"), e.getMessage());
  }

  @Test
  void aMissingFileIsABpfExceptionNamingIt() {
    BpfException e = assertThrows(BpfException.class, () -> BpfObjectSpec.read(Path.of("/nonexistent/x.bpf.o")));
    assertTrue(e.getMessage().contains("/nonexistent/x.bpf.o"), e.getMessage());
    BpfException load = assertThrows(BpfException.class, () -> BpfObject.load(Path.of("/nonexistent/x.bpf.o")));
    assertTrue(load.getMessage().contains("/nonexistent/x.bpf.o"), load.getMessage());
  }
}
