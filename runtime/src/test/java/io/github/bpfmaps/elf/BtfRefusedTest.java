package io.github.bpfmaps.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfObjectSpec;
import io.github.bpfmaps.runtime.MapFd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** An object whose BTF the kernel refuses still loads, without BTF, and says so. */
class BtfRefusedTest {
  @Test
  void anObjectWhoseBtfTheKernelRefusesLoadsWithoutItAndSaysSo() {
    Assumptions.assumeTrue(Bpf.available(), Bpf.unavailableReason());
    byte[] b = TestObjects.bytes(TestObjects.sample("xdp_counter"));
    ElfFile elf = ElfFile.parse(b.clone(), "xdp_counter.bpf.o");
    ElfFile.Section btfSection = elf.section(".BTF");
    Btf btf = Btf.parse(elf.contents(btfSection), "x");
    BtfType u32 = btf.find(BtfKind.INT, "unsigned int");
    // kind_flag (bit 31 of info) on an INT: our reader ignores it, the kernel's BTF checker refuses
    // it ("Invalid btf_info kind_flag"), as it would a kind from a newer compiler.
    int info = (int) (btfSection.offset() + btf.typeOffset(u32.id()) + 4);
    b[info + 3] |= (byte) 0x80;
    try (BpfObject obj = BpfObjectSpec.read(b, "kind_flag.bpf.o", "kind_fla").load()) {
      assertEquals(1, obj.loadNotes().size(), obj.loadNotes().toString());
      assertTrue(obj.loadNotes().get(0).startsWith("kind_flag.bpf.o: the kernel refused the object's BTF (EINVAL);"
          + " loading without it."), obj.loadNotes().get(0));
      assertEquals(2, obj.program("xdp_count").testRun(new byte[64], 1).retval());
      try (MapFd stats = obj.mapFd("xdp_stats")) {
        assertEquals(0, stats.info().btfId(), "created without BTF types");
      }
      assertEquals(0, obj.program("xdp_count").info().btfId());
    }
  }
}
