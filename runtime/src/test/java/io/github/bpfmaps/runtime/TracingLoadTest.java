package io.github.bpfmaps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.spec.ProgramType;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tracing programs load with their BTF attach target resolved from the kernel's BTF, and where this
 * kernel cannot load them the error says why in words.
 */
class TracingLoadTest {
  /** Tracing programs need the kernel's BTF (CONFIG_DEBUG_INFO_BTF). */
  private static void needKernelBtf() {
    KernelTests.needBpf();
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(
        io.github.bpfmaps.elf.KernelBtf.DIR.resolve("vmlinux")), "no /sys/kernel/btf/vmlinux");
  }

  private static Path object(String name) {
    return TestObjects.testObject(name);
  }

  @Test
  void tpBtfAndIterProgramsLoadWithTheSameMapsAsLibbpf() {
    KernelTests.needBpftool();
    needKernelBtf();
    LibbpfParity.assertSameAsLibbpf(object("tracing"));
  }

  @Test
  void tracingProgramsLoadAsTracingWithNoLeftoverFds() {
    needKernelBtf();
    Set<String> before = KernelTests.runtimeFds();
    try (BpfObject o = BpfObject.load(object("tracing"))) {
      assertEquals(java.util.List.of(), o.loadNotes(), "BTF and CO-RE relocations taken as they are");
      assertEquals(ProgramType.TRACING.id(), o.program("on_switch").info().type());
      assertEquals(ProgramType.TRACING.id(), o.program("count_tasks").info().type());
    }
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
  }

  @Test
  void perfEventArrayWithoutMaxEntriesGetsOneSlotPerPossibleCpu() {
    needKernelBtf();
    try (BpfObject o = BpfObject.load(object("tracing")); MapFd events = o.mapFd("events")) {
      assertEquals(0, o.spec().map("events").maxEntries(), "the object leaves max_entries to the loader");
      assertEquals(MapType.PERF_EVENT_ARRAY, events.info().type());
      assertEquals(Bpf.possibleCpus(), events.info().maxEntries());
    }
  }

  @Test
  void aMissingTargetNamesTheProgramTheSectionAndTheTypedefLookedFor() {
    needKernelBtf();
    Path obj = object("missing_target");
    BpfException e = assertThrows(BpfException.class, () -> BpfObject.load(obj));
    assertTrue(e.getMessage().contains("program on_nothing (section tp_btf/bpfmaps_no_such_tracepoint of " + obj
        + "): the kernel has no typedef 'btf_trace_bpfmaps_no_such_tracepoint' in its BTF"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "trampoline_fentry, 'fentry, fexit and fmod_ret programs', do_unlinkat, on_unlinkat",
      "trampoline_lsm, LSM programs, bpf_lsm_file_open, on_file_open"})
  void trampolineProgramsRefusedByThisKernelSayWhyInWords(String name, String kinds, String function,
      String program) {
    needKernelBtf();
    String ftrace = TracingLimits.ftraceState();
    org.junit.jupiter.api.Assumptions.assumeTrue(ftrace != null, "ftrace lists traceable functions here");
    Path obj = object(name);
    BpfLoadException e = assertThrows(BpfLoadException.class, () -> BpfObject.load(obj));
    assertTrue(e.getMessage().contains("this kernel refuses " + kinds + ": they run from a BPF trampoline on the"
        + " function's ftrace entry, and " + ftrace), e.getMessage());
    assertTrue(e.getMessage().contains("the kernel's function '" + function + "', was found (BTF id "),
        e.getMessage());
    assertTrue(e.getMessage().contains(program), e.getMessage());
    // libbpf fails the same way on this kernel
    assertTrue(!LibbpfParity.loadWithLibbpf(obj).error().isEmpty(), "libbpf loaded " + obj);
  }
}
