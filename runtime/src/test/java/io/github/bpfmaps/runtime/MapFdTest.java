package io.github.bpfmaps.runtime;

import static io.github.bpfmaps.runtime.KernelTests.bpftool;
import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfKeyExistsException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.spec.MapInfo;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MapFdTest {
  static final MapSpec HASH = MapSpec.of("mapfd_test", MapType.HASH, 4, 8, 16, 0);

  Path dir;

  @BeforeEach
  void setUp() {
    KernelTests.needBpf();
    dir = KernelTests.pinDir();
  }

  @AfterEach
  void tearDown() {
    KernelTests.deleteTree(dir);
  }

  @Test
  void createdMapReportsItsSpecThroughInfo() {
    try (MapFd fd = MapFd.create(HASH)) {
      MapInfo info = fd.info();
      assertEquals(MapType.HASH, info.type());
      assertEquals(4, info.keySize());
      assertEquals(8, info.valueSize());
      assertEquals(16, info.maxEntries());
      assertEquals(0, info.flags());
      assertEquals("mapfd_test", info.name());
      assertTrue(info.id() > 0);
    }
  }

  @Test
  void infoAgreesWithBpftoolShow() {
    KernelTests.needBpftool();
    try (MapFd fd = MapFd.create(MapSpec.of("shown", MapType.ARRAY, 4, 12, 7, MapFlags.MMAPABLE))) {
      MapInfo info = fd.info();
      @SuppressWarnings("unchecked")
      Map<String, Object> shown = (Map<String, Object>) bpftoolJson("map", "show", "id", String.valueOf(info.id()));
      assertEquals("array", shown.get("type"));
      assertEquals("shown", shown.get("name"));
      assertEquals(4L, shown.get("bytes_key"));
      assertEquals(12L, shown.get("bytes_value"));
      assertEquals(7L, shown.get("max_entries"));
      assertEquals((long) MapFlags.MMAPABLE, shown.get("flags"));
    }
  }

  @Test
  void longOrOddNamesAreSanitizedToFifteenKernelCharacters() {
    try (MapFd fd = MapFd.create(MapSpec.of("my-very-long map name", MapType.ARRAY, 4, 4, 1, 0))) {
      assertEquals("my_very_long_ma", fd.info().name());
    }
  }

  @Test
  void pinnedMapOpensAndMatchesItsSpec() {
    Path pin = dir.resolve("m");
    try (MapFd fd = MapFd.create(HASH)) {
      fd.pin(pin);
      try (MapFd again = MapFd.openPinned(pin, HASH)) {
        assertEquals(fd.info().id(), again.info().id());
        assertEquals("mapfd_test", again.name());
      }
    }
    assertTrue(MapFd.unpin(pin));
    assertFalse(MapFd.unpin(pin));
  }

  @Test
  void pinByNameCreatesOnceThenReusesAndRefusesAnIncompatiblePin() {
    try (MapFd first = MapFd.createOrOpenPinned(HASH, dir); MapFd second = MapFd.createOrOpenPinned(HASH, dir)) {
      assertEquals(first.info().id(), second.info().id());
      assertTrue(java.nio.file.Files.exists(dir.resolve("mapfd_test")));
    }
    MapSpec bigger = MapSpec.of("mapfd_test", MapType.HASH, 4, 8, 32, 0);
    BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class, () -> MapFd.createOrOpenPinned(bigger, dir));
    assertEquals(java.util.List.of("max_entries: expected 32, found 16"), e.differences());
  }

  @Test
  void pinningTwiceAtOnePathIsEexist() {
    Path pin = dir.resolve("twice");
    try (MapFd fd = MapFd.create(HASH)) {
      fd.pin(pin);
      BpfKeyExistsException e = assertThrows(BpfKeyExistsException.class, () -> fd.pin(pin));
      assertEquals("BPF_OBJ_PIN", e.operation());
      assertEquals(Errno.EEXIST, e.errno());
    }
  }

  @Test
  void openingAMissingPinIsEnoentNamingThePath() {
    Path missing = dir.resolve("nothing-here");
    BpfNotFoundException e = assertThrows(BpfNotFoundException.class, () -> MapFd.openPinned(missing, HASH));
    assertEquals("BPF_OBJ_GET", e.operation());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
  }

  @Test
  void mismatchListsEveryDifferingFieldWithBothSides() {
    Path pin = dir.resolve("other");
    try (MapFd fd = MapFd.create(MapSpec.of("other", MapType.ARRAY, 4, 16, 32, MapFlags.MMAPABLE))) {
      fd.pin(pin);
    }
    MapSpec wrong = MapSpec.of("expected", MapType.HASH, 8, 8, 16, 0);
    assertThrows(BpfSpecMismatchException.class, () -> MapFd.openPinned(pin, wrong)); // warm up class loading
    Set<String> before = KernelTests.runtimeFds();
    BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class,
        () -> MapFd.openPinned(pin, MapSpec.of("expected", MapType.HASH, 8, 8, 16, 0)));
    assertEquals(Set.of(), KernelTests.newFdsSince(before), "the refused fd is closed");
    assertEquals(5, e.differences().size(), e.getMessage());
    String m = e.getMessage();
    assertTrue(m.contains("map 'expected'"), m);
    assertTrue(m.contains(pin.toString()), m);
    assertTrue(m.contains("type: expected HASH, found ARRAY"), m);
    assertTrue(m.contains("key_size: expected 8, found 4"), m);
    assertTrue(m.contains("value_size: expected 8, found 16"), m);
    assertTrue(m.contains("max_entries: expected 16, found 32"), m);
    assertTrue(m.contains("map_flags: expected 0x0, found 0x400"), m);
  }

  @Test
  void fromIdOpensTheSameMapAndUnknownIdIsNotFound() {
    try (MapFd fd = MapFd.create(HASH); MapFd byId = MapFd.fromId(fd.info().id(), HASH)) {
      assertEquals(fd.info().id(), byId.info().id());
      BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class,
          () -> MapFd.fromId(fd.info().id(), MapSpec.of("mapfd_test", MapType.HASH, 4, 4, 16, 0)));
      assertEquals(1, e.differences().size());
    }
    assertThrows(BpfNotFoundException.class, () -> MapFd.fromId(Integer.MAX_VALUE - 1, HASH));
  }

  @Test
  void mapCreatedAndPinnedByBpftoolIsReadable() {
    KernelTests.needBpftool();
    Path pin = dir.resolve("x");
    bpftool("map", "create", pin.toString(), "type", "hash", "key", "4", "value", "8", "entries", "16", "name", "x");
    bpftool("map", "update", "pinned", pin.toString(), "key", "7", "0", "0", "0",
        "value", "0x2a", "0", "0", "0", "0", "0", "0", "1");
    MapSpec spec = MapSpec.of("x", MapType.HASH, 4, 8, 16, 0);
    try (var map = new io.github.bpfmaps.runtime.maps.BpfHashMap<>(MapFd.openPinned(pin, spec), spec, Codecs.U32, Codecs.U64)) {
      assertEquals(0x0100_0000_0000_002aL, map.get(7));
      assertEquals(Map.of(7, 0x0100_0000_0000_002aL), map.toMap());
    }
  }

  @Test
  void adoptedRawFdIsOwnedAndClosedByTheMapFd() {
    int raw = BpfSys.mapCreate("adopted", MapType.ARRAY.id(), 4, 4, 1, 0, 0, 0, 0, 0, 0);
    MapFd fd = MapFd.adopt(raw, "adopted");
    int id = fd.info().id();
    assertEquals("adopted", fd.info().name());
    fd.close();
    assertTrue(fd.fdReleased());
    // the number is free again: it names nothing, or whatever the JVM opened next, never our map
    try {
      assertNotEquals(id, BpfSys.mapInfo(raw, "stale").id());
    } catch (BpfSyscallException expected) {
      assertTrue(expected.errno() > 0);
    }
  }

  @Test
  void dupIsIndependentOfTheOriginal() {
    MapFd fd = MapFd.create(HASH);
    MapFd copy = fd.dup();
    int id = fd.info().id();
    fd.close();
    assertEquals(id, copy.info().id());
    copy.close();
  }

  @Test
  void closedFdRefusesEveryCallAndClosingTwiceIsHarmless() {
    MapFd fd = MapFd.create(HASH);
    fd.close();
    fd.close();
    assertTrue(fd.isClosed());
    BpfClosedException e = assertThrows(BpfClosedException.class, fd::info);
    assertTrue(e.getMessage().contains("'mapfd_test'"), e.getMessage());
    assertThrows(BpfClosedException.class, fd::acquire);
    assertThrows(BpfClosedException.class, fd::dup);
    assertThrows(BpfClosedException.class, fd::freeze);
    assertThrows(BpfClosedException.class, () -> fd.pin(dir.resolve("p")));
  }

  @Test
  void closeWhileInUseDefersTheRealCloseUntilRelease() {
    MapFd fd = MapFd.create(HASH);
    int raw = fd.acquire();
    fd.close();
    assertTrue(fd.isClosed());
    assertFalse(fd.fdReleased(), "fd must stay open while a call holds it");
    // the number still names our map: no other file could have taken it
    assertEquals("mapfd_test", BpfSys.mapInfo(raw, "raw").name());
    fd.release();
    assertTrue(fd.fdReleased());
  }

  @Test
  void manyOpenCloseCyclesLeakNoFds() {
    Path pin = dir.resolve("leak");
    try (MapFd fd = MapFd.create(HASH)) {
      fd.pin(pin);
    }
    Set<String> before = KernelTests.runtimeFds();
    for (int i = 0; i < 500; i++) {
      MapFd a = MapFd.create(HASH);
      MapFd b = MapFd.openPinned(pin, HASH);
      MapFd c = b.dup();
      MapFd d = MapFd.fromId(a.info().id());
      a.close();
      b.close();
      c.close();
      d.close();
      assertThrows(BpfSpecMismatchException.class, () -> MapFd.openPinned(pin, MapSpec.of("x", MapType.ARRAY, 4, 8, 16, 0)));
      assertThrows(BpfNotFoundException.class, () -> MapFd.openPinned(dir.resolve("none"), HASH));
    }
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
  }

  private static int[] createAndDrop(int n) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = MapFd.create(HASH).info().id(); // never closed: only the Cleaner can release it
    }
    return ids;
  }

  /** The maps among {@code ids} that the kernel still has (a map lives while any fd holds it). */
  private static int alive(int[] ids) {
    int alive = 0;
    for (int id : ids) {
      try (MapFd probe = MapFd.fromId(id)) {
        alive++;
      } catch (BpfNotFoundException gone) {
        // freed: its last fd was closed
      }
    }
    return alive;
  }

  @Test
  void unreachableMapFdsAreClosedByTheCleaner() throws InterruptedException {
    // Counted by map id, not by /proc/self/fd: unreachable objects of earlier tests may be
    // collected meanwhile and would skew a count of all open fds.
    int[] ids = createAndDrop(50);
    assertEquals(50, alive(ids));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (alive(ids) > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, alive(ids), "maps whose only fd was dropped are still open");
  }

  @Test
  void frozenMapRefusesUserSpaceWrites() {
    MapSpec spec = MapSpec.of("frozen", MapType.ARRAY, 4, 8, 2, 0);
    try (var map = new io.github.bpfmaps.runtime.maps.BpfArrayMap<>(MapFd.create(spec), spec, Codecs.U64)) {
      map.set(0, Long.valueOf(5));
      map.freeze();
      BpfPermissionException e = assertThrows(BpfPermissionException.class, () -> map.set(0, Long.valueOf(6)));
      assertEquals("BPF_MAP_UPDATE_ELEM", e.operation());
      assertEquals(5L, map.get(0));
    }
  }

  @Test
  void createRefusalNamesTheMapAndItsAttributes() {
    BpfSyscallException e = assertThrows(BpfSyscallException.class,
        () -> MapFd.create(MapSpec.of("bad", MapType.HASH, 0, 8, 16, 0)));
    assertEquals(Errno.EINVAL, e.errno());
    assertEquals("EINVAL", e.errnoName());
    assertTrue(e.getMessage().startsWith("BPF_MAP_CREATE on 'bad' (HASH key 0 value 8 max_entries 16 flags 0x0): EINVAL"), e.getMessage());
  }

  @Test
  void cpuListsCountEveryPossibleCpu() {
    assertEquals(4, Bpf.parseCpuList("0-3\n"));
    assertEquals(5, Bpf.parseCpuList("0,2-4,7"));
    assertNotEquals(0, Bpf.possibleCpus());
  }
}
