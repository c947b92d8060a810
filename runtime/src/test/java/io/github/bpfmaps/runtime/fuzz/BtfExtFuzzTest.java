package io.github.bpfmaps.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfExt;
import io.github.bpfmaps.elf.ElfFile;
import io.github.bpfmaps.elf.TestObjects;

/**
 * Fuzzes the {@code .BTF.ext} reader, {@link BtfExt#parse}, against the fixed, valid {@code .BTF}
 * of the {@code xdp_counter} sample; the seed in {@code BtfExtFuzzTestInputs/} is that sample's
 * own {@code .BTF.ext}.
 */
class BtfExtFuzzTest {
  private static final Btf BTF = xdpCounterBtf();

  private static Btf xdpCounterBtf() {
    ElfFile elf = ElfFile.parse(TestObjects.bytes(TestObjects.sample("xdp_counter")), "xdp_counter.bpf.o");
    return Btf.parse(elf.contents(elf.section(".BTF")), "xdp_counter.bpf.o");
  }

  @FuzzTest(maxDuration = "50s")
  void anyBytesGiveLineAndFuncInfoOrAFormatError(byte[] input) {
    ParseProperty.check(input, "xdp_counter.bpf.o", () -> {
      BtfExt ext = BtfExt.parse(input, BTF);
      for (String section : ext.sectionsWithFuncInfo()) {
        ext.funcInfo(section);
        ext.lineInfo(section);
        ext.coreRelos(section);
      }
    });
  }
}
