package io.github.bpfmaps.runtime.fuzz;

import static io.github.bpfmaps.runtime.fuzz.ObjectBytes.REL_SIZE;
import static io.github.bpfmaps.runtime.fuzz.ObjectBytes.SH_NAME;
import static io.github.bpfmaps.runtime.fuzz.ObjectBytes.SH_OFFSET;
import static io.github.bpfmaps.runtime.fuzz.ObjectBytes.SH_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfKind;
import io.github.bpfmaps.elf.BtfType;
import io.github.bpfmaps.elf.ElfFile;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import io.github.bpfmaps.spec.ObjectMapSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Damaged copies of real objects, one kind of damage per test: each must end in a {@link
 * BpfObjectFormatException} that names the file, the section and (for BTF) the type at fault, or,
 * where the damage is legal, in an object whose answers are finite. Independent of Jazzer; the
 * cases are the ones a fuzzer reaches only by luck (counts near 2^31 and 2^32, cycles, many
 * headers). {@code elf.MalformedObjectTest} has the simpler single-field cases (ELF class,
 * endianness, machine, truncation at every length, a TYPEDEF loop, bad string offsets, missing
 * symbols); they are not repeated here.
 */
class DamagedObjectTest {
  // ---- the ELF layer -------------------------------------------------------------------------

  @Test
  void everySectionWhoseSizeRunsPastTheFileIsNamedAsTruncated() {
    ObjectBytes original = ObjectBytes.sample("xdp_counter");
    int shstrndx = (int) original.get(62, 2);
    for (ElfFile.Section s : original.elf.sections()) {
      if (s.index() == 0 || s.type() == 8 /* SHT_NOBITS */) {
        continue;
      }
      ObjectBytes o = ObjectBytes.sample("xdp_counter");
      o.put(o.sectionHeader(s, SH_SIZE), 8, o.bytes.length);
      o.openFailsIn(s.index() == shstrndx ? "<section names>" : s.name(), "truncated");
    }
  }

  @Test
  void sectionOffsetsPastTheEndOrNegativeAreNamedAsTruncated() {
    for (long offset : new long[] {6936, 1L << 32, Long.MIN_VALUE, -8}) {
      for (String section : new String[] {"xdp", ".BTF", ".symtab", ".relxdp"}) {
        ObjectBytes o = ObjectBytes.sample("xdp_counter");
        o.put(o.sectionHeader(o.section(section), SH_OFFSET), 8, offset);
        o.openFailsIn(section, "truncated", "offset " + offset);
      }
    }
  }

