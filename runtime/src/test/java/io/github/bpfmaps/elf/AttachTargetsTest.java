package io.github.bpfmaps.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.spec.ProgramSpec;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Attach targets named as libbpf names them, and found at the ids bpftool shows in vmlinux's BTF. */
class AttachTargetsTest {

  private static ProgramSpec program(String section) {
    ProgramSections.Definition d = ProgramSections.forSection(section);
    return new ProgramSpec("p", section, d.type(), d.attachType(), d.attachTarget(), "GPL", 0, 2);
  }

  @ParameterizedTest
  @CsvSource({
      "tp_btf/sched_switch, btf_trace_sched_switch, TYPEDEF",
      "fentry/do_unlinkat, do_unlinkat, FUNC",
      "fexit/do_unlinkat, do_unlinkat, FUNC",
      "fmod_ret/security_file_open, security_file_open, FUNC",
      "fentry.s/do_unlinkat, do_unlinkat, FUNC",
      "lsm/file_open, bpf_lsm_file_open, FUNC",
      "lsm.s/file_open, bpf_lsm_file_open, FUNC",
      "iter/task, bpf_iter_task, FUNC",
      "iter.s/task_vma, bpf_iter_task_vma, FUNC"})
  void sectionsNameTheirTargetAsLibbpfDoes(String section, String name, BtfKind kind) {
    AttachTargets.Lookup l = AttachTargets.lookupFor(program(section));
    assertEquals(name, l.name());
    assertEquals(kind, l.kind());
    assertNull(l.module());
  }

  @Test
  void moduleColonFunctionSearchesOnlyThatModule() {
    AttachTargets.Lookup l = AttachTargets.lookupFor(program("fentry/nf_conntrack:nf_confirm"));
    assertEquals("nf_confirm", l.name());
    assertEquals("nf_conntrack", l.module());
  }

  @Test
  void sleepableSectionsAskForTheSleepableFlag() {
    assertEquals(ProgramSections.F_SLEEPABLE, ProgramSections.loadFlags("fentry.s/do_unlinkat"));
    assertEquals(ProgramSections.F_SLEEPABLE, ProgramSections.loadFlags("lsm.s/file_open"));
    assertEquals(0, ProgramSections.loadFlags("fentry/do_unlinkat"));
    assertEquals(ProgramSections.F_XDP_HAS_FRAGS, ProgramSections.loadFlags("xdp.frags"));
  }

  @ParameterizedTest
  @CsvSource({"tp_btf/sched_switch", "tp_btf/sched_wakeup", "iter/task", "fentry/do_unlinkat", "lsm/file_open"})
  void targetsResolveToTheIdsBpftoolShowsForVmlinux(String section) {
    Assumptions.assumeTrue(Files.isReadable(KernelBtf.DIR.resolve("vmlinux")), "no /sys/kernel/btf/vmlinux");
    Assumptions.assumeTrue(TestObjects.available("bpftool", "version"), "bpftool is not installed");
    AttachTargets.Lookup l = AttachTargets.lookupFor(program(section));
    AttachTargets.Target t = AttachTargets.resolve(l);
    assertNotNull(t, section);
    assertEquals("", t.module());
    assertEquals(bpftoolId(l.kind().name(), l.name()), t.btfId(), section);
  }

  @Test
  void aMissingTargetResolvesToNothing() {
    Assumptions.assumeTrue(Files.isReadable(KernelBtf.DIR.resolve("vmlinux")), "no /sys/kernel/btf/vmlinux");
    assertNull(AttachTargets.resolve(AttachTargets.lookupFor(program("tp_btf/bpfmaps_no_such_tracepoint"))));
  }

  @Test
  void vmlinuxIsParsedOnceAndLookupsAreHashLookups() {
    Assumptions.assumeTrue(Files.isReadable(KernelBtf.DIR.resolve("vmlinux")), "no /sys/kernel/btf/vmlinux");
    Btf first = KernelBtf.vmlinux();
    assertSame(first, KernelBtf.vmlinux());
    assertTrue(first.typeCount() > 10_000, first.toString());
    first.find(BtfKind.FUNC, "do_unlinkat"); // builds the index
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      assertNotNull(first.find(BtfKind.TYPEDEF, "btf_trace_sched_switch"));
    }
    long perLookup = (System.nanoTime() - start) / 1000;
    assertTrue(perLookup < 100_000, "a lookup took " + perLookup + " ns");
  }

  private static String dump;

  /** The id of {@code [id] KIND 'name'} in {@code bpftool btf dump file /sys/kernel/btf/vmlinux}. */
  private static synchronized int bpftoolId(String kind, String name) {
    if (dump == null) { // one dump (seconds of bpftool) for all the cases
      TestObjects.Run r = TestObjects.run(java.nio.file.Path.of("."), "bpftool", "btf", "dump", "file",
          KernelBtf.DIR.resolve("vmlinux").toString());
      assertEquals(0, r.exit(), r.err());
      dump = r.out();
    }
    Matcher m = Pattern.compile("(?m)^\\[(\\d+)\\] " + kind + " '" + Pattern.quote(name) + "'").matcher(dump);
    assertTrue(m.find(), kind + " " + name + " in bpftool's dump");
    return Integer.parseInt(m.group(1));
  }
}
