package io.github.bpfmaps.runtime;

import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.MapSpec;
import io.github.bpfmaps.spec.ProgramType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BpfObjectSpec}: read without the kernel, edited as libbpf-based tools do between open and
 * load, and each edit checked on a real load with bpftool (or the program itself) as the oracle.
 */
class BpfObjectSpecTest {
  private static final int XDP_DROP = 1;
  private static final int XDP_PASS = 2;

  private static Path sample(String name) {
    return TestObjects.sample(name);
  }

  private static Map<?, ?> mapShown(BpfObject obj, String map) {
    try (MapFd fd = obj.mapFd(map)) {
      return (Map<?, ?>) bpftoolJson("map", "show", "id", Integer.toString(fd.info().id()));
    }
  }

  @Test
  void readsAndEditsWithoutTheKernel() {
    BpfObjectSpec spec = BpfObjectSpec.read(sample("flows"));
    BpfObjectSpec.MapDefinition flows = spec.map("flows");
    assertEquals(65536, flows.maxEntries());
    assertEquals(Pinning.BY_NAME, flows.pinning());
    flows.maxEntries(128).pinning(Pinning.NONE);
    assertEquals(128, spec.map("flows").maxEntries());
    assertEquals(128, spec.map("flows").spec().maxEntries());
    assertEquals(Pinning.NONE, spec.map("flows").pinning());
    // A copy taken before an edit does not see it, and the reverse.
    BpfObjectSpec copy = spec.copy();
    copy.map("flows").maxEntries(3);
    assertEquals(128, spec.map("flows").maxEntries());
    assertThrows(IllegalArgumentException.class, () -> flows.maxEntries(-1));
    BpfException e = assertThrows(BpfException.class, () -> spec.map("nope"));
    assertTrue(e.getMessage().contains("flows"), e.getMessage());
    // maps() and programs() are specs, editable the same way.
    assertEquals(spec.maps().stream().map(MapSpec::name).toList(),
        spec.maps().stream().map(m -> m.spec().name()).toList());
    assertEquals(List.of("xdp_flows"), spec.programs().stream()
        .map(BpfObjectSpec.ProgramDefinition::name).toList());
  }

  @Test
  void globalDataSizesAreTheSectionsAndOnlyMapsOfMapsTakeAnInnerMap() {
    BpfObjectSpec spec = BpfObjectSpec.read(sample("global_config"));
    BpfException e = assertThrows(BpfException.class, () -> spec.map(".rodata").maxEntries(2));
    assertTrue(e.getMessage().contains("setVariable"), e.getMessage());
    BpfObjectSpec flows = BpfObjectSpec.read(sample("flows"));
    e = assertThrows(BpfException.class,
        () -> flows.map("flows").innerMap(MapSpec.of("i", MapType.ARRAY, 4, 4, 1, 0)));
    assertTrue(e.getMessage().contains("not a map of maps"), e.getMessage());
  }

  @Test
  void programTypeAndAttachTypeAreEditable() {
    BpfObjectSpec spec = BpfObjectSpec.read(sample("xdp_counter"));
    BpfObjectSpec.ProgramDefinition p = spec.programs().get(0);
    assertEquals(ProgramType.XDP, p.type());
    assertTrue(p.autoload());
    p.type(ProgramType.SOCKET_FILTER).attachType(AttachType.CGROUP_INET_INGRESS).autoload(false);
    assertEquals(ProgramType.SOCKET_FILTER, spec.program(p.name()).spec().type());
    assertEquals(AttachType.CGROUP_INET_INGRESS, spec.program(p.name()).attachType());
    assertFalse(spec.program(p.name()).autoload());
  }

