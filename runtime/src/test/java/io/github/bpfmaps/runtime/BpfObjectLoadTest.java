package io.github.bpfmaps.runtime;

import static io.github.bpfmaps.runtime.KernelTests.bpftool;
import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BpfObject#load}: maps created or reused, programs loaded, all or nothing. */
class BpfObjectLoadTest {
  private static final MapSpec XDP_STATS = MapSpec.of("xdp_stats", MapType.ARRAY, 4, 16, 10, 0);
  private static final int XDP_DROP = 1;
  private static final int XDP_PASS = 2;

  private Path dir;

  @BeforeEach
  void setUp() {
    KernelTests.needBpf();
    dir = KernelTests.pinDir();
  }

  @AfterEach
  void tearDown() {
    KernelTests.deleteTree(dir);
  }

  static Path sample(String name) {
    return TestObjects.sample(name);
  }

  /** A 64-byte frame: enough for programs that only count. */
  static byte[] frame(int length) {
    byte[] f = new byte[length];
    f[12] = 0x08; // EtherType IPv4, so socket filters see a protocol
    return f;
  }

  /** Packets and bytes of one {@code struct datarec} slot. */
  static long[] datarec(BpfArrayMap<byte[]> stats, int slot) {
    ByteBuffer b = ByteBuffer.wrap(stats.get(slot)).order(ByteOrder.nativeOrder());
    return new long[] {b.getLong(0), b.getLong(8)};
  }

  @Test
  void loadCreatesTheMapsAndTheProgramCountsWhatTestRunSends() {
    try (BpfObject obj = BpfObject.load(sample("xdp_counter"));
        BpfArrayMap<byte[]> stats = new BpfArrayMap<>(obj.mapFd("xdp_stats"), XDP_STATS, Codecs.bytes(16))) {
      BpfProgram prog = obj.program("xdp_count");
      assertTrue(prog.isLoaded());
      assertEquals(XDP_PASS, prog.testRun(frame(64), 1).retval());
      assertEquals(XDP_PASS, prog.testRun(frame(100), 1).retval());
      assertArrayEquals(new long[] {2, 164}, datarec(stats, XDP_PASS));
      assertArrayEquals(new long[] {0, 0}, datarec(stats, XDP_DROP));
      assertEquals("xdp_count", prog.info().name());
      Map<?, ?> shown = (Map<?, ?>) bpftoolJson("prog", "show", "id", Integer.toString(prog.id()));
      assertEquals("xdp", shown.get("type"));
      assertTrue(obj.loadNotes().isEmpty(), obj.loadNotes().toString());
    }
  }

  @Test
  void testRunReturnsThePacketAndRepeatsAsAsked() {
    try (BpfObject obj = BpfObject.load(sample("xdp_counter"));
        BpfArrayMap<byte[]> stats = new BpfArrayMap<>(obj.mapFd("xdp_stats"), XDP_STATS, Codecs.bytes(16))) {
      byte[] in = frame(80);
      in[20] = 42;
      TestRunResult r = obj.program("xdp_count").testRun(in, 5);
      assertArrayEquals(in, r.dataOut());
      assertTrue(r.durationNs() >= 0);
      assertEquals(5, datarec(stats, XDP_PASS)[0]);
    }
  }

  @Test
  void aPinnedProgramOutlivesItsObject() {
    KernelTests.needBpftool();
    Path pin = dir.resolve("xdp_count");
    int id;
    try (BpfObject obj = BpfObject.load(sample("xdp_counter"))) {
      BpfProgram prog = obj.program("xdp_count");
      id = prog.id();
      prog.pin(pin);
    }
    Map<?, ?> shown = (Map<?, ?>) bpftoolJson("prog", "show", "pinned", pin.toString());
    assertEquals(id, ((Number) shown.get("id")).intValue());
    assertEquals("xdp_count", shown.get("name"));
  }

