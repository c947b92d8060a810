package io.github.bpfmaps.runtime.maps;

import static io.github.bpfmaps.runtime.KernelTests.bpftool;
import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;
import static io.github.bpfmaps.runtime.KernelTests.hexBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfKeyExistsException;
import io.github.bpfmaps.errors.BpfMapFullException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.NeedsBpf;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@NeedsBpf
class BpfSpecialMapsTest {
  /** {@code struct { __u32 prefixlen; __u8 addr[4]; }}: the prefix length in host order. */
  record Prefix(int length, byte[] addr) {}

  static final Codec<Prefix> PREFIX = new Codec<>() {
    @Override public int byteSize() { return 8; }
    @Override public void encode(Prefix p, ByteBuffer b, int o) {
      b.putInt(o, p.length());
      b.put(o + 4, p.addr(), 0, 4);
    }
    @Override public Prefix decode(ByteBuffer b, int o) {
      byte[] a = new byte[4];
      b.get(o + 4, a, 0, 4);
      return new Prefix(b.getInt(o), a);
    }
  };

  static Prefix prefix(int len, int a, int b, int c, int d) {
    return new Prefix(len, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }

  @Test
  void lpmTrieAnswersWithTheLongestMatchingPrefix() {
    MapSpec s = MapSpec.of("lpm_test", MapType.LPM_TRIE, 8, 4, 16, MapFlags.NO_PREALLOC);
    try (var t = new BpfLpmTrieMap<>(MapFd.create(s), s, PREFIX, Codecs.U32)) {
      t.set(prefix(8, 10, 0, 0, 0), 8);
      t.set(prefix(24, 10, 1, 2, 0), 24);
      assertEquals(24, t.get(prefix(32, 10, 1, 2, 3)));
      assertEquals(8, t.get(prefix(32, 10, 9, 9, 9)));
      assertNull(t.get(prefix(32, 11, 0, 0, 0)));
      List<Integer> lengths = new ArrayList<>();
      t.forEachEntry((k, v) -> lengths.add(k.length()));
      assertEquals(Set.of(8, 24), new HashSet<>(lengths));
      assertTrue(t.remove(prefix(24, 10, 1, 2, 0)));
      assertEquals(8, t.get(prefix(32, 10, 1, 2, 3)));
      assertEquals(1, t.removeAll(List.of(prefix(8, 10, 0, 0, 0), prefix(16, 10, 0, 0, 0))));
      assertTrue(t.keys().isEmpty());
      t.set(prefix(16, 10, 2, 0, 0), 16);
      t.set(prefix(32, 10, 2, 3, 4), 32);
      Map<Prefix, Integer> drained = t.drain(); // no batch and no lookup-and-delete for tries
      assertEquals(Set.of(16, 32), new HashSet<>(drained.values()));
      assertTrue(t.keys().isEmpty());
    }
  }

  @Test
  void lpmTrieEntriesAreWhatBpftoolDumps() {
    KernelTests.needBpftool();
    MapSpec s = MapSpec.of("lpm_dump", MapType.LPM_TRIE, 8, 4, 16, MapFlags.NO_PREALLOC);
    try (var t = new BpfLpmTrieMap<>(MapFd.create(s), s, PREFIX, Codecs.U32)) {
      t.set(prefix(16, 192, 168, 0, 0), 0xabcd);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> dump = (List<Map<String, Object>>) bpftoolJson("map", "dump", "id", String.valueOf(t.id()));
      assertEquals(1, dump.size());
      byte[] key = hexBytes(dump.get(0).get("key"));
      assertEquals(16, ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt());
      assertEquals((byte) 192, key[4]);
      assertEquals(0xabcd, ByteBuffer.wrap(hexBytes(dump.get(0).get("value"))).order(ByteOrder.nativeOrder()).getInt());
    }
  }

  @Test
  void queuePopsInArrivalOrderAndRefusesWhenFull() {
    MapSpec s = MapSpec.of("queue_test", MapType.QUEUE, 0, 4, 3, 0);
    try (var q = new BpfQueue<>(MapFd.create(s), s, Codecs.U32)) {
      assertNull(q.pop());
      assertNull(q.peek());
      q.push(1);
      q.push(2);
      q.push(3);
      BpfMapFullException e = assertThrows(BpfMapFullException.class, () -> q.push(4));
      assertTrue(e.getMessage().contains("max_entries 3"), e.getMessage());
      assertEquals(1, q.peek());
      assertEquals(1, q.pop());
      q.push(4);
      q.push(5, true); // overwrite: drops the oldest (2)
      assertEquals(List.of(3, 4, 5), q.drain());
      assertNull(q.pop());
    }
  }

  @Test
  void stackPopsNewestFirst() {
    MapSpec s = MapSpec.of("stack_test", MapType.STACK, 0, 8, 4, 0);
    try (var st = new BpfStack<>(MapFd.create(s), s, Codecs.U64)) {
      st.push(1L);
      st.push(2L);
      st.push(3L);
      assertEquals(3L, st.peek());
      assertEquals(List.of(3L, 2L, 1L), st.drain());
    }
  }

  @Test
  void queueValuesPushedByBpftoolArePoppedByUs() {
    KernelTests.needBpftool();
    MapSpec s = MapSpec.of("queue_tool", MapType.QUEUE, 0, 4, 4, 0);
    try (var q = new BpfQueue<>(MapFd.create(s), s, Codecs.U32)) {
      bpftool("map", "push", "id", String.valueOf(q.id()), "value", "0x2a", "0", "0", "0");
      q.push(7);
      @SuppressWarnings("unchecked")
      Map<String, Object> peeked = (Map<String, Object>) bpftoolJson("map", "peek", "id", String.valueOf(q.id()));
      assertArrayEquals(new byte[] {0x2a, 0, 0, 0}, hexBytes(peeked.get("value")));
      assertEquals(List.of(42, 7), q.drain());
    }
  }

  @Test
  void aValueThatDoesNotEncodeNamesTheQueue() {
    MapSpec s = MapSpec.of("queue_bad", MapType.QUEUE, 0, 4, 4, 0);
    try (var q = new BpfQueue<>(MapFd.create(s), s, Codecs.bytes(4))) {
      BpfValueException e = assertThrows(BpfValueException.class, () -> q.push(new byte[3]));
      assertEquals("value of map 'queue_bad': bytes(4) needs 4 bytes, got 3", e.getMessage());
      assertNull(q.pop(), "nothing was pushed");
    }
  }

  @Test
  void concurrentPoppersTakeEachValueExactlyOnce() throws Exception {
    MapSpec s = MapSpec.of("queue_conc", MapType.QUEUE, 0, 4, 4000, 0);
    try (var q = new BpfQueue<>(MapFd.create(s), s, Codecs.U32)) {
      for (int i = 0; i < 4000; i++) {
        q.push(i);
      }
      List<Integer> taken = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        Thread th = new Thread(() -> {
          for (Integer v = q.pop(); v != null; v = q.pop()) {
            taken.add(v);
          }
        });
        ts.add(th);
        th.start();
      }
      for (Thread th : ts) {
        th.join();
      }
      assertEquals(4000, taken.size());
      assertEquals(4000, new HashSet<>(taken).size());
    }
  }

