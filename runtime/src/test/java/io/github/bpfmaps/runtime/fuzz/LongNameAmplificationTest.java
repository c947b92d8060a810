package io.github.bpfmaps.runtime.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfExt;
import io.github.bpfmaps.elf.ElfFile;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Names are NUL-terminated offsets into a string table, so many small records can all name one
 * long string. Read naively, each record scans and copies the whole string: a few MiB of input
 * become gigabytes and minutes. Too large for the fuzzer's inputs to stumble on.
 */
class LongNameAmplificationTest {
  private static final int TYPES = 100_000;
  private static final int NAME = 1 << 20;

  /** BTF of {@code TYPES} INT types, all named by one string of {@code NAME} bytes. */
  private static byte[] manyTypesNamedByOneLongString() {
    int typeLen = TYPES * 16;
    int strLen = NAME + 2;
    ByteBuffer b = ByteBuffer.allocate(24 + typeLen + strLen).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) Btf.MAGIC).put((byte) 1).put((byte) 0).putInt(24);
    b.putInt(0).putInt(typeLen).putInt(typeLen).putInt(strLen);
    for (int i = 0; i < TYPES; i++) {
      b.putInt(1).putInt(1 << 24 /* INT */).putInt(4).putInt(32); // 4-byte, 32-bit INT named at 1
    }
    byte[] name = new byte[NAME];
    Arrays.fill(name, (byte) 'a');
    b.put((byte) 0).put(name).put((byte) 0);
    return b.array();
  }

  /** NUL, then {@code NAME} bytes of 'a', then NUL: a string table whose string 1 is huge. */
  private static byte[] oneLongString() {
    byte[] s = new byte[NAME + 2];
    Arrays.fill(s, 1, NAME + 1, (byte) 'a');
    return s;
  }

  @Test
  void symbolsNamedByOneHugeStringAreRefusedQuicklyWithoutCopyingItPerSymbol() {
    ObjectBytes original = ObjectBytes.sample("xdp_counter");
    int shnum = original.elf.sections().size();
    long strings = original.bytes.length;
    ObjectBytes o = original.append(oneLongString());
    long symbols = o.bytes.length;
    ByteBuffer syms = ByteBuffer.allocate(TYPES * 24).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 1; i < TYPES; i++) {
      syms.putInt(i * 24, 1); // st_name = 1; undefined NOTYPE symbols otherwise
    }
    o = o.append(syms.array()).withExtraSections(".strtab", 1, strings, NAME + 2);
    long symtab = o.sectionHeader(o.section(".symtab"), 0);
    o.put(symtab + ObjectBytes.SH_OFFSET, 8, symbols).put(symtab + ObjectBytes.SH_SIZE, 8, TYPES * 24L);
    o.put(symtab + 40, 4, shnum); // sh_link: the appended string table
    BpfObjectFormatException e = refusedQuickly(o);
    assertEquals(".strtab", e.section());
    assertTrue(e.getMessage().contains("name of symbol 1") && e.getMessage().contains("longer than"),
        e.getMessage());
  }

  @Test
  void sectionsNamedByOneHugeStringAreRefusedQuicklyWithoutCopyingItPerSection() {
    ObjectBytes original = ObjectBytes.sample("xdp_counter");
    int shnum = original.elf.sections().size();
    ElfFile.Section names = original.section(".strtab");
    byte[] table = Arrays.copyOfRange(original.bytes, (int) names.offset(), (int) (names.offset() + names.size()));
    long longName = names.size() + 1;
    byte[] newTable = Arrays.copyOf(table, table.length + NAME + 2);
    System.arraycopy(oneLongString(), 0, newTable, table.length, NAME + 2);
    long at = original.bytes.length;
    int copies = 40_000;
    ObjectBytes o = original.append(newTable).withExtraSections(".text", copies + 1, 0, 0);
    // the first extra section is the new name table; the others are empty and named by the long string
    long nameTable = o.sectionHeader(shnum, 0);
    System.arraycopy(o.bytes, (int) o.sectionHeader(names, 0), o.bytes, (int) nameTable, 64);
    o.put(nameTable + ObjectBytes.SH_OFFSET, 8, at).put(nameTable + ObjectBytes.SH_SIZE, 8, newTable.length);
    o.put(62, 2, shnum); // e_shstrndx
    for (int i = 1; i <= copies; i++) {
      o.put(o.sectionHeader(shnum + i, ObjectBytes.SH_NAME), 4, table.length + 1);
    }
    assertEquals(longName, table.length + 1);
    BpfObjectFormatException e = refusedQuickly(o);
    assertEquals("<section names>", e.section());
    assertTrue(e.getMessage().contains("name of section " + (shnum + 1)) && e.getMessage().contains("longer than"),
        e.getMessage());
  }

  @Test
  void btfExtRecordsNamingOneHugeStringAreRefusedQuicklyWithoutCopyingItPerRecord() {
    ObjectBytes o = ObjectBytes.sample("xdp_counter");
    ElfFile.Section btfSection = o.section(".BTF");
    byte[] raw = Arrays.copyOfRange(o.bytes, (int) btfSection.offset(), (int) (btfSection.offset() + btfSection.size()));
    // the same BTF with one huge string appended to its string section (the last part of it)
    ByteBuffer grown = ByteBuffer.allocate(raw.length + NAME + 1).order(ByteOrder.LITTLE_ENDIAN);
    grown.put(raw);
    long longName = grown.getInt(20);
    grown.putInt(20, (int) longName + NAME + 1);
    byte[] name = new byte[NAME + 1];
    Arrays.fill(name, 0, NAME, (byte) 'a');
    grown.put(name);
    Btf btf = Btf.parse(grown.array(), o.file);
    // .BTF.ext whose func_info lists TYPES sections, each with no records, each named by that string
    int funcInfoLen = 4 + 8 * TYPES;
    ByteBuffer ext = ByteBuffer.allocate(32 + funcInfoLen).order(ByteOrder.LITTLE_ENDIAN);
    ext.putShort((short) Btf.MAGIC).put((byte) 1).put((byte) 0).putInt(32);
    ext.putInt(0).putInt(funcInfoLen).putInt(funcInfoLen).putInt(0).putInt(funcInfoLen).putInt(0);
    ext.putInt(8);
    for (int i = 0; i < TYPES; i++) {
      ext.putInt((int) longName).putInt(0);
    }
    BpfObjectFormatException e = Budget.within(Duration.ofSeconds(10), 64L * ext.capacity(),
        () -> assertThrows(BpfObjectFormatException.class, () -> BtfExt.parse(ext.array(), btf)));
    assertEquals(".BTF.ext", e.section());
    assertTrue(e.getMessage().contains("func_info section name offset " + longName), e.getMessage());
  }

  private static BpfObjectFormatException refusedQuickly(ObjectBytes o) {
    return Budget.within(Duration.ofSeconds(10), 64L * o.bytes.length, o::openFails);
  }

  @Test
  void typesNamedByOneHugeStringAreRefusedQuicklyWithoutCopyingItPerType() {
    byte[] btf = manyTypesNamedByOneLongString();
    BpfObjectFormatException e = Budget.within(Duration.ofSeconds(10), 16L * btf.length,
        () -> assertThrows(BpfObjectFormatException.class, () -> Btf.parse(btf, "long-names.btf")));
    assertEquals(".BTF", e.section());
    assertTrue(e.getMessage().contains("type [1]") && e.getMessage().contains("longer than"), e.getMessage());
  }
}