  @Test
  void aVerifierLogIsKeptWhenALogLevelIsAsked() {
    try (BpfObject obj = BpfObject.load(sample("xdp_counter"), o -> o.logLevel(1))) {
      assertTrue(obj.program("xdp_count").verifierLog().contains("processed"), obj.program("xdp_count").verifierLog());
    }
    try (BpfObject obj = BpfObject.load(sample("xdp_counter"))) {
      assertEquals("", obj.program("xdp_count").verifierLog());
    }
  }

  @Test
  void coReRelocationsAreAppliedByTheKernelAgainstItsOwnTypes() {
    KernelTests.needBpftool();
    assumeTrue(Files.exists(Path.of("/sys/kernel/btf/vmlinux")), "the kernel has no BTF");
    // Where this kernel keeps sk_buff.data_len; the object was compiled with a local struct that
    // has it at byte 4.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
            "STRUCT 'sk_buff' size=\\d+ vlen=\\d+\\n(?:\\t[^\\n]*\\n)*?\\t'data_len' type_id=\\d+ bits_offset=(\\d+)")
        .matcher(bpftool("btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "raw"));
    assumeTrue(m.find(), "no sk_buff.data_len in the kernel's BTF");
    int offset = Integer.parseInt(m.group(1)) / 8;
    try (BpfObject obj = BpfObject.load(TestObjects.testObject("btf_kinds"))) {
      assertEquals(List.of(), obj.loadNotes());
      String xlated = bpftool("prog", "dump", "xlated", "id", Integer.toString(obj.program("core_read").id()));
      assertTrue(xlated.contains(" = " + offset + "\n"), // "r1 = 116", before the compiled 4
          "data_len at " + offset + " in:\n" + xlated);
    }
  }

  @Test
  void aClosedProgramCannotRunAndAClosedObjectGivesNoMap() {
    BpfObject obj = BpfObject.load(sample("xdp_counter"));
    try {
      BpfProgram prog = obj.program("xdp_count");
      assertTrue(prog.isLoaded());
      prog.close();
      assertFalse(prog.isLoaded());
      assertEquals("xdp", prog.section(), "the declaration stays readable");
      BpfException e = assertThrows(BpfException.class, () -> prog.testRun(frame(64), 1));
      assertTrue(e.getMessage().contains("xdp_count"), e.getMessage());
    } finally {
      obj.close();
    }
    BpfException m = assertThrows(BpfException.class, () -> obj.mapFd("xdp_stats"));
    assertTrue(m.getMessage().contains("closed"), m.getMessage());
  }

  /** cilium/ebpf's NewCollection, aya's load: each load of one spec is a new set of kernel objects. */
  @Test
  void eachLoadOfASpecIsANewObject() {
    BpfObjectSpec spec = BpfObjectSpec.read(sample("xdp_counter"));
    try (BpfObject first = spec.load(); BpfObject second = spec.load();
        MapFd a = first.mapFd("xdp_stats"); MapFd b = second.mapFd("xdp_stats")) {
      assertFalse(a.info().id() == b.info().id(), "two maps");
      assertFalse(first.program("xdp_count").id() == second.program("xdp_count").id(), "two programs");
      assertEquals(XDP_PASS, second.program("xdp_count").testRun(frame(64), 1).retval());
    }
  }

  @Test
  void bindMapOfALoadedObjectSharesItsMap() {
    try (BpfObject obj = BpfObject.load(sample("xdp_counter"));
        BpfArrayMap<byte[]> bound = new BpfArrayMap<>(obj.bindMap(XDP_STATS, Codecs.U32, Codecs.bytes(16)),
            XDP_STATS, Codecs.bytes(16))) {
      obj.program("xdp_count").testRun(frame(70), 1);
      assertArrayEquals(new long[] {1, 70}, datarec(bound, XDP_PASS));
    }
  }

  @Test
  void presetProgramArraySlotsAreFilledSoTailCallsReachTheirTarget() {
    try (BpfObject obj = BpfObject.load(TestObjects.testObject("tail_calls"))) {
      // entry tail-calls slot 1, preset to 'tail', which drops; an empty slot would fall through to PASS.
      assertEquals(XDP_DROP, obj.program("entry").testRun(frame(64), 1).retval());
    }
  }

  // ---- failure: all or nothing ----

  @Test
  void aProgramTheVerifierRefusesThrowsItsLogAndLeavesNoFdAndNoMap() throws InterruptedException {
    KernelTests.needBpftool();
    Set<Integer> mapsBefore = mapIds();
    Set<String> fdsBefore = KernelTests.runtimeFds();
    BpfLoadException e = assertThrows(BpfLoadException.class,
        () -> BpfObject.load(TestObjects.testObject("verifier_reject"), o -> o.pinRoot(dir)));
    assertTrue(e.getMessage().contains("xdp_unchecked (section xdp of "), e.getMessage());
    assertTrue(e.getMessage().contains("verifier log ends"), e.getMessage());
    assertTrue(e.log().contains("map_value_or_null"), e.log());
    assertEquals("EACCES", e.errnoName());
    // The system call's own exception stays in the chain under the one that names the program.
    assertTrue(e.getCause() instanceof BpfLoadException, String.valueOf(e.getCause()));
    assertEquals(Set.of(), KernelTests.newFdsSince(fdsBefore), "fds left open by a refused load");
    // The kernel frees a closed program after an RCU grace period, and with it the maps it held
    // (counts, verifier.bss of xdp_fine): wait for that rather than read a moment too early.
    Set<String> leftBehind = Set.of();
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline; ) {
      Set<Integer> ids = new HashSet<>(mapIds());
      ids.removeAll(mapsBefore);
      leftBehind = namesOf(ids);
      if (leftBehind.isEmpty()) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(Set.of(), leftBehind, "maps left behind by a refused load");
    assertFalse(Files.exists(dir.resolve("seen")), "the pin the refused load made is removed");
  }

  @Test
  void aRefusedLoadKeepsAPinThatExistedBefore() {
    MapSpec seen = MapSpec.of("seen", MapType.HASH, 4, 8, 16, 0);
    try (MapFd older = MapFd.create(seen)) {
      older.pin(dir.resolve("seen"));
    }
    assertThrows(BpfLoadException.class,
        () -> BpfObject.load(TestObjects.testObject("verifier_reject"), o -> o.pinRoot(dir)));
    assertTrue(Files.exists(dir.resolve("seen")));
  }

  @Test
  void aMissingPinRootIsCreatedAndARefusedLoadRemovesItAgain() {
    Path root = dir.resolve("app").resolve("maps");
    assertThrows(BpfLoadException.class,
        () -> BpfObject.load(TestObjects.testObject("verifier_reject"), o -> o.pinRoot(root)));
    assertFalse(Files.exists(dir.resolve("app")), "the directories the refused load made are gone");
    try (BpfObject obj = BpfObject.load(sample("flows"), o -> o.pinRoot(root))) {
      assertTrue(Files.exists(root.resolve("flows")));
    }
  }

  @Test
  void aFailedLoadLeavesTheSpecLoadableAgain() {
    BpfObjectSpec spec = BpfObjectSpec.read(sample("xdp_counter"));
    assertThrows(BpfNotFoundException.class,
        () -> spec.load(o -> o.reuse("xdp_stats").pinned(dir.resolve("absent"))));
    try (BpfObject obj = spec.load()) {
      assertTrue(obj.program("xdp_count").isLoaded());
      assertEquals(XDP_PASS, obj.program("xdp_count").testRun(frame(64), 1).retval());
    }
  }

  @Test
  void closingALoadedObjectClosesEveryFdAndKeepsItsPins() {
    Set<String> fdsBefore = KernelTests.runtimeFds();
    BpfObject obj = BpfObject.load(sample("flows"), o -> o.pinRoot(dir));
    Set<String> opened = KernelTests.newFdsSince(fdsBefore);
    assertEquals(2, opened.size(), "the flows map and the xdp_flows program: " + opened);
    obj.close();
    assertEquals(Set.of(), KernelTests.newFdsSince(fdsBefore), "fds left open after close");
    assertTrue(Files.exists(dir.resolve("flows")), "the pinned map outlives the object");
    assertThrows(BpfException.class, () -> obj.program("xdp_flows"));
  }

  @Test
  void optionsNamingWhatTheObjectLacksAreErrorsNamingIt() {
    BpfException reuse = assertThrows(BpfException.class,
        () -> BpfObject.load(sample("xdp_counter"), o -> o.reuse("xdp_stat").id(1)));
    assertTrue(reuse.getMessage().contains("reuse(\"xdp_stat\") names a map the object does not declare"),
        reuse.getMessage());
    assertTrue(reuse.getMessage().contains("[xdp_stats]"), reuse.getMessage());
    BpfException constant = assertThrows(BpfException.class,
        () -> BpfObject.load(sample("global_config"), o -> o.constant("min_length", 1)));
    assertTrue(constant.getMessage().contains("constant(\"min_length\", ...) names a variable"),
        constant.getMessage());
    assertTrue(constant.getMessage().contains("min_len"), constant.getMessage());
  }

  @Test
  void aConstantIsCheckedAgainstTheVariablesSize() {
    BpfException tooBig = assertThrows(BpfException.class,
        () -> BpfObject.load(sample("global_config"), o -> o.constant("min_len", 1L << 40)));
    assertTrue(tooBig.getMessage().contains("does not fit the 4-byte variable 'min_len'"), tooBig.getMessage());
    BpfException bytes = assertThrows(BpfException.class,
        () -> BpfObject.load(sample("global_config"), o -> o.constant("min_len", new byte[8])));
    assertTrue(bytes.getMessage().contains("is 4 bytes, not 8"), bytes.getMessage());
  }

  // ---- reuse ----

  @Test
  void aMapCreatedAndPinnedByBpftoolIsReusedAndBothSeeTheSameData() {
    KernelTests.needBpftool();
    Path pin = dir.resolve("stats");
    bpftool("map", "create", pin.toString(), "type", "array", "key", "4", "value", "16", "entries", "10",
        "name", "xdp_stats");
    try (BpfObject obj = BpfObject.load(sample("xdp_counter"), o -> o.reuse("xdp_stats").pinned(pin))) {
      obj.program("xdp_count").testRun(frame(90), 1);
    }
    Map<?, ?> entry = (Map<?, ?>) bpftoolJson("map", "lookup", "pinned", pin.toString(), "key", "2", "0", "0", "0");
    byte[] value = KernelTests.hexBytes(entry.get("value"));
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
    assertEquals(1, b.getLong(0), "packets counted into bpftool's map");
    assertEquals(90, b.getLong(8), "bytes counted into bpftool's map");
  }

  @Test
  void aMapPinnedByNameIsReusedByASecondLoadAndByAnotherProcess() throws Exception {
    MapSpec flows = MapSpec.of("flows", MapType.HASH, 16, 16, 65536, 0);
    try (BpfObject first = BpfObject.load(sample("flows"), o -> o.pinRoot(dir));
        BpfObject second = BpfObject.load(sample("flows"), o -> o.pinRoot(dir));
        BpfHashMap<byte[], byte[]> seen = new BpfHashMap<>(second.mapFd("flows"), flows, Codecs.bytes(16),
            Codecs.bytes(16))) {
      try (MapFd firsts = first.mapFd("flows")) {
        assertEquals(firsts.info().id(), seen.fd().info().id(), "one kernel map");
      }
      first.program("xdp_flows").testRun(udpFrame(), 1);
      assertEquals(1, seen.keys().size());
      // A second JVM loads the object with the same pin root and runs its program once.
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), PinnedFlowsChild.class.getName(),
          sample("flows").toString(), dir.toString())
          .redirectErrorStream(true).start();
      String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child timed out");
      assertEquals(0, child.exitValue(), out);
      assertTrue(out.contains("flows entries 1"), out);
      byte[] stats = seen.toMap().values().iterator().next();
      assertEquals(2, ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder()).getLong(0),
          "one packet from this process, one from the child, in the same entry");
    }
  }

  @Test
  void anIncompatiblePinIsRefusedListingEveryDifference() {
    try (MapFd wrong = MapFd.create(MapSpec.of("flows", MapType.HASH, 8, 16, 1024, 0))) {
      wrong.pin(dir.resolve("flows"));
    }
    Set<String> fdsBefore = KernelTests.runtimeFds();
    BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class,
        () -> BpfObject.load(sample("flows"), o -> o.pinRoot(dir)));
    assertTrue(e.getMessage().contains("pinned at " + dir.resolve("flows")), e.getMessage());
    assertEquals(List.of("key_size: expected 16, found 8", "max_entries: expected 65536, found 1024"),
        e.differences());
    assertEquals(Set.of(), KernelTests.newFdsSince(fdsBefore));
    assertTrue(Files.exists(dir.resolve("flows")), "a pin we did not make is never removed");
  }

  @Test
  void aMapIsReusedByItsId() {
    try (MapFd mine = MapFd.create(XDP_STATS);
        BpfArrayMap<byte[]> stats = new BpfArrayMap<>(mine.dup(), XDP_STATS, Codecs.bytes(16))) {
      int id = mine.info().id();
      try (BpfObject obj = BpfObject.load(sample("xdp_counter"), o -> o.reuse("xdp_stats").id(id))) {
        obj.program("xdp_count").testRun(frame(64), 1);
        try (MapFd used = obj.mapFd("xdp_stats")) {
          assertEquals(id, used.info().id());
        }
      }
      assertArrayEquals(new long[] {1, 64}, datarec(stats, XDP_PASS));
    }
  }

  @Test
  void aMapIsReusedThroughAnOpenHandleWhichTheCallerKeeps() {
    try (BpfArrayMap<byte[]> stats = new BpfArrayMap<>(MapFd.create(XDP_STATS), XDP_STATS, Codecs.bytes(16))) {
      try (BpfObject obj = BpfObject.load(sample("xdp_counter"), o -> o.reuse("xdp_stats").handle(stats.fd()))) {
        obj.program("xdp_count").testRun(frame(64), 1);
      }
      assertFalse(stats.fd().isClosed());
      assertArrayEquals(new long[] {1, 64}, datarec(stats, XDP_PASS));
    }
  }

  @Test
  void aReusedHandleOfAnotherShapeIsRefused() {
    try (MapFd other = MapFd.create(MapSpec.of("xdp_stats", MapType.HASH, 4, 16, 10, 0))) {
      BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class,
          () -> BpfObject.load(sample("xdp_counter"), o -> o.reuse("xdp_stats").handle(other)));
      assertEquals(List.of("type: expected ARRAY, found HASH"), e.differences());
    }
  }

  /** Ethernet + IPv4 + UDP 10.0.0.1:1234 → 10.0.0.2:53, 42 bytes. */
  static byte[] udpFrame() {
    ByteBuffer b = ByteBuffer.allocate(42);
    b.put(12, (byte) 0x08);
    b.put(14, (byte) 0x45).putShort(16, (short) 28).put(22, (byte) 64).put(23, (byte) 17);
    b.putInt(26, 0x0a000001).putInt(30, 0x0a000002);
    b.putShort(34, (short) 1234).putShort(36, (short) 53).putShort(38, (short) 8);
    return b.array();
  }

  private static Set<Integer> mapIds() {
    Set<Integer> ids = new HashSet<>();
    for (Object m : (List<?>) bpftoolJson("map", "show")) {
      ids.add(((Number) ((Map<?, ?>) m).get("id")).intValue());
    }
    return ids;
  }

  private static Set<String> namesOf(Set<Integer> ids) {
    Set<String> names = new HashSet<>();
    for (int id : ids) {
      try {
        Map<?, ?> m = (Map<?, ?>) bpftoolJson("map", "show", "id", Integer.toString(id));
        String name = String.valueOf(m.get("name"));
        // Other tests of this JVM may create maps concurrently; only the object's own names count.
        if (Set.of("counts", "seen", "verifier.bss").contains(name)) {
          names.add(name + " (id " + id + ")");
        }
      } catch (AssertionError gone) {
        // freed between the two listings
      }
    }
    return names;
  }

}
