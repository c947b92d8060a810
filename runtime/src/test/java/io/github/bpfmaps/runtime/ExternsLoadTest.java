package io.github.bpfmaps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.elf.Kallsyms;
import io.github.bpfmaps.elf.Kconfig;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.ObjectMapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Externs resolved against the running kernel at load: {@code .kconfig} values, typeless and typed
 * {@code __ksym}, kfuncs and {@code __weak} externs the kernel lacks. The program copies what it sees
 * into {@code .bss} in one test run; the values are compared with /proc/config.gz, the kernel
 * release and /proc/kallsyms.
 */
class ExternsLoadTest {
  private static final Path OBJECT = TestObjects.testObject("kernel_externs");

  /** Skips where the kernel's configuration or symbol addresses cannot be read (not root, no IKCONFIG). */
  private static void needKernelFacts() {
    KernelTests.needBpftool();
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(Path.of("/proc/config.gz"))
        || java.nio.file.Files.isReadable(Path.of("/boot/config-" + Kconfig.release())),
        "no /proc/config.gz or /boot/config-$(uname -r) to compare with");
    Long addr = Kallsyms.addresses(Set.of("do_unlinkat")).get("do_unlinkat");
    org.junit.jupiter.api.Assumptions.assumeTrue(addr != null && addr != 0,
        "/proc/kallsyms hides addresses (kptr_restrict) or lacks do_unlinkat");
  }

  @Test
  void externsLoadWithTheSameMapsAsLibbpf() {
    needKernelFacts();
    LibbpfParity.assertSameAsLibbpf(OBJECT);
  }

  @Test
  void theProgramSeesTheRunningKernelsConfigVersionAndSymbols() {
    needKernelFacts();
    Map<String, String> config = Kconfig.running();
    try (BpfObject o = BpfObject.load(OBJECT)) {
      assertEquals(java.util.List.of(), o.loadNotes(), "the kernel took the object's BTF with its externs");
      assertEquals(2, o.program("read_externs").testRun(new byte[64], 1).retval(), "XDP_PASS");
      ByteBuffer bss = bss(o);
      assertEquals(Kconfig.versionCode(Kconfig.release()), field(o, bss, "kernel_version"), "LINUX_KERNEL_VERSION");
      assertEquals(config.get("CONFIG_BPF_SYSCALL").equals("y") ? 1 : 0, field(o, bss, "bpf_syscall"));
      assertEquals(tristate(config.get("CONFIG_BPF_JIT")), field(o, bss, "bpf_jit"), "CONFIG_BPF_JIT");
      assertEquals(config.get("CONFIG_BPF").charAt(0), (char) field(o, bss, "bpf_char"), "CONFIG_BPF as char");
      assertEquals(Long.parseLong(config.get("CONFIG_HZ")), field(o, bss, "hz"), "CONFIG_HZ");
      assertEquals(Long.parseLong(config.get("CONFIG_NR_CPUS")), field(o, bss, "nr_cpus"), "CONFIG_NR_CPUS");
      assertEquals(0, field(o, bss, "not_an_option"), "a __weak option the kernel lacks reads 0");
      String host = config.get("CONFIG_DEFAULT_HOSTNAME");
      byte[] seen = new byte[16];
      bss.get(o.spec().variable("hostname").offset(), seen);
      assertEquals(host.substring(1, host.length() - 1), new String(seen, StandardCharsets.UTF_8).replace("\0", ""));
      long unlinkat = Kallsyms.addresses(Set.of("do_unlinkat")).get("do_unlinkat");
      assertEquals(unlinkat, field(o, bss, "unlinkat_address"), "typeless __ksym = /proc/kallsyms");
      assertEquals(0, field(o, bss, "missing_symbol_address"), "a __weak __ksym the kernel lacks is NULL");
      assertEquals(0, field(o, bss, "missing_kfunc_exists"), "bpf_ksym_exists() of a missing __weak kfunc");
    }
  }

  @Test
  void aTypedKsymResolvesToItsVmlinuxBtfIdAndTheKernelsRefusalIsExplained() {
    KernelTests.needBpftool();
    Path obj = TestObjects.testObject("typed_ksym");
    String dump = KernelTests.bpftool("btf", "dump", "file", "/sys/kernel/btf/vmlinux");
    Matcher m = Pattern.compile("(?m)^\\[(\\d+)\\] VAR 'bpf_prog_active'").matcher(dump);
    assertTrue(m.find());
    String libbpf = LibbpfParity.loadWithLibbpf(obj).error();
    if (libbpf.isEmpty()) {
      LibbpfParity.assertSameAsLibbpf(obj); // a kernel with CONFIG_KALLSYMS_ALL loads it
      return;
    }
    BpfLoadException e = assertThrows(BpfLoadException.class, () -> BpfObject.load(obj));
    assertTrue(e.getMessage().contains("typed __ksym 'bpf_prog_active' (vmlinux BTF id " + m.group(1) + ")"),
        e.getMessage());
    assertTrue(e.getMessage().contains("CONFIG_KALLSYMS_ALL"), e.getMessage());
  }

  @Test
  void aStrongExternTheKernelLacksNamesItAndSuggestsWeak() {
    KernelTests.needBpf();
    BpfException e = assertThrows(BpfException.class, () -> BpfObject.load(TestObjects.testObject("missing_extern")));
    assertTrue(e.getMessage().contains("program needs_missing (section xdp of "), e.getMessage());
    assertTrue(e.getMessage().contains("uses the kfunc 'bpfmaps_no_such_kfunc', but the kernel has no function"
        + " 'bpfmaps_no_such_kfunc' in its BTF"), e.getMessage());
    assertTrue(e.getMessage().contains("declare it __weak"), e.getMessage());
  }

  @Test
  void coreRelocationsOfEveryCommonKindGetTheRunningKernelsValues() {
    KernelTests.needBpftool();
    Path obj = TestObjects.testObject("core_relos");
    LibbpfParity.assertSameAsLibbpf(obj);
    String dump = KernelTests.bpftool("btf", "dump", "file", "/sys/kernel/btf/vmlinux");
    Matcher task = Pattern.compile("(?m)^\\[(\\d+)\\] STRUCT 'task_struct' size=(\\d+)").matcher(dump);
    assertTrue(task.find());
    Matcher pid = Pattern.compile("(?m)^\\s+'pid' type_id=\\d+ bits_offset=(\\d+)").matcher(dump);
    assertTrue(pid.find(task.end()));
    Matcher ringbuf = Pattern.compile("'BPF_MAP_TYPE_RINGBUF' val=(\\d+)").matcher(dump);
    assertTrue(ringbuf.find());
    try (BpfObject o = BpfObject.load(obj)) {
      assertEquals(java.util.List.of(), o.loadNotes());
      o.program("read_core").testRun(new byte[64], 1);
      ByteBuffer bss = bss(o);
      assertEquals(Long.parseLong(pid.group(1)) / 8, field(o, bss, "pid_offset"), "field byte offset");
      assertEquals(1, field(o, bss, "pid_exists"), "field exists");
      assertEquals(0, field(o, bss, "missing_field_exists"), "field the kernel lacks");
      assertEquals(1, field(o, bss, "task_exists"), "type exists");
      assertEquals(0, field(o, bss, "missing_type_exists"), "type the kernel lacks");
      assertEquals(Long.parseLong(task.group(2)), field(o, bss, "task_size"), "type size");
      assertEquals(Long.parseLong(task.group(1)), field(o, bss, "task_kernel_id"), "type id in the kernel");
      assertEquals(Long.parseLong(ringbuf.group(1)), field(o, bss, "ringbuf_value"), "enum value");
      assertEquals(1, field(o, bss, "ringbuf_exists"), "enum value exists");
      assertEquals(0, field(o, bss, "missing_enumerator_exists"), "enum value the kernel lacks");
    }
  }

  private static long tristate(String v) {
    return v == null || v.equals("n") ? 0 : v.equals("y") ? 1 : 2;
  }

  private static ByteBuffer bss(BpfObject o) {
    ObjectMapSpec spec = o.spec().map(".bss").spec();
    ByteBuffer key = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    ByteBuffer value = ByteBuffer.allocateDirect(spec.valueSize()).order(ByteOrder.LITTLE_ENDIAN);
    try (MapFd fd = o.mapFd(spec.name())) {
      int n = fd.acquire();
      try {
        assertEquals(0, BpfSys.mapLookup(n, Scratch.address(key), Scratch.address(value), 0), "lookup of .bss");
      } finally {
        fd.release();
      }
    }
    return value;
  }

  private static long field(BpfObject o, ByteBuffer bss, String name) {
    return bss.getLong(o.spec().variable(name).offset());
  }
}