  @Test
  void bloomFilterHasNoFalseNegatives() {
    MapSpec s = MapSpec.of("bloom_test", MapType.BLOOM_FILTER, 0, 8, 1000, 0);
    try (var b = new BpfBloomFilter<>(MapFd.create(s), s, Codecs.U64)) {
      for (long i = 0; i < 100; i++) {
        b.add(i * 31);
      }
      for (long i = 0; i < 100; i++) {
        assertTrue(b.mightContain(i * 31));
      }
      int falsePositives = 0;
      for (long i = 0; i < 1000; i++) {
        if (b.mightContain(1_000_000 + i)) {
          falsePositives++;
        }
      }
      assertTrue(falsePositives < 100, "false positives: " + falsePositives);
    }
  }

  @Test
  void bloomFilterIsWhatBpftoolShowsAndAcceptsBpftoolPushes() {
    KernelTests.needBpftool();
    MapSpec s = MapSpec.of("bloom_tool", MapType.BLOOM_FILTER, 0, 4, 64, 0);
    try (var b = new BpfBloomFilter<>(MapFd.create(s), s, Codecs.U32)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> shown = (Map<String, Object>) bpftoolJson("map", "show", "id", String.valueOf(b.id()));
      assertEquals("bloom_filter", shown.get("type"));
      assertEquals(4L, shown.get("bytes_value"));
      bpftool("map", "push", "id", String.valueOf(b.id()), "value", "0x2a", "0", "0", "0");
      assertTrue(b.mightContain(42));
    }
  }

  @Test
  void arrayOfMapsStoresFdsAndReadsBackIds() {
    MapSpec inner = MapSpec.of("inner", MapType.ARRAY, 4, 8, 4, 0);
    MapSpec outer = MapSpec.of("outer_a", MapType.ARRAY_OF_MAPS, 4, 4, 3, 0, Pinning.NONE, inner);
    try (var o = new BpfArrayOfMaps(MapFd.create(outer), outer)) {
      assertNull(o.get(0));
      int innerId;
      try (var in = new BpfArrayMap<>(MapFd.create(inner), inner, Codecs.U64)) {
        in.set(2, Long.valueOf(77));
        innerId = in.id();
        o.setAt(1, in.fd());
      } // the outer map keeps the inner one alive
      assertEquals(innerId, o.getAt(1));
      assertEquals(Map.of(1, innerId), o.toMap());
      MapFd reopened = o.openInner(1, inner);
      assertNotNull(reopened);
      try (var again = new BpfArrayMap<>(reopened, inner, Codecs.U64)) {
        assertEquals(77L, again.get(2));
      }
      assertNull(o.openInner(0, inner));
      assertTrue(o.remove(1));
      assertNull(o.get(1));
    }
  }

