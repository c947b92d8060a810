package io.github.bpfmaps.runtime.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfKind;
import io.github.bpfmaps.elf.ElfFile;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.spec.GlobalVariable;
import io.github.bpfmaps.spec.ProgramSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Objects of a few MiB made of many small records must be read in about linear time: work per
 * record that scans every other record turns a 4 MB file into minutes. Too large for the fuzzer's
 * inputs; built here from the {@code global_config} sample.
 */
class ManyRecordsTest {
  private static final int DATASECS = 3;
  private static final int ENTRIES = 50_000; // per DATASEC; vlen has 16 bits
  private static final int SYMBOLS = 75_000;

  @Test
  void manyCodeSectionsAreMatchedToTheirRelocationsInLinearTime() {
    int copies = 100_000;
    ObjectBytes original = ObjectBytes.sample("xdp_counter");
    int shnum = original.elf.sections().size();
    byte[] exits = new byte[8 * copies];
    for (int i = 0; i < copies; i++) {
      exits[8 * i] = (byte) 0x95; // BPF_JMP | BPF_EXIT
    }
    long code = original.bytes.length;
    // copies of the empty '.text' header: executable, named .text, so no programs of their own
    ObjectBytes o = original.append(exits).withExtraSections(".text", copies, code, 8);
    for (int i = 0; i < copies; i++) {
      o.put(o.sectionHeader(shnum + i, ObjectBytes.SH_OFFSET), 8, code + 8L * i);
    }
    ParsedObject object = assertTimeoutPreemptively(Duration.ofSeconds(10), o::open);
    assertEquals(List.of("xdp_count"), object.programs().stream().map(ProgramSpec::name).toList());
  }

  @Test
  void manyCodeSectionsOverManySymbolsFindTheirFunctionsInLinearTime() {
    int copies = 60_000;
    int symbols = 300_000;
    ObjectBytes original = ObjectBytes.sample("xdp_counter");
    int shnum = original.elf.sections().size();
    ElfFile.Section symtab = original.section(".symtab");
    // the symbol table followed by all-zero (undefined, unnamed) symbols
    byte[] syms = Arrays.copyOf(
        Arrays.copyOfRange(original.bytes, (int) symtab.offset(), (int) (symtab.offset() + symtab.size())),
        (int) symtab.size() + 24 * symbols);
    byte[] exits = new byte[8 * copies];
    for (int i = 0; i < copies; i++) {
      exits[8 * i] = (byte) 0x95; // BPF_JMP | BPF_EXIT
    }
    long symsAt = original.bytes.length;
    long code = symsAt + syms.length;
    ObjectBytes o = original.append(syms).append(exits).withExtraSections(".text", copies, code, 8);
    for (int i = 0; i < copies; i++) {
      o.put(o.sectionHeader(shnum + i, ObjectBytes.SH_OFFSET), 8, code + 8L * i);
    }
    long symHeader = o.sectionHeader(symtab, 0);
    o.put(symHeader + ObjectBytes.SH_OFFSET, 8, symsAt).put(symHeader + ObjectBytes.SH_SIZE, 8, syms.length);
    ParsedObject object = assertTimeoutPreemptively(Duration.ofSeconds(10), o::open);
    assertEquals(List.of("xdp_count"), object.programs().stream().map(ProgramSpec::name).toList());
  }

  @Test
  void aDatasecOfManyEntriesOverManySymbolsIsLaidOutInLinearTime() {
    ObjectBytes o = ObjectBytes.sample("global_config");
    // BTF: DATASECS more DATASECs '.data' whose ENTRIES entries each all name VAR 'min_len' (a .rodata
    // variable, so no .data symbol matches and every lookup would scan the whole symbol table)
    long btf = o.btf();
    int hdrLen = (int) o.get(btf + 4, 4);
    int typeLen = (int) o.get(btf + 12, 4);
    int strLen = (int) o.get(btf + 20, 4);
    long types = btf + hdrLen + o.get(btf + 8, 4);
    long strings = btf + hdrLen + o.get(btf + 16, 4);
    int dataDatasec;
    int minLen;
    Btf original = o.open().btf();
    dataDatasec = original.find(BtfKind.DATASEC, ".data").id();
    minLen = original.find(BtfKind.VAR, "min_len").id();
    int extra = DATASECS * (12 + 12 * ENTRIES);
    ByteBuffer newBtf = ByteBuffer.allocate(hdrLen + typeLen + extra + strLen).order(ByteOrder.LITTLE_ENDIAN);
    newBtf.put(Arrays.copyOfRange(o.bytes, (int) btf, (int) btf + hdrLen));
    newBtf.putInt(8, 0).putInt(12, typeLen + extra).putInt(16, typeLen + extra).putInt(20, strLen);
    newBtf.position(hdrLen);
    newBtf.put(Arrays.copyOfRange(o.bytes, (int) types, (int) types + typeLen));
    for (int d = 0; d < DATASECS; d++) {
      newBtf.putInt((int) o.get(o.btfType(dataDatasec), 4)).putInt(15 << 24 | ENTRIES).putInt(0);
      for (int i = 0; i < ENTRIES; i++) {
        newBtf.putInt(minLen).putInt(0).putInt(4);
      }
    }
    newBtf.put(Arrays.copyOfRange(o.bytes, (int) strings, (int) strings + strLen));
    // symbols: SYMBOLS more in .data, all named 'verdict'
    ElfFile.Section symtab = o.section(".symtab");
    ByteBuffer syms = ByteBuffer.allocate((int) symtab.size() + 24 * SYMBOLS).order(ByteOrder.LITTLE_ENDIAN);
    syms.put(Arrays.copyOfRange(o.bytes, (int) symtab.offset(), (int) (symtab.offset() + symtab.size())));
    long verdictName = o.get(o.symbol("verdict", 0), 4);
    int data = o.section(".data").index();
    for (int i = 0; i < SYMBOLS; i++) {
      syms.putInt((int) verdictName).put((byte) 0x11).put((byte) 0).putShort((short) data).putLong(0).putLong(4);
    }
    long btfAt = o.bytes.length;
    long symsAt = btfAt + newBtf.capacity();
    ObjectBytes big = o.append(newBtf.array()).append(syms.array());
    long btfHeader = big.sectionHeader(o.section(".BTF"), 0);
    big.put(btfHeader + ObjectBytes.SH_OFFSET, 8, btfAt).put(btfHeader + ObjectBytes.SH_SIZE, 8, newBtf.capacity());
    long symHeader = big.sectionHeader(symtab, 0);
    big.put(symHeader + ObjectBytes.SH_OFFSET, 8, symsAt).put(symHeader + ObjectBytes.SH_SIZE, 8, syms.capacity());

    ParsedObject object = assertTimeoutPreemptively(Duration.ofSeconds(10), big::open);
    assertEquals(ENTRIES, object.btf().types().get(object.btf().typeCount() - 1).variables().size());
    assertEquals(4, object.named(object.variables(), GlobalVariable::name, "config_version", "global variable", "")
        .size(), "the real .data DATASEC still counts");
  }
}
