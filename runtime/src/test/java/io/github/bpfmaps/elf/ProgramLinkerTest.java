package io.github.bpfmaps.elf;

import static io.github.bpfmaps.elf.TestObjects.bytes;
import static io.github.bpfmaps.elf.TestObjects.sample;
import static io.github.bpfmaps.elf.TestObjects.testObject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.elf.BtfExt.FuncInfo;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.spec.ProgramSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramLinkerTest {
  private static ParsedObject parse(Path p) {
    String name = p.getFileName().toString();
    return ObjectParser.parse(bytes(p), p.toString(), ObjectParser.objectName(name));
  }

  private static ProgramSpec program(ParsedObject o, String name) {
    return o.programs().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static int relocAt(ParsedObject o, String program, String symbol) {
    return o.relocations(program(o, program)).stream().filter(r -> r.symbol().equals(symbol))
        .findFirst().orElseThrow().instruction();
  }

  @Test
  void mapReferencesBecomePseudoMapFdLoadsOfTheGivenFd() {
    ParsedObject o = parse(sample("xdp_counter"));
    LinkedProgram l = ProgramLinker.link(o, "xdp_count", name -> 42);
    byte[] before = o.instructions(program(o, "xdp_count"));
    int at = relocAt(o, "xdp_count", "xdp_stats");
    byte[] code = l.instructions();
    assertEquals(Insn.LD_IMM64, Insn.opcode(code, at));
    assertEquals(Insn.PSEUDO_MAP_FD, Insn.srcReg(code, at));
    assertEquals(42, Insn.imm(code, at));
    assertEquals(0, Insn.imm(code, at + 1));
    assertEquals(before.length, code.length, "no subprograms");
    for (int i = 0; i < code.length / 8; i++) {
      if (i != at) {
        assertArrayEquals(Arrays.copyOfRange(before, i * 8, i * 8 + 8), Arrays.copyOfRange(code, i * 8, i * 8 + 8),
            "instruction " + i + " is untouched");
      }
    }
    assertEquals(List.of("xdp_stats"), l.mapsUsed());
  }

  @Test
  void globalDataReferencesBecomePseudoMapValueLoadsWithTheVariableOffset() {
    ParsedObject o = parse(sample("global_config"));
    Map<String, Integer> fds = Map.of("global_c.rodata", 10, "global_c.bss", 11, ".data.stats", 12);
    LinkedProgram l = ProgramLinker.link(o, "xdp_config", fds::get);
    byte[] code = l.instructions();
    int verdict = relocAt(o, "xdp_config", "verdict");
    assertEquals(Insn.PSEUDO_MAP_VALUE, Insn.srcReg(code, verdict));
    assertEquals(10, Insn.imm(code, verdict));
    assertEquals(4, Insn.imm(code, verdict + 1), "verdict is 4 bytes into .rodata");
    int shortPackets = relocAt(o, "xdp_config", "short_packets");
    assertEquals(11, Insn.imm(code, shortPackets));
    assertEquals(16, Insn.imm(code, shortPackets + 1));
    assertEquals(List.of("global_c.bss", ".data.stats", "global_c.rodata"), l.mapsUsed());
  }

  @Test
  void aCalledSubprogramIsAppendedAndTheCallOffsetPointsAtIt() {
    ParsedObject o = parse(sample("global_config"));
    LinkedProgram l = ProgramLinker.link(o, "xdp_config", name -> 3);
    byte[] code = l.instructions();
    int main = program(o, "xdp_config").instructionCount();
    assertEquals(main + 7, l.instructionCount(), "is_short (7 instructions) appended");
    int call = relocAt(o, "xdp_config", ".text");
    assertEquals(Insn.PSEUDO_CALL, Insn.srcReg(code, call));
    assertEquals(main, call + 1 + Insn.imm(code, call), "the call lands on the first appended instruction");
    // is_short's own reference to min_len is relocated too
    assertEquals(Insn.LD_IMM64, Insn.opcode(code, main));
    assertEquals(Insn.PSEUDO_MAP_VALUE, Insn.srcReg(code, main));
    assertEquals(List.of(new FuncInfo(0, 7), new FuncInfo(main, 11)), l.funcInfo(),
        "func info moves with the subprogram");
    assertTrue(l.lineInfo().stream().anyMatch(li -> li.instruction() >= main), "line info moves too");
  }

  @Test
  void staticAndGlobalCallsAndCallbackAddressesAreLinkedInFirstReachedOrder() {
    ParsedObject o = parse(testObject("btf_kinds"));
    LinkedProgram l = ProgramLinker.link(o, "use_kinds", name -> 5);
    byte[] code = l.instructions();
    // use_kinds (30) then callback (2) at 30, static_twice (3) at 32, global_add (3) at 35
    assertEquals(38, l.instructionCount());
    Btf btf = o.btf();
    List<String> order = new ArrayList<>();
    for (FuncInfo fi : l.funcInfo()) {
      order.add(fi.instruction() + ":" + btf.type(fi.typeId()).name());
    }
    assertEquals(List.of("0:use_kinds", "30:callback", "32:static_twice", "35:global_add"), order);
    assertEquals(Insn.PSEUDO_FUNC, Insn.srcReg(code, 10));
    assertEquals(30, 10 + 1 + Insn.imm(code, 10), "bpf_loop's callback address");
    assertEquals(32, 20 + 1 + Insn.imm(code, 20), "static call through the section symbol");
    assertEquals(35, 25 + 1 + Insn.imm(code, 25), "global call through the function symbol");
    assertEquals(35, 33 + 1 + Insn.imm(code, 33), "static_twice calls the already appended global_add");
  }

  @Test
  void infoRecordsAreLaidOutAsTheKernelStructs() {
    ParsedObject o = parse(sample("global_config"));
    LinkedProgram l = ProgramLinker.link(o, "xdp_config", name -> 3);
    java.nio.ByteBuffer fi = java.nio.ByteBuffer.wrap(l.funcInfoBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(2 * LinkedProgram.FUNC_INFO_SIZE, fi.capacity());
    assertEquals(List.of(0, 7, 32, 11), List.of(fi.getInt(0), fi.getInt(4), fi.getInt(8), fi.getInt(12)));
    java.nio.ByteBuffer li = java.nio.ByteBuffer.wrap(l.lineInfoBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(l.lineInfo().size() * LinkedProgram.LINE_INFO_SIZE, li.capacity());
    BtfExt.LineInfo last = l.lineInfo().get(l.lineInfo().size() - 1);
    int at = li.capacity() - LinkedProgram.LINE_INFO_SIZE;
    assertEquals(List.of(last.instruction(), last.fileNameOffset(), last.lineOffset(), last.lineCol()),
        List.of(li.getInt(at), li.getInt(at + 4), li.getInt(at + 8), li.getInt(at + 12)));
    assertTrue(o.btf().string(last.fileNameOffset()).endsWith("global_config.bpf.c"));

    LinkedProgram core = ProgramLinker.link(parse(testObject("btf_kinds")), "core_read", name -> 3);
    java.nio.ByteBuffer cr = java.nio.ByteBuffer.wrap(core.coreReloBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(3 * 8, cr.getInt(0), "bpf_core_relo.insn_off is in bytes");
    assertEquals(core.coreRelos().get(0).accessStringOffset(), cr.getInt(8));
  }

  @Test
  void coreRelocationsAreReadAndHandedOnWithTheProgram() {
    ParsedObject o = parse(testObject("btf_kinds"));
    LinkedProgram l = ProgramLinker.link(o, "core_read", name -> 5);
    assertEquals(o.btfExt().coreRelos("kprobe/kfree_skb"), l.coreRelos());
    BtfExt.CoreRelo offset = l.coreRelos().get(0);
    assertEquals(3, offset.instruction());
    assertEquals("0:1", offset.accessString(), "skb->data_len: member 1 of the struct");
    assertEquals(0, offset.kind(), "BPF_CORE_FIELD_BYTE_OFFSET");
    assertEquals("sk_buff___local", o.btf().type(offset.typeId()).name());
    assertEquals(offset.accessString(), o.btf().string(offset.accessStringOffset()));
    assertEquals(2, l.coreRelos().get(1).kind(), "BPF_CORE_FIELD_EXISTS");
    assertTrue(ProgramLinker.link(o, "use_kinds", name -> 5).coreRelos().isEmpty());
  }

  @Test
  void mapIndicesModeUsesPseudoMapIdxAndAsksForEachMapOnce() {
    ParsedObject o = parse(sample("global_config"));
    List<String> asked = new ArrayList<>();
    LinkedProgram l = ProgramLinker.linkWithMapIndices(o, "xdp_config", name -> {
      asked.add(name);
      return asked.size() - 1;
    });
    byte[] code = l.instructions();
    int verdict = relocAt(o, "xdp_config", "verdict");
    assertEquals(Insn.PSEUDO_MAP_IDX_VALUE, Insn.srcReg(code, verdict));
    assertEquals(asked.indexOf("global_c.rodata"), Insn.imm(code, verdict));
    assertEquals(List.of("global_c.bss", ".data.stats", "global_c.rodata"), asked, "each map once, in first-use order");
    ParsedObject legacy = parse(sample("legacy_maps"));
    LinkedProgram lm = ProgramLinker.linkWithMapIndices(legacy, "count_protocols", name -> 0);
    assertEquals(Insn.PSEUDO_MAP_IDX, Insn.srcReg(lm.instructions(), relocAt(legacy, "count_protocols", "len_hist")));
  }

  @Test
  void programsOfOneObjectShareTextSubprogramsButLinkThemSeparately() {
    ParsedObject o = parse(testObject("legacy_iproute2"));
    LinkedProgram tc = ProgramLinker.link(o, "tc_ingress", name -> 1);
    LinkedProgram kp = ProgramLinker.link(o, "probe_open", name -> 1);
    assertEquals(20 + 22, tc.instructionCount());
    assertEquals(3 + 22, kp.instructionCount());
    assertEquals(List.of("outer", "pinned_counts"), tc.mapsUsed());
    assertEquals(List.of("pinned_counts"), kp.mapsUsed());
    assertArrayEquals(Arrays.copyOfRange(tc.instructions(), 20 * 8, 42 * 8),
        Arrays.copyOfRange(kp.instructions(), 3 * 8, 25 * 8), "bump() is linked identically");
  }

  @Test
  void objectsWithExternsOpenButOnlyProgramsWithoutThemLink() {
    ParsedObject o = parse(testObject("externs"));
    assertEquals(List.of("uses_kconfig", "plain", "uses_kfunc"), o.programs().stream().map(ProgramSpec::name).toList());
    assertEquals(ProgramReloc.Kind.EXTERN, o.relocations(program(o, "uses_kconfig")).get(0).kind());
    assertEquals(2, ProgramLinker.link(o, "plain", name -> 1).instructionCount());
    BpfException kconfig = assertThrows(BpfException.class, () -> ProgramLinker.link(o, "uses_kconfig", name -> 1));
    assertTrue(kconfig.getMessage().contains("uses the extern 'LINUX_KERNEL_VERSION'"), kconfig.getMessage());
    BpfException kfunc = assertThrows(BpfException.class, () -> ProgramLinker.link(o, "uses_kfunc", name -> 1));
    assertTrue(kfunc.getMessage().contains("uses the extern 'bpf_rcu_read_lock'"), kfunc.getMessage());
    assertEquals("link", kfunc.operation());
  }

  @Test
  void anUnknownProgramIsABpfExceptionListingThePrograms() {
    ParsedObject o = parse(sample("xdp_counter"));
    BpfException e = assertThrows(BpfException.class, () -> ProgramLinker.link(o, "nope", n -> 1));
    assertTrue(e.getMessage().contains("[xdp_count]"), e.getMessage());
  }

  @Test
  void anErrorFromTheFdLookupPropagates() {
    ParsedObject o = parse(sample("xdp_counter"));
    BpfException refused = new BpfException("create", "xdp_stats", 1, "EPERM");
    BpfException e = assertThrows(BpfException.class, () -> ProgramLinker.link(o, "xdp_count", n -> {
      throw refused;
    }));
    assertSame(refused, e);
  }

  @Test
  void relocationsAreReportedRelativeToTheProgram() {
    ParsedObject o = parse(sample("global_config"));
    List<ProgramReloc> r = o.relocations(program(o, "xdp_config"));
    assertEquals(6, r.size());
    assertEquals(ProgramReloc.Kind.CALL, r.stream().filter(x -> x.symbol().equals(".text")).findFirst().orElseThrow().kind());
    ProgramReloc verdict = r.stream().filter(x -> x.symbol().equals("verdict")).findFirst().orElseThrow();
    assertEquals(ProgramReloc.Kind.MAP_VALUE, verdict.kind());
    assertEquals("global_c.rodata", verdict.mapName());
    assertEquals(4, verdict.valueOffset());
  }
}