  @Test
  void aSectionCountNear2To32FromExtendedNumberingIsRefusedBeforeReadingHeaders() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    o.put(60, 2, 0); // e_shnum = 0: the count is in section 0's sh_size
    o.put(o.get(40, 8) + SH_SIZE, 8, 0xffff_ffffL);
    assertRefusedWithin(1 << 20, o, "<section headers>", "section count 4294967295", "does not fit");
  }

  @Test
  void aSymbolTableClaimingNear2To31BytesIsTruncatedNotAllocated() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    o.put(o.sectionHeader(o.section(".symtab"), SH_SIZE), 8, 24L * 0x5555555); // 0x7ffffff8
    assertRefusedWithin(1 << 20, o, ".symtab", "truncated");
  }

  @Test
  void aRelocationSectionClaiming2To28RecordsIsTruncatedNotAllocated() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    o.put(o.sectionHeader(o.section(".relxdp"), SH_SIZE), 8, (long) REL_SIZE << 28);
    assertRefusedWithin(1 << 20, o, ".relxdp", "truncated");
  }

  @Test
  void aSymbolNameOutsideTheStringTableNamesTheSymbolNumber() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    o.put(o.symbol("xdp_stats", 0), 4, 0x7fff_fff0L);
    int index = o.elf.symbols().stream().filter(sym -> sym.name().equals("xdp_stats")).findFirst().orElseThrow().index();
    o.openFailsIn(".strtab", "name of symbol " + index + " offset 2147483632 is outside");
  }

  // ---- relocations ---------------------------------------------------------------------------

  // ---- BTF -----------------------------------------------------------------------------------

  /** In xdp_counter: [5] PTR -> [6] TYPEDEF '__u32' -> [7] INT; [9] STRUCT 'datarec'. */
  private static final int KEY_PTR = 5;
  private static final int U32_TYPEDEF = 6;
  private static final int DATAREC = 9;

  private static ObjectMapSpec xdpStats(ParsedObject object) {
    return object.named(object.maps(), ObjectMapSpec::name, "xdp_stats", "map", "");
  }

  @Test
  void aPointerTypedefCycleIsLegalAndSizesAsAPointer() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    o.put(o.btfType(U32_TYPEDEF) + 8, 4, KEY_PTR); // __u32 is now a pointer to __u32
    ParsedObject object = o.open();
    Btf btf = object.btf();
    assertEquals(BtfKind.PTR, btf.resolve(U32_TYPEDEF).kind());
    assertEquals(8, btf.sizeOf(U32_TYPEDEF));
    assertEquals(8, xdpStats(object).keySize(), "the key is the typedef, now pointer-sized");
  }

  @Test
  void aStructContainingItselfKeepsItsDeclaredSizeWithoutRecursing() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    o.put(o.btfType(DATAREC) + 12 + 4, 4, DATAREC); // member 'packets' is a datarec
    ParsedObject object = o.open();
    BtfType datarec = object.btf().type(DATAREC);
    assertEquals(DATAREC, datarec.member("packets").type());
    assertEquals(16, object.btf().sizeOf(DATAREC));
    assertEquals(16, xdpStats(object).valueSize());
  }

  @Test
  void btfStringAndTypeLengthsNear2To32AreRefusedBeforeAllocating() {
    for (int field : new int[] {12 /* type_len */, 20 /* str_len */}) {
      for (long length : new long[] {0x8000_0000L, 0xffff_fff0L}) {
        ObjectBytes o = ObjectBytes.sample("xdp_counter");
        o.put(o.btf() + field, 4, length);
        assertRefusedWithin(1 << 20, o, ".BTF", "(" + length + " bytes) lies past the end");
      }
    }
  }

  @Test
  void aBtfExtRecordCountNear2To32IsRefusedBeforeReading() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    long ext = o.section(".BTF.ext").offset();
    long funcInfo = ext + o.get(ext + 4, 4) + o.get(ext + 8, 4);
    o.put(funcInfo + 4 + 4, 4, 0xffff_ffffL); // num_info of the first section's func_info
    assertRefusedWithin(1 << 20, o, ".BTF.ext", "claims 4294967295 records");
  }

  // ---- map definitions -----------------------------------------------------------------------

  /** The ARRAY whose length is the value of {@code __uint(attribute, N)} in a BTF map definition. */
  private static int uintArray(ObjectBytes o, String map, String attribute) {
    Btf btf = o.types();
    BtfType def = btf.resolve(btf.find(BtfKind.VAR, map).type());
    return btf.resolve(btf.resolve(def.member(attribute).type()).type()).id();
  }

  @Test
  void aBtfMapTypeBeyondTheKnownTypesNamesTheMapAndItsBtfType() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    o.put(o.btfType(uintArray(o, "xdp_stats", "type")) + 20, 4, 10_000);
    o.openFailsIn(".maps", "map 'xdp_stats' has unknown map type 10000 (BTF type [14])");
  }

  @Test
  void aBtfMapPinningOtherThanNoneOrByNameIsRefused() {
    ObjectBytes o = ObjectBytes.sample("flows");
    // pinning and type are both 1 here and share one int[1]; point 'pinning' at max_entries' int[65536]
    Btf btf = o.types();
    BtfType def = btf.resolve(btf.find(BtfKind.VAR, "flows").type());
    int pinning = def.members().indexOf(def.member("pinning"));
    o.put(o.btfType(def.id()) + 12 + 12L * pinning + 4, 4, def.member("max_entries").type());
    o.openFailsIn(".maps", "map 'flows' has pinning 65536");
  }

  @Test
  void legacyKeyAndValueSizesBeyond2To31AreRefusedRatherThanTurnedNegative() {
    for (int field : new int[] {4 /* key_size */, 8 /* value_size */}) {
      ObjectBytes o = ObjectBytes.sample("legacy_maps");
      o.put(o.section("maps").offset() + field, 4, 0xffff_fff0L);
      o.openFailsIn("maps", "map 'proto_count'", "4294967280");
    }
  }

  @Test
  void btfKeySizesBeyond2To31AreRefusedRatherThanTurnedNegative() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    // key is __type(key, __u32); make it an array of 2^31 __u32 by retargeting the key pointer at
    // max_entries' array and growing that
    int maxEntries = uintArray(o, "xdp_stats", "max_entries");
    o.put(o.btfType(KEY_PTR) + 8, 4, maxEntries);
    o.put(o.btfType(maxEntries) + 20, 4, 0x2000_0000L); // int[2^29]: 2^31 bytes
    o.openFailsIn(".maps", "map 'xdp_stats': key size 2147483648");
  }

  @Test
  void twoMapDefinitionsSharingBytesAreRefused() {
    ObjectBytes o = ObjectBytes.sample("map_in_map");
    // the third DATASEC entry (outer_array) names inner_a's VAR instead, so two maps share bytes
    Btf btf = o.types();
    o.put(o.btfType(btf.find(BtfKind.DATASEC, ".maps").id()) + 12 + 12 * 2, 4, btf.find(BtfKind.VAR, "inner_a").id());
    o.openFailsIn(".maps", "map 'inner_a' at offset 0 (48 bytes) overlaps map 'inner_a' at offset 0");
  }

  // ---- amplification -------------------------------------------------------------------------

  @Test
  void manyBssSectionsCannotMakeTheReaderAllocateGigabytes() {
    ObjectBytes o = ObjectBytes.sample("global_config");
    long bssName = o.get(o.sectionHeader(o.section(".bss"), SH_NAME), 4);
    int retyped = 0;
    for (ElfFile.Section s : o.elf.sections()) {
      if (s.name().startsWith(".debug_")) {
        long h = o.sectionHeader(s, 0);
        o.put(h + SH_NAME, 4, bssName).put(h + ObjectBytes.SH_TYPE, 4, 8 /* SHT_NOBITS */);
        o.put(h + 8, 8, 3 /* SHF_WRITE | SHF_ALLOC */).put(h + SH_SIZE, 8, 16L << 20);
        retyped++;
      }
    }
    assertTrue(retyped >= 4, "retyped " + retyped + " sections");
    assertRefusedWithin(40L << 20, o, ".bss", "zero");
  }

  @Test
  void sectionsSharingBytesCannotMakeTheReaderCopyTheFileOverAndOver() {
    // 1000 more .rodata headers, each covering the whole file: 64 KiB of headers that would each be
    // copied out as a global-data map of the file's size
    ObjectBytes o = ObjectBytes.sample("global_config").withExtraSections(".rodata", 1000, 0, -1);
    assertRefusedWithin(40L << 20, o, ".rodata", "overlap section");
  }

  @Test
  void aCodeSectionOverlappingAnotherIsRefused() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    ElfFile.Section maps = o.section(".maps");
    o.put(o.sectionHeader(o.section("xdp"), SH_OFFSET), 8, maps.offset());
    o.openFailsIn(".maps", "overlap section 'xdp'");
  }

  /**
   * Opens {@code o}, expecting a format error in {@code section} mentioning {@code mentions}, and
   * checks that refusing it allocated at most {@code limit} beyond a few copies of the input.
   */
  private static void assertRefusedWithin(long limit, ObjectBytes o, String section, String... mentions) {
    o.openFailsIn(section, mentions); // also loads the classes involved, so the measurement is the reader's own
    Budget.within(Duration.ofSeconds(10), limit + 4L * o.bytes.length, o::openFails);
  }
}
