package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfKeyExistsException;
import io.github.bpfmaps.errors.BpfMapFullException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfObjectSpec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.spec.MapSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the kernel refuses reaches the caller as the right exception, with the operation, the map
 * (or path, or object) and the errno by name and meaning, and leaves nothing half made: no fd, no
 * map, no pin. EPERM without privileges is {@link UnprivilegedTest}; the verifier's refusal with its
 * log is {@code BpfObjectLoadTest.aProgramTheVerifierRefusesThrowsItsLogAndLeavesNoFdAndNoMap}.
 */
class KernelFaultsTest {
  private Path pins;
  private Path plainDir;
  private Path shmDir;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    pins = KernelTests.pinDir();
    plainDir = Files.createTempDirectory("bpfmaps-not-bpffs");
  }

  @AfterEach
  void tearDown() {
    KernelTests.deleteTree(pins);
    KernelTests.deleteTree(plainDir);
    KernelTests.deleteTree(shmDir);
  }

  private static BpfHashMap<Integer, Long> hash(String name, int maxEntries) {
    MapSpec spec = MapSpec.of(name, MapType.HASH, 4, 8, maxEntries, 0);
    return new BpfHashMap<>(MapFd.create(spec), spec, Codecs.U32, Codecs.U64);
  }

  @Test
  void aFullHashRefusesANewKeyWithE2bigNamingMapFlagAndLimitAndKeepsItsEntries() {
    try (var m = hash("rel_full", 4)) {
      for (int i = 0; i < 4; i++) {
        m.set(i, 10L * i);
      }
      BpfMapFullException e = assertThrows(BpfMapFullException.class, () -> m.set(99, 1L));
      assertEquals("BPF_MAP_UPDATE_ELEM", e.operation());
      assertEquals("E2BIG", e.errnoName());
      assertEquals("BPF_MAP_UPDATE_ELEM on 'rel_full' (flag ANY, max_entries 4): E2BIG: argument list"
          + " too long", e.getMessage().substring(0, e.getMessage().indexOf(" — ")));
      assertNull(m.get(99));
      assertEquals(Map.of(0, 0L, 1, 10L, 2, 20L, 3, 30L), m.toMap());
    }
  }

  @Test
  void updateFlagRefusalsNameOperationMapAndFlagAndChangeNothing() {
    try (var m = hash("rel_flags", 8)) {
      m.set(1, 100L);
      BpfKeyExistsException exists = assertThrows(BpfKeyExistsException.class,
          () -> m.put(1, 200L, UpdateFlag.NOEXIST));
      assertTrue(exists.getMessage().startsWith("BPF_MAP_UPDATE_ELEM on 'rel_flags' (flag NOEXIST): EEXIST"),
          exists.getMessage());
      BpfNotFoundException absent = assertThrows(BpfNotFoundException.class,
          () -> m.put(2, 200L, UpdateFlag.EXIST));
      assertTrue(absent.getMessage().startsWith("BPF_MAP_UPDATE_ELEM on 'rel_flags' (flag EXIST): ENOENT"),
          absent.getMessage());
      assertEquals(Map.of(1, 100L), m.toMap());
    }
  }

  @Test
  void openingAMissingPinIsEnoentNamingThePathAndOpensNoFd() {
    Set<String> before = KernelTests.runtimeFds();
    Path missing = pins.resolve("nothing-here");
    BpfNotFoundException e = assertThrows(BpfNotFoundException.class,
        () -> MapFd.openPinned(missing, MapSpec.of("rel_missing", MapType.HASH, 4, 8, 4, 0)));
    assertEquals("BPF_OBJ_GET", e.operation());
    assertTrue(e.getMessage().contains("'" + missing + "'") && e.getMessage().contains("ENOENT"), e.getMessage());
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
  }

  @Test
  void pinningOutsideBpffsSaysThePathIsNotOnABpfFilesystemAndHowToMountOne() throws IOException {
    for (Path dir : plainDirs()) {
      try (var m = hash("rel_pin_plain", 4)) {
        Path target = dir.resolve("rel_pin_plain");
        BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> m.pin(target));
        String fs = Files.getFileStore(dir).type();
        assertEquals("BPF_OBJ_PIN on '" + target + "': EPERM: the path is not on a bpf file system (it"
            + " is on " + fs + "); pin under a bpffs mount such as /sys/fs/bpf, or mount one with"
            + " `mount -t bpf bpf /sys/fs/bpf`", e.getMessage());
        assertFalse(e instanceof BpfPermissionException, "not a missing capability");
        assertFalse(Files.exists(target));
        m.set(1, 1L); // the handle is unharmed
        assertEquals(1L, m.get(1));
      }
    }
  }

  @Test
  void openingAFileOutsideBpffsAsAPinSaysItIsNotOnABpfFilesystem() throws IOException {
    Path file = Files.writeString(plainDir.resolve("not-a-map"), "hello");
    Set<String> before = KernelTests.runtimeFds();
    BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> MapFd.openPinned(file));
    assertEquals("BPF_OBJ_GET", e.operation());
    assertTrue(e.getMessage().contains("not on a bpf file system") && e.getMessage().contains("mount -t bpf"),
        e.getMessage());
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
  }

  @Test
  void aLoadWhosePinRootIsNotOnBpffsSaysSoAndLeavesNoFdAndNoPin() throws IOException {
    Set<String> before = KernelTests.runtimeFds();
    Path root = plainDir.resolve("app");
    BpfSyscallException e = assertThrows(BpfSyscallException.class,
        () -> BpfObject.load(TestObjects.sample("flows"), o -> o.pinRoot(root)));
    assertTrue(e.getMessage().contains("not on a bpf file system"), e.getMessage());
    // The flows map was created before its pin was refused; closing its only fd frees it.
    assertEquals(Set.of(), KernelTests.newFdsSince(before), "fds left by the refused load");
    assertFalse(Files.exists(root.resolve("flows")));
  }

  @Test
  void aLoadRefusedAtItsThirdMapReleasesTheTwoItMadeAndRemovesTheirPins() throws InterruptedException {
    KernelTests.needBpftool();
    Set<String> before = KernelTests.runtimeFds();
    BpfObjectSpec spec = BpfObjectSpec.read(TestObjects.testObject("too_big"));
    assertEquals(List.of("rel_small_a", "rel_small_b", "rel_too_big"),
        spec.maps().stream().map(m -> m.name()).toList(), "created in this order");
    BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> spec.load(o -> o.pinRoot(pins)));
    assertEquals("E2BIG", e.errnoName());
    assertTrue(e.getMessage().startsWith("BPF_MAP_CREATE on 'rel_too_big'"), e.getMessage());
    assertTrue(e.getMessage().contains("over the kernel's limit"), e.getMessage());
    assertEquals(Set.of(), KernelTests.newFdsSince(before), "fds left by the refused load");
    assertEquals(0, pins.toFile().list().length, "pins the refused load made");
    assertEquals(Set.of(), Leaks.mapsStillNamed(Set.of("rel_small_a", "rel_small_b", "rel_too_big"), 5));
  }

  @Test
  void aHashOverTheKernelsSizeLimitIsE2bigSayingWhichLimitAndLeavesNoMap() throws InterruptedException {
    KernelTests.needBpftool();
    Set<String> before = KernelTests.runtimeFds();
    BpfSyscallException e = assertThrows(BpfSyscallException.class,
        () -> MapFd.create(MapSpec.of("rel_huge_hash", MapType.HASH, 8, 1024, 2_000_000_000, 0)));
    assertEquals("E2BIG", e.errnoName());
    assertFalse(e instanceof BpfMapFullException, "a create is not a full map");
    assertTrue(e.getMessage().startsWith("BPF_MAP_CREATE on 'rel_huge_hash' (HASH key 8 value 1024"
        + " max_entries 2000000000 flags 0x0; the key or value size or max_entries is over the kernel's"
        + " limit for this map type (max_entries x (key + value) = 1922.2 GiB): lower them): E2BIG"),
        e.getMessage());
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
    assertEquals(Set.of(), Leaks.mapsStillNamed(Set.of("rel_huge_hash"), 5));
  }

  @Test
  void aPreallocatedMapLargerThanMemoryIsEnomemSayingWhichLimitAndLeavesNoMap() throws InterruptedException {
    KernelTests.needBpftool();
    Set<String> before = KernelTests.runtimeFds();
    long t0 = System.nanoTime();
    BpfSyscallException hash = assertThrows(BpfSyscallException.class,
        () -> MapFd.create(MapSpec.of("rel_huge_pre", MapType.HASH, 8, 65536, 1_000_000, 0)));
    BpfSyscallException array = assertThrows(BpfSyscallException.class,
        () -> MapFd.create(MapSpec.of("rel_huge_arr", MapType.ARRAY, 4, 4096, 1_000_000_000, 0)));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    for (BpfSyscallException e : new BpfSyscallException[] {hash, array}) {
      assertEquals("ENOMEM", e.errnoName(), e.getMessage());
      assertTrue(e.getMessage().contains("the kernel could not allocate max_entries x (key + value) = "),
          e.getMessage());
      assertTrue(e.getMessage().contains("memory cgroup"), e.getMessage());
    }
    assertTrue(hash.getMessage().contains("61.0 GiB") && hash.getMessage().contains("BPF_F_NO_PREALLOC"),
        hash.getMessage());
    assertFalse(array.getMessage().contains("BPF_F_NO_PREALLOC"), "arrays have no such flag");
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
    assertEquals(Set.of(), Leaks.mapsStillNamed(Set.of("rel_huge_pre", "rel_huge_arr"), 5));
    // Without preallocation the same hash is only a promise: the kernel accepts it.
    MapSpec lazy = MapSpec.of("rel_huge_lazy", MapType.HASH, 8, 65536, 1_000_000, MapFlags.NO_PREALLOC);
    try (MapFd fd = MapFd.create(lazy)) {
      assertEquals(1_000_000, fd.info().maxEntries());
    }
    System.out.println("ENOMEM refusals took " + ms + " ms");
  }

  @Test
  void aMapOfMapsWhoseOuterMapIsRefusedLeavesNeitherItNorItsInnerTemplate() throws InterruptedException {
    KernelTests.needBpftool();
    MapSpec inner = MapSpec.of("rel_inner_tpl", MapType.ARRAY, 4, 8, 4, 0);
    // BPF_F_NO_PREALLOC is a hash flag: the kernel refuses the outer array after the inner exists
    MapSpec outer = MapSpec.of("rel_outer", MapType.ARRAY_OF_MAPS, 4, 4, 4, MapFlags.NO_PREALLOC,
        Pinning.NONE, inner);
    Set<String> before = KernelTests.runtimeFds();
    BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> MapFd.create(outer));
    assertEquals("EINVAL", e.errnoName());
    assertTrue(e.getMessage().startsWith("BPF_MAP_CREATE on 'rel_outer' (ARRAY_OF_MAPS key 4 value 4"
        + " max_entries 4 flags 0x1)"), e.getMessage());
    assertEquals(Set.of(), KernelTests.newFdsSince(before), "the inner template's fd is closed");
    assertEquals(Set.of(), Leaks.mapsStillNamed(Set.of("rel_inner_tpl", "rel_outer"), 5));
  }

  /** Directories that are certainly not bpffs: one on the root file system, and tmpfs if present. */
  private Path[] plainDirs() throws IOException {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      shmDir = Files.createTempDirectory(shm, "bpfmaps-not-bpffs");
      return new Path[] {plainDir, shmDir};
    }
    return new Path[] {plainDir};
  }
}