  @Test
  void mapsOfMapsTakeInnerHandles() {
    MapSpec inner = MapSpec.of("inner_hd", MapType.ARRAY, 4, 8, 4, 0);
    MapSpec outerA = MapSpec.of("outer_hda", MapType.ARRAY_OF_MAPS, 4, 4, 3, 0, Pinning.NONE, inner);
    MapSpec outerH = MapSpec.of("outer_hdh", MapType.HASH_OF_MAPS, 4, 4, 3, 0, Pinning.NONE, inner);
    try (var a = new BpfArrayOfMaps(MapFd.create(outerA), outerA);
        var h = new BpfHashOfMaps<>(MapFd.create(outerH), outerH, Codecs.U32);
        var in = new BpfArrayMap<>(MapFd.create(inner), inner, Codecs.U64)) {
      a.setAt(2, in);
      h.set(7, in);
      assertThrows(BpfKeyExistsException.class, () -> h.put(7, in, UpdateFlag.NOEXIST));
      assertEquals(in.id(), a.get(2));
      assertEquals(in.id(), h.get(7));
      in.close();
      assertThrows(BpfClosedException.class, () -> a.set(0, in));
      assertNull(a.get(0));
    }
  }

  @Test
  void innerMapOfTheWrongShapeIsRefused() {
    MapSpec inner = MapSpec.of("inner", MapType.ARRAY, 4, 8, 4, 0);
    MapSpec other = MapSpec.of("other", MapType.HASH, 4, 8, 4, 0);
    MapSpec outer = MapSpec.of("outer_b", MapType.ARRAY_OF_MAPS, 4, 4, 3, 0, Pinning.NONE, inner);
    try (var o = new BpfArrayOfMaps(MapFd.create(outer), outer); MapFd wrong = MapFd.create(other)) {
      BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> o.set(0, wrong));
      assertEquals("BPF_MAP_UPDATE_ELEM", e.operation());
    }
  }

  @Test
  void hashOfMapsIsWhatBpftoolDumps() {
    KernelTests.needBpftool();
    MapSpec inner = MapSpec.of("inner_h", MapType.HASH, 4, 4, 8, 0);
    MapSpec outer = MapSpec.of("outer_h", MapType.HASH_OF_MAPS, 8, 4, 8, 0, Pinning.NONE, inner);
    try (var o = new BpfHashOfMaps<>(MapFd.create(outer), outer, Codecs.U64); MapFd in = MapFd.create(inner)) {
      o.set(5L, in);
      int id = in.info().id();
      assertEquals(id, o.get(5L));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> dump = (List<Map<String, Object>>) bpftoolJson("map", "dump", "id", String.valueOf(o.id()));
      assertEquals(1, dump.size());
      assertEquals(5L, ByteBuffer.wrap(hexBytes(dump.get(0).get("key"))).order(ByteOrder.nativeOrder()).getLong());
      assertEquals(id, ByteBuffer.wrap(hexBytes(dump.get(0).get("value"))).order(ByteOrder.nativeOrder()).getInt());
      assertFalse(o.remove(6L));
    }
  }

  @Test
  void mapOfMapsWithoutInnerSpecIsRefusedBeforeAnySystemCall() {
    MapSpec outer = MapSpec.of("outer_c", MapType.HASH_OF_MAPS, 4, 4, 8, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MapFd.create(outer));
    assertTrue(e.getMessage().contains("inner map"), e.getMessage());
  }

  @Test
  void pinnedHashOfMapsOpensWithItsSpec() {
    Path dir = KernelTests.pinDir();
    try {
      MapSpec inner = MapSpec.of("inner_p", MapType.ARRAY, 4, 4, 2, 0);
      MapSpec outer = MapSpec.of("outer_p", MapType.HASH_OF_MAPS, 4, 4, 8, 0, Pinning.NONE, inner);
      try (MapFd fd = MapFd.create(outer)) {
        fd.pin(dir.resolve("outer"));
      }
      try (var o = new BpfHashOfMaps<>(MapFd.openPinned(dir.resolve("outer"), outer), outer, Codecs.U32)) {
        assertTrue(o.keys().isEmpty());
      }
    } finally {
      KernelTests.deleteTree(dir);
    }
  }
}
