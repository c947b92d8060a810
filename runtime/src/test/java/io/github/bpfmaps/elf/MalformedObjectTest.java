package io.github.bpfmaps.elf;

import static io.github.bpfmaps.elf.TestObjects.bytes;
import static io.github.bpfmaps.elf.TestObjects.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpfmaps.elf.ElfFile.Section;
import io.github.bpfmaps.elf.ElfFile.Symbol;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import io.github.bpfmaps.spec.ProgramSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every way a real object can be broken ends in a BpfObjectFormatException naming file and section. */
class MalformedObjectTest {
  private static final String FILE = "broken.bpf.o";

  /** A copy of a real object with helpers to find and overwrite its parts. */
  private static final class Mutant {
    final byte[] b;
    final ElfFile elf;

    Mutant(Path object) {
      b = bytes(object);
      elf = ElfFile.parse(b.clone(), object.toString());
    }

    Section section(String name) {
      Section s = elf.section(name);
      if (s == null) {
        throw new AssertionError("no section " + name);
      }
      return s;
    }

    long sectionHeader(String name) {
      return le(40, 8) + section(name).index() * 64L;
    }

    long symbol(String name) {
      Section symtab = section(".symtab");
      for (Symbol s : elf.symbols()) {
        if (s.name().equals(name)) {
          return symtab.offset() + s.index() * 24L;
        }
      }
      throw new AssertionError("no symbol " + name);
    }

    long btfType(BtfKind kind, String name) {
      Section s = section(".BTF");
      Btf btf = Btf.parse(elf.contents(s), "x");
      BtfType t = btf.find(kind, name);
      if (t == null) {
        throw new AssertionError("no type " + name);
      }
      return s.offset() + btf.typeOffset(t.id());
    }

    /** The offset of a string in the .BTF string table. */
    long btfStringOffset(String s) {
      Section sec = section(".BTF");
      long hdr = le(sec.offset() + 4, 4);
      long strOff = le(sec.offset() + 16, 4);
      long strLen = le(sec.offset() + 20, 4);
      long base = sec.offset() + hdr + strOff;
      byte[] want = (s + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      outer:
      for (long p = 0; p + want.length <= strLen; p++) {
        for (int i = 0; i < want.length; i++) {
          if (b[(int) (base + p) + i] != want[i]) {
            continue outer;
          }
        }
        if (p == 0 || b[(int) (base + p - 1)] == 0) {
          return p;
        }
      }
      throw new AssertionError("no string " + s);
    }

    long le(long at, int n) {
      long v = 0;
      for (int i = n - 1; i >= 0; i--) {
        v = v << 8 | (b[(int) at + i] & 0xff);
      }
      return v;
    }

    Mutant put(long at, int n, long value) {
      for (int i = 0; i < n; i++) {
        b[(int) at + i] = (byte) (value >>> (8 * i));
      }
      return this;
    }

    ParsedObject parse() {
      return ObjectParser.parse(b, FILE, "broken");
    }
  }

  private static BpfObjectFormatException broken(Path object, Consumer<Mutant> mutation) {
    Mutant m = new Mutant(object);
    mutation.accept(m);
    BpfObjectFormatException e = assertThrows(BpfObjectFormatException.class, m::parse);
    assertTrue(e.getMessage().startsWith(FILE + ": "), "names the file: " + e.getMessage());
    assertEquals(FILE, e.target());
    assertEquals(0, e.errno());
    return e;
  }

  private static void assertMentions(BpfObjectFormatException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
  }

  @Test
  void everyTruncationIsAFormatError() {
    byte[] whole = bytes(sample("global_config"));
    for (int len = 0; len < whole.length; len++) {
      byte[] cut = Arrays.copyOf(whole, len);
      assertThrows(BpfObjectFormatException.class, () -> ObjectParser.parse(cut, FILE, "x"), "length " + len);
    }
  }

