package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfMaps;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A name pinned by name stays under its pin root (issue 18, class 4): every name that is not a
 * valid kernel object name is refused before a path is built.
 */
class PinNameTest {
  private Path parent;
  private Path root;

  @BeforeEach
  void setUp() throws Exception {
    KernelTests.needBpf();
    parent = KernelTests.pinDir();
    root = Files.createDirectory(parent.resolve("r3"));
  }

  @AfterEach
  void tearDown() {
    KernelTests.deleteTree(parent);
  }

  private static MapSpec named(String name) {
    return MapSpec.of(name, MapType.HASH, 4, 8, 4, 0, Pinning.BY_NAME, null);
  }

  @Test
  void mapNamedDotDotSlashEscapedIsRefusedAndNothingIsPinnedOutsideTheRoot() {
    Set<String> before = KernelTests.runtimeFds();
    BpfException e = assertThrows(BpfException.class, () -> MapFd.createOrOpenPinned(named("../escaped"), root));
    assertTrue(e.getMessage().contains("cannot pin map '../escaped' under " + root), e.getMessage());
    assertTrue(e.getMessage().contains("[A-Za-z0-9_.]"), e.getMessage());
    assertFalse(Files.exists(parent.resolve("escaped")), "pinned outside the pin root");
    assertEquals(Set.of(), KernelTests.newFdsSince(before), "no map was created for a refused name");
  }

  @Test
  void emptyNameIsRefusedAndThePinRootStaysADirectory() {
    assertThrows(BpfException.class, () -> MapFd.createOrOpenPinned(named(""), root));
    assertTrue(Files.isDirectory(root), "the pin root itself was pinned over");
    try (MapFd ok = MapFd.createOrOpenPinned(named("after"), root)) {
      assertTrue(Files.exists(root.resolve("after")), "other names under the root still work");
    }
  }

  @Test
  void everyNameThatIsNotAKernelObjectNameIsRefused() {
    for (String bad : List.of(".", "..", "a/b", "/abs", "sixteen_bytes_xx", "sp ace", "é")) {
      BpfException e = assertThrows(BpfException.class,
          () -> MapFd.createOrOpenPinned(named(bad), root), bad);
      assertTrue(e.getMessage().contains("a pin name must be a kernel object name"), e.getMessage());
    }
    assertEquals(List.of(), list(root), "nothing was pinned for any refused name");
  }

  @Test
  void nameFromTheMapDeclarationDslIsCheckedToo() {
    var declared = BpfMaps.declare("../dsl", d -> d.type(MapType.HASH).maxEntries(4).pinning(Pinning.BY_NAME))
        .key(Codecs.U32).value(Codecs.U64);
    assertThrows(BpfException.class, () -> declared.createOrOpenPinned(root));
    assertFalse(Files.exists(parent.resolve("dsl")));
  }

  @Test
  void mapNameFromACraftedObjectCannotLeaveThePinRoot() throws Exception {
    // verifier_reject.bpf.o pins its map 'seen' by name; renamed to '..' in the ELF and BTF string
    // tables (same bytes, NUL-padded), the object asks to pin it at <root>/.., the root's parent.
    byte[] obj = TestObjects.bytes(TestObjects.testObject("verifier_reject"));
    byte[] from = "\0seen\0".getBytes(StandardCharsets.US_ASCII);
    byte[] to = "\0..\0\0\0".getBytes(StandardCharsets.US_ASCII);
    int replaced = 0;
    for (int i = 0; i + from.length <= obj.length; i++) {
      if (Arrays.equals(obj, i, i + from.length, from, 0, from.length)) {
        System.arraycopy(to, 0, obj, i, to.length);
        replaced++;
      }
    }
    assertTrue(replaced >= 2, "the map's name in the symbol and BTF string tables");
    Path crafted = Files.createTempFile("bpfmaps-reliability-crafted", ".bpf.o");
    try {
      Files.write(crafted, obj);
      Set<String> before = KernelTests.runtimeFds();
      BpfException e = assertThrows(BpfException.class, () -> BpfObject.load(crafted, o -> o.pinRoot(root)));
      assertTrue(e.getMessage().contains("cannot pin map '..' under " + root), e.getMessage());
      assertEquals(List.of(), list(root));
      assertEquals(Set.of("r3"), Set.copyOf(list(parent)), "nothing pinned beside the root");
      assertEquals(Set.of(), KernelTests.newFdsSince(before), "the refused load left no fd");
    } finally {
      Files.deleteIfExists(crafted);
    }
  }

  private static List<String> list(Path dir) {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