  /** {@code bpf_map__set_max_entries}: the kernel creates the map with the edited size. */
  @Test
  void editedMaxEntriesIsWhatTheKernelCreates() {
    KernelTests.needBpf();
    BpfObjectSpec spec = BpfObjectSpec.read(sample("xdp_counter"));
    String map = spec.maps().get(0).name();
    int declared = spec.map(map).maxEntries();
    spec.map(map).maxEntries(declared + 7);
    try (BpfObject obj = spec.load()) {
      assertEquals(declared + 7, ((Number) mapShown(obj, map).get("max_entries")).intValue());
    }
    // The spec stays loadable, and an unedited read gets the declared size.
    try (BpfObject obj = BpfObject.load(sample("xdp_counter"))) {
      assertEquals(declared, ((Number) mapShown(obj, map).get("max_entries")).intValue());
    }
  }

  /** {@code bpf_map__set_value_size}: the kernel creates the map with the edited value size. */
  @Test
  void editedValueSizeIsWhatTheKernelCreates() {
    KernelTests.needBpf();
    BpfObjectSpec spec = BpfObjectSpec.read(sample("flows"));
    int declared = spec.map("flows").valueSize();
    // No pin root is given, so pinning by name does not apply; the value grows by 8 bytes.
    spec.map("flows").valueSize(declared + 8).maxEntries(16);
    try (BpfObject obj = spec.load()) {
      Map<?, ?> shown = mapShown(obj, "flows");
      assertEquals(declared + 8, ((Number) shown.get("bytes_value")).intValue());
      assertEquals(16, ((Number) shown.get("max_entries")).intValue());
    }
  }

  /**
   * {@code bpf_program__set_autoload(false)}: the program is not loaded. Every program of one load
   * carries the BTF object that load made, so bpftool's programs with that btf_id are exactly the
   * ones this load created, whatever other processes load at the same time.
   */
  @Test
  void aProgramWithAutoloadOffIsNotLoaded() {
    KernelTests.needBpf();
    BpfObjectSpec spec = BpfObjectSpec.read(TestObjects.testObject("btf_kinds"));
    spec.program("core_read").autoload(false);
    try (BpfObject obj = spec.load()) {
      BpfProgram used = obj.program("use_kinds");
      assertTrue(used.isLoaded());
      Map<?, ?> shown = (Map<?, ?>) bpftoolJson("prog", "show", "id", Integer.toString(used.id()));
      Object btfId = shown.get("btf_id");
      assertTrue(btfId instanceof Number, "use_kinds was loaded with the object's BTF: " + shown);
      List<String> sameLoad = ((List<?>) bpftoolJson("prog", "show")).stream()
          .map(o -> (Map<?, ?>) o)
          .filter(p -> btfId.equals(p.get("btf_id")))
          .map(p -> (String) p.get("name"))
          .toList();
      assertEquals(List.of("use_kinds"), sameLoad);
      BpfException e = assertThrows(BpfException.class, () -> obj.program("core_read"));
      assertTrue(e.getMessage().contains("autoload(false)"), e.getMessage());
      assertEquals(List.of("use_kinds"), obj.programs().stream().map(BpfProgram::name).toList());
    }
  }

  /** A {@code .rodata} constant set on the spec is what the program sees in BPF_PROG_TEST_RUN. */
  @Test
  void anEditedRodataConstantIsSeenByTheProgram() {
    KernelTests.needBpf();
    BpfObjectSpec spec = BpfObjectSpec.read(sample("global_config"));
    try (BpfObject obj = spec.load()) {
      assertEquals(XDP_PASS, obj.program("xdp_config").testRun(new byte[64], 1).retval());
    }
    spec.setVariable("verdict", XDP_DROP);
    try (BpfObject obj = spec.load()) {
      assertEquals(XDP_DROP, obj.program("xdp_config").testRun(new byte[64], 1).retval());
    }
    // LoadOptions constants apply to the load's copy, not to the spec.
    spec.setVariable("verdict", XDP_PASS);
    try (BpfObject obj = spec.load(o -> o.constant("min_len", 100))) {
      assertEquals(XDP_DROP, obj.program("xdp_config").testRun(new byte[64], 1).retval());
      assertEquals(XDP_PASS, obj.program("xdp_config").testRun(new byte[128], 1).retval());
    }
    try (BpfObject obj = spec.load()) {
      assertEquals(XDP_PASS, obj.program("xdp_config").testRun(new byte[64], 1).retval());
    }
  }
}