  @Test
  void aTruncatedSectionIsNamed() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> m.put(m.sectionHeader(".BTF") + 32, 8, 1 << 20));
    assertEquals(".BTF", e.section());
    assertMentions(e, "section '.BTF'", "truncated");
  }

  @Test
  void aSectionOffsetPastTheEndIsNamed() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> m.put(m.sectionHeader("xdp") + 24, 8, -8L));
    assertMentions(e, "section 'xdp'", "past the end");
  }

  @Test
  void wrongElfClassIsRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(4, 1, 1)), "ELFCLASS64");
  }

  @Test
  void bigEndianObjectsAreRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(5, 1, 2)), "not little-endian", "bpfeb");
  }

  @Test
  void objectsForAnotherMachineAreRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(18, 2, 62)), "ELF machine 62 is not EM_BPF");
  }

  @Test
  void linkedExecutablesAreRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(16, 2, 2)), "not a relocatable object (ET_REL)");
  }

  @Test
  void btfDefinedMapsWithoutBtfAskForDashG() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> {
      long nameOff = m.le(m.sectionHeader(".BTF"), 4);
      long shstrtab = m.elf.sections().get((int) m.le(62, 2)).offset();
      m.put(shstrtab + nameOff + 1, 1, 'X'); // ".BTF" becomes ".XTF"
    });
    assertEquals(".maps", e.section());
    assertMentions(e, "BTF-defined maps need the .BTF section; compile with clang -g");
  }

  @Test
  void aMapDeclaredTwiceIsRejected() {
    // rename the legacy map 'len_hist' to 'proto_count' by pointing its name at the other's
    BpfObjectFormatException e = broken(sample("legacy_maps"), m -> m.put(m.symbol("len_hist"), 4, m.le(m.symbol("proto_count"), 4)));
    assertMentions(e, "map 'proto_count' is declared again");
  }

  @Test
  void nonElfBytesAreRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(0, 4, 0x464c457eL)), "bad magic");
  }

  @Test
  void aHugeSectionCountIsRejectedWithoutAllocatingForIt() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(60, 2, 0xffff)), "section count 65535");
  }

  @Test
  void aSectionNameTableIndexOutOfRangeIsRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(62, 2, 999)), "section name table index 999");
  }

  @Test
  void aBadSectionNameOffsetIsRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(m.sectionHeader("xdp"), 4, 1 << 30)), "name of section");
  }

  @Test
  void circularBtfTypesNameTheTypeId() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> {
      long typedef = m.btfType(BtfKind.TYPEDEF, "__u32");
      Btf btf = Btf.parse(m.elf.contents(m.section(".BTF")), "x");
      m.put(typedef + 8, 4, btf.find(BtfKind.TYPEDEF, "__u32").id());
    });
    assertEquals(".BTF", e.section());
    assertMentions(e, "section '.BTF'", "type [", "circular type reference through TYPEDEF");
  }

  @Test
  void aLongerBtfCycleThroughConstAndArrayIsFound() {
    BtfBuilder b = new BtfBuilder();
    int c = b.type("", BtfKind.CONST, 0, false, 2);
    b.type("", BtfKind.ARRAY, 0, false, 0);
    b.u32(3).u32(3).u32(4);
    b.type("t", BtfKind.TYPEDEF, 0, false, c);
    BpfObjectFormatException e = assertThrows(BpfObjectFormatException.class, () -> Btf.parse(b.build(), FILE));
    assertMentions(e, FILE, "circular");
  }

  @Test
  void aBadBtfStringOffsetNamesTheTypeId() {
    BpfObjectFormatException e = broken(sample("xdp_counter"),
        m -> m.put(m.btfType(BtfKind.STRUCT, "datarec"), 4, 0x7fffffff));
    assertMentions(e, "section '.BTF'", "type [", "bad string offset 2147483647");
  }

  @Test
  void aHugeBtfMemberCountIsATruncationNotAnAllocation() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> {
      long at = m.btfType(BtfKind.STRUCT, "datarec") + 4;
      m.put(at, 4, m.le(at, 4) | 0xffff);
    });
    assertMentions(e, "section '.BTF'");
  }

  @Test
  void aBtfTypeReferenceOutOfRangeNamesTheTypeId() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> m.put(m.btfType(BtfKind.TYPEDEF, "__u32") + 8, 4, 99999));
    assertMentions(e, "type [", "refers to type 99999");
  }

  @Test
  void anUnknownBtfKindIsRejected() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> {
      long at = m.btfType(BtfKind.TYPEDEF, "__u32") + 4;
      m.put(at, 4, 31L << 24);
    });
    assertMentions(e, "unknown BTF kind 31");
  }

  @Test
  void aBadBtfExtRecordSizeIsNamed() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> {
      Section ext = m.section(".BTF.ext");
      long hdr = m.le(ext.offset() + 4, 4);
      long funcInfo = ext.offset() + hdr + m.le(ext.offset() + 8, 4);
      m.put(funcInfo, 4, 0);
    });
    assertEquals(".BTF.ext", e.section());
    assertMentions(e, "func_info record size 0");
  }

  @Test
  void anUndefinedSymbolUnderAnotherRelocationTypeIsRejected() {
    BpfObjectFormatException e = broken(TestObjects.testObject("externs"),
        m -> m.put(m.section(".relxdp").offset() + 8, 4, 3)); // R_BPF_64_ABS32 against LINUX_KERNEL_VERSION
    assertEquals("xdp", e.section());
    assertMentions(e, "undefined symbol 'LINUX_KERNEL_VERSION' with relocation type 3");
  }

  @Test
  void aRelocationOfAMissingSymbolIsNamed() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> m.put(m.section(".relxdp").offset() + 12, 4, 100000));
    assertEquals(".relxdp", e.section());
    assertMentions(e, "refers to symbol 100000");
  }

  @Test
  void aRelocationBetweenInstructionsIsRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(m.section(".relxdp").offset(), 8, 3)),
        "section 'xdp'", "is not an instruction");
  }

  @Test
  void anUnsupportedRelocationTypeIsRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(m.section(".relxdp").offset() + 8, 4, 3)),
        "relocation type 3", "only ld_imm64");
  }

  @Test
  void aRelocationIntoANonMapSectionIsRejected() {
    assertMentions(broken(sample("xdp_counter"), m -> m.put(m.symbol("xdp_stats") + 6, 2, m.section("license").index())),
        "refers to section 'license'");
  }

  @Test
  void aCallOutsideAnyFunctionIsRejected() {
    BpfObjectFormatException e = broken(sample("global_config"), m -> {
      long call = m.section("xdp").offset() + 17 * 8 + 4;
      m.put(call, 4, 1000);
    });
    assertMentions(e, "section 'xdp'", "not inside any function");
  }

  @Test
  void aLegacyMapsSectionOfTheWrongSizeIsRejected() {
    BpfObjectFormatException e = broken(sample("legacy_maps"), m -> m.put(m.sectionHeader("maps") + 32, 8, 39));
    assertEquals("maps", e.section());
    assertMentions(e, "size 39 is not a multiple of its 2 map symbols");
  }

  @Test
  void anUnknownMapTypeIsRejected() {
    assertMentions(broken(sample("legacy_maps"), m -> m.put(m.section("maps").offset(), 4, 999)),
        "map 'proto_count' has unknown map type 999");
  }

  @Test
  void aLegacyInnerMapIdThatNoMapHasIsRejected() {
    BpfObjectFormatException e = broken(TestObjects.testObject("legacy_iproute2"),
        m -> m.put(m.section("maps").offset() + m.le(m.symbol("outer") + 8, 8) + 28, 4, 99));
    assertEquals("maps", e.section());
    assertMentions(e, "map 'outer' names inner map id 99");
  }

  @Test
  void aBtfMapWithAnUnknownAttributeIsRejected() {
    BpfObjectFormatException e = broken(sample("xdp_counter"), m -> {
      Btf btf = Btf.parse(m.elf.contents(m.section(".BTF")), "x");
      BtfType def = btf.resolve(btf.find(BtfKind.VAR, "xdp_stats").type());
      long member = m.section(".BTF").offset() + btf.typeOffset(def.id()) + 12;
      m.put(member, 4, m.btfStringOffset("datarec"));
    });
    assertEquals(".maps", e.section());
    assertMentions(e, "map 'xdp_stats' has unknown attribute 'datarec'", "BTF type [");
  }

  @Test
  void aHugeBssIsRejectedInsteadOfAllocated() {
    assertMentions(broken(sample("events"), m -> m.put(m.sectionHeader(".bss") + 32, 8, 1L << 40)),
        "section '.bss'", "too large");
  }

  @Test
  void objectsWithoutFunctionSymbolsMakeEachSectionOneProgram() {
    Mutant m = new Mutant(sample("legacy_maps"));
    m.put(m.symbol("count_protocols") + 4, 1, 0x10); // STB_GLOBAL, STT_NOTYPE
    List<ProgramSpec> programs = m.parse().programs();
    assertEquals(1, programs.size());
    assertEquals("socket", programs.get(0).name());
    assertEquals(34, programs.get(0).instructionCount());
  }

  @Test
  void randomCorruptionNeverEscapesAsAnotherExceptionOrHangs() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      Random random = new Random(20261124);
      // A fixed total of corruptions spread over the objects, so each new test object does not add
      // another 1500 rounds and push the test past its timeout on a busy machine.
      List<Path> objects = TestObjects.allObjects();
      int rounds = Math.max(500, 22_500 / objects.size());
      for (Path object : objects) {
        byte[] original = bytes(object);
        // Half the corruption lands in the parts the reader interprets (not DWARF), so it gets past
        // the first checks more often.
        List<long[]> parts = new java.util.ArrayList<>();
        ElfFile elf = ElfFile.parse(original, object.toString());
        for (Section s : elf.sections()) {
          if (s.index() != 0 && !s.name().startsWith(".debug") && s.type() != ElfFile.SHT_NOBITS && s.size() > 0) {
            parts.add(new long[] {s.offset(), s.size()});
          }
        }
        parts.add(new long[] {0, 64});
        for (int round = 0; round < rounds; round++) {
          byte[] b = original.clone();
          int flips = 1 + random.nextInt(8);
          for (int i = 0; i < flips; i++) {
            int at = random.nextInt(b.length);
            if (random.nextBoolean()) {
              long[] part = parts.get(random.nextInt(parts.size()));
              at = (int) (part[0] + random.nextInt((int) part[1]));
            }
            b[at] = (byte) random.nextInt(256);
          }
          try {
            ParsedObject o = ObjectParser.parse(b, FILE, "fuzz");
            for (ProgramSpec p : o.programs()) {
              try {
                ProgramLinker.link(o, p.name(), name -> 3);
              } catch (BpfException e) {
                if (e instanceof BpfObjectFormatException) {
                  throw e;
                }
                // a corrupted symbol can turn into an extern, which linking refuses by design
                assertTrue(e.getMessage().contains("externs are resolved against the running kernel when the object is loaded"),
                    e.getMessage());
              }
            }
          } catch (BpfObjectFormatException expected) {
            assertTrue(expected.getMessage().startsWith(FILE), expected.getMessage());
            if (expected.getCause() != null) {
              fail(object.getFileName() + " round " + round + ": caught only by the safety net", expected.getCause());
            }
          } catch (RuntimeException e) {
            fail(object.getFileName() + " round " + round + ": " + e, e);
          }
        }
      }
    });
  }
}
