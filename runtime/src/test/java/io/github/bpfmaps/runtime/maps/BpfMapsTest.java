package io.github.bpfmaps.runtime.maps;

import static io.github.bpfmaps.runtime.KernelTests.needBpf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Maps declared at run time with codecs, against the kernel. */
class BpfMapsTest {

  @Test
  void declaredHashCreatesAHashHandleThatStoresValues() {
    needBpf();
    BpfMaps.Declared<BpfKeyedMap<Integer, Long>> counts = BpfMaps.declare("counts",
            d -> d.type(MapType.HASH).maxEntries(1024).flags(0))
        .key(Codecs.U32).value(Codecs.U64);
    assertEquals(MapSpec.of("counts", MapType.HASH, 4, 8, 1024, 0), counts.spec());
    try (BpfKeyedMap<Integer, Long> m = counts.create()) {
      assertInstanceOf(BpfHashMap.class, m);
      m.set(7, 70L);
      m.set(8, 80L);
      assertEquals(70L, m.get(7));
      assertNull(m.get(9));
      assertEquals(Map.of(7, 70L, 8, 80L), m.toMap());
      assertEquals(MapType.HASH, m.info().type());
    }
  }

  @Test
  void declaredArrayWithFourByteKeyIsAnArrayHandle() {
    needBpf();
    try (BpfKeyedMap<Integer, Long> m = BpfMaps.declare("totals",
            d -> d.type(MapType.ARRAY).maxEntries(4)).key(Codecs.U32).value(Codecs.U64).create()) {
      BpfArrayMap<?> array = assertInstanceOf(BpfArrayMap.class, m);
      assertEquals(4, array.length());
      m.set(3, 33L);
      assertEquals(33L, m.get(3));
      assertEquals(0L, m.get(0)); // arrays are zero-filled
    }
  }

  @Test
  void arrayKeyMustBeFourBytes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BpfMaps.declare("totals", d -> d.type(MapType.ARRAY).maxEntries(4))
            .key(Codecs.U64).value(Codecs.U64));
    assertTrue(e.getMessage().contains("ARRAY map 'totals' needs a 4-byte key"), e.getMessage());
  }

  @Test
  void declarationWithoutTypeSaysSo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BpfMaps.declare("counts", d -> d.maxEntries(4)).key(Codecs.U32).value(Codecs.U64));
    assertTrue(e.getMessage().contains("map 'counts' has no type"), e.getMessage());
  }

  @Test
  void perCpuTypeThroughGenericDeclarationPointsToItsFamily() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BpfMaps.declare("pc", d -> d.type(MapType.PERCPU_HASH).maxEntries(4))
            .key(Codecs.U32).value(Codecs.U64));
    assertTrue(e.getMessage().contains("perCpuHash"), e.getMessage());
  }

  @Test
  void familyMethodRefusesATypeOfAnotherFamily() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BpfMaps.hash("counts", Codecs.U32, Codecs.U64, d -> d.type(MapType.ARRAY)));
    assertTrue(e.getMessage().contains("declared ARRAY"), e.getMessage());
  }

  @Test
  void typedFamiliesGiveTheirHandleClasses() {
    needBpf();
    try (BpfHashMap<Integer, Long> lru = BpfMaps.hash("lru", Codecs.U32, Codecs.U64,
            d -> d.type(MapType.LRU_HASH).maxEntries(16)).create();
        BpfPerCpuArrayMap<Long> pc = BpfMaps.perCpuArray("pc", Codecs.U64,
            d -> d.maxEntries(2)).create();
        BpfQueue<Integer> q = BpfMaps.queue("q", Codecs.U32, d -> d.maxEntries(4)).create()) {
      assertEquals(MapType.LRU_HASH, lru.info().type());
      lru.set(1, 2L);
      assertEquals(2L, lru.get(1));

      PerCpuValues<Long> zeros = pc.get(1);
      assertEquals(0L, zeros.sum(Long::longValue));

      q.push(5);
      q.push(6);
      assertEquals(5, q.pop());
      assertEquals(6, q.pop());
      assertNull(q.pop());
    }
  }

  @Test
  void lpmTrieWithNoPreallocIsCreated() {
    needBpf();
    // struct { __u32 prefixlen; __u8 addr[4]; } as 8 raw bytes.
    try (BpfLpmTrieMap<byte[], Long> trie = BpfMaps.lpmTrie("routes", Codecs.bytes(8),
        Codecs.U64, d -> d.maxEntries(8).flags(MapFlags.NO_PREALLOC)).create()) {
      assertEquals(MapType.LPM_TRIE, trie.info().type());
      assertEquals(8, trie.info().keySize());
    }
  }

  @Test
  void openPinnedAndFromIdValidateAgainstTheDeclaration() {
    needBpf();
    Path dir = KernelTests.pinDir();
    try {
      BpfMaps.Declared<BpfHashMap<Integer, Long>> counts =
          BpfMaps.hash("counts", Codecs.U32, Codecs.U64, d -> d.maxEntries(64));
      try (BpfHashMap<Integer, Long> m = counts.create()) {
        m.set(1, 11L);
        m.pin(dir.resolve("counts"));
        try (BpfHashMap<Integer, Long> pinned = counts.openPinned(dir.resolve("counts"));
            BpfHashMap<Integer, Long> byId = counts.fromId(m.id())) {
          assertEquals(11L, pinned.get(1));
          assertEquals(11L, byId.get(1));
        }
        BpfMaps.Declared<BpfHashMap<Integer, Long>> bigger =
            BpfMaps.hash("counts", Codecs.U32, Codecs.U64, d -> d.maxEntries(128));
        BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class,
            () -> bigger.openPinned(dir.resolve("counts")));
        assertTrue(e.getMessage().contains("128"), e.getMessage());
      }
    } finally {
      KernelTests.deleteTree(dir);
    }
  }

  @Test
  void failedHandleConstructionClosesTheNewFd() {
    needBpf();
    // Checked by the new map's kernel id rather than by counting /proc/self/fd: other tests'
    // unreachable fds may be collected meanwhile. The map disappears once its only fd is closed.
    int[] id = {0};
    BpfMaps.Declared<BpfQueue<Long>> broken = new BpfMaps.Declared<>(
        MapSpec.of("q", MapType.QUEUE, 0, 8, 4, 0), (fd, spec) -> {
          id[0] = fd.info().id();
          throw new IllegalStateException("refused");
        });
    assertThrows(IllegalStateException.class, broken::create);
    assertTrue(id[0] > 0, "the factory saw the new map");
    assertThrows(BpfNotFoundException.class, () -> MapFd.fromId(id[0]).close());
  }
}
