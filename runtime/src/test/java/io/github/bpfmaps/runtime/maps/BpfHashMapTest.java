package io.github.bpfmaps.runtime.maps;

import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;
import static io.github.bpfmaps.runtime.KernelTests.hexBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfKeyExistsException;
import io.github.bpfmaps.errors.BpfMapFullException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.internal.CodecSupport;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.NeedsBpf;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@NeedsBpf
class BpfHashMapTest {
  static MapSpec spec(int entries) {
    return MapSpec.of("hash_test", MapType.HASH, 4, 8, entries, 0);
  }

  static BpfHashMap<Integer, Long> hash(int entries) {
    MapSpec s = spec(entries);
    return new BpfHashMap<>(MapFd.create(s), s, Codecs.U32, Codecs.U64);
  }

  @Test
  void absentKeyReadsAsNullAndSetThenGetRoundTrips() {
    try (var m = hash(16)) {
      assertNull(m.get(1));
      assertFalse(m.contains(1));
      m.set(1, 42L);
      assertEquals(42L, m.get(1));
      assertTrue(m.contains(1));
      m.set(1, 43L);
      assertEquals(43L, m.get(1));
    }
  }

  @Test
  void noexistOnPresentKeyIsEexistNamingTheMapAndOperation() {
    try (var m = hash(16)) {
      m.put(1, 1L, UpdateFlag.NOEXIST);
      BpfKeyExistsException e = assertThrows(BpfKeyExistsException.class, () -> m.put(1, 2L, UpdateFlag.NOEXIST));
      assertEquals("BPF_MAP_UPDATE_ELEM", e.operation());
      assertEquals("hash_test", e.target());
      assertEquals(Errno.EEXIST, e.errno());
      assertTrue(e.getMessage().startsWith("BPF_MAP_UPDATE_ELEM on 'hash_test' (flag NOEXIST): EEXIST: file exists"), e.getMessage());
      assertEquals(1L, m.get(1));
    }
  }

  @Test
  void existOnAbsentKeyIsEnoentAndOnPresentKeyReplaces() {
    try (var m = hash(16)) {
      BpfNotFoundException e = assertThrows(BpfNotFoundException.class, () -> m.put(5, 1L, UpdateFlag.EXIST));
      assertEquals(Errno.ENOENT, e.errno());
      assertNull(m.get(5));
      m.set(5, 1L);
      m.put(5, 2L, UpdateFlag.EXIST);
      assertEquals(2L, m.get(5));
    }
  }

  @Test
  void fullMapRefusesANewKeyWithE2bigButReplacesExistingOnes() {
    try (var m = hash(4)) {
      for (int i = 0; i < 4; i++) {
        m.set(i, (long) i);
      }
      BpfMapFullException e = assertThrows(BpfMapFullException.class, () -> m.set(99, 0L));
      assertEquals(Errno.E2BIG, e.errno());
      assertTrue(e.getMessage().contains("max_entries 4"), e.getMessage());
      m.set(3, 33L);
      assertEquals(33L, m.get(3));
    }
  }

  @Test
  void removeReportsWhetherTheKeyWasThere() {
    try (var m = hash(16)) {
      m.set(7, 7L);
      assertTrue(m.remove(7));
      assertFalse(m.remove(7));
      assertNull(m.get(7));
    }
  }

  @Test
  void getAndRemoveTakesTheValueOnce() {
    try (var m = hash(16)) {
      m.set(7, 70L);
      assertEquals(70L, m.getAndRemove(7));
      assertNull(m.getAndRemove(7));
    }
  }

  @Test
  void iteratorKeysStreamAndForEachSeeEveryEntryOnce() {
    try (var m = hash(128)) {
      Map<Integer, Long> expected = new HashMap<>();
      for (int i = 0; i < 100; i++) {
        m.set(i, i * 10L);
        expected.put(i, i * 10L);
      }
      Map<Integer, Long> viaIterator = new HashMap<>();
      for (Map.Entry<Integer, Long> e : m) {
        assertEquals(null, viaIterator.put(e.getKey(), e.getValue()), "repeat of " + e.getKey());
      }
      assertEquals(expected, viaIterator);
      assertEquals(expected.keySet(), new HashSet<>(m.keys()));
      assertEquals(100, m.keys().size());
      assertEquals(expected, m.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
      Map<Integer, Long> viaForEach = new HashMap<>();
      m.forEachEntry((k, v) -> assertEquals(null, viaForEach.put(k, v)));
      assertEquals(expected, viaForEach);
      assertEquals(expected, m.toMap());
    }
  }

  @Test
  void emptyMapIteratesNothing() {
    try (var m = hash(16)) {
      assertFalse(m.iterator().hasNext());
      assertTrue(m.keys().isEmpty());
      assertTrue(m.toMap().isEmpty());
    }
  }

  @Test
  void batchLookupGrowsPastCrowdedBucketsAndReadsEverything() {
    // 20 000 entries with a first chunk of 256: buckets overflow the chunk now and then (ENOSPC)
    try (var m = hash(20_000)) {
      Map<Integer, Long> all = new TreeMap<>();
      for (int i = 0; i < 20_000; i++) {
        all.put(i * 7919, (long) i);
      }
      assertEquals(20_000, m.putAll(all, UpdateFlag.ANY));
      assertEquals(all, new TreeMap<>(m.toMap()));
    }
  }

  @Test
  void batchLookupThatHitsEnospcGrowsTheChunkAndGoesOn() {
    // a chunk of one entry: the first bucket holding two entries makes the kernel answer ENOSPC
    try (var m = hash(1024)) {
      Map<Integer, Long> all = new TreeMap<>();
      for (int i = 0; i < 1000; i++) {
        all.put(i, (long) i);
      }
      m.putAll(all, UpdateFlag.ANY);
      m.firstChunk = 1;
      assertEquals(all, new TreeMap<>(m.toMap()));
      m.firstChunk = 1;
      assertEquals(all, new TreeMap<>(m.drain()));
      assertTrue(m.keys().isEmpty());
    }
  }

  @Test
  void putAllRespectsNoexistAndSaysHowManyWereWritten() {
    try (var m = hash(64)) {
      m.set(3, 3L);
      Map<Integer, Long> batch = new java.util.LinkedHashMap<>();
      batch.put(1, 1L);
      batch.put(2, 2L);
      batch.put(3, 30L);
      batch.put(4, 4L);
      BpfKeyExistsException e = assertThrows(BpfKeyExistsException.class, () -> m.putAll(batch, UpdateFlag.NOEXIST));
      assertEquals("BPF_MAP_UPDATE_ELEM", e.operation());
      assertTrue(e.getMessage().contains("flag NOEXIST, 2 of 4 entries written"), e.getMessage());
      // The failed element update stays in the chain: its own message and stack.
      assertTrue(e.getCause() instanceof BpfKeyExistsException, String.valueOf(e.getCause()));
      assertEquals(1L, m.get(1));
      assertEquals(3L, m.get(3));
    }
  }

  @Test
  void removeAllSkipsAbsentKeysAndCountsTheRemovedOnes() {
    try (var m = hash(64)) {
      for (int i = 0; i < 10; i++) {
        m.set(i, (long) i);
      }
      assertEquals(5, m.removeAll(List.of(0, 100, 2, 4, 101, 6, 8)));
      assertEquals(Set.of(1, 3, 5, 7, 9), new HashSet<>(m.keys()));
    }
  }

  @Test
  void drainReturnsEverythingAndEmptiesTheMap() {
    try (var m = hash(64)) {
      for (int i = 0; i < 50; i++) {
        m.set(i, (long) -i);
      }
      Map<Integer, Long> drained = m.drain();
      assertEquals(50, drained.size());
      assertEquals(-49L, drained.get(49));
      assertTrue(m.keys().isEmpty());
    }
  }

  @Test
  void clearEmptiesTheMap() {
    try (var m = hash(64)) {
      for (int i = 0; i < 40; i++) {
        m.set(i, 1L);
      }
      m.clear();
      assertTrue(m.toMap().isEmpty());
    }
  }

  @Test
  void whatWeWriteIsWhatBpftoolDumps() {
    KernelTests.needBpftool();
    try (var m = hash(16)) {
      m.set(0x01020304, 0x1122334455667788L);
      m.set(9, -1L);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> dump = (List<Map<String, Object>>) bpftoolJson("map", "dump", "id", String.valueOf(m.id()));
      Map<Integer, Long> seen = new HashMap<>();
      for (Map<String, Object> e : dump) {
        ByteBuffer k = ByteBuffer.wrap(hexBytes(e.get("key"))).order(ByteOrder.nativeOrder());
        ByteBuffer v = ByteBuffer.wrap(hexBytes(e.get("value"))).order(ByteOrder.nativeOrder());
        seen.put(k.getInt(), v.getLong());
      }
      assertEquals(Map.of(0x01020304, 0x1122334455667788L, 9, -1L), seen);
    }
  }

  @Test
  void lruHashEvictsInsteadOfFailingWhenFull() {
    MapSpec s = MapSpec.of("lru_test", MapType.LRU_HASH, 4, 8, 64, 0);
    try (var m = new BpfHashMap<>(MapFd.create(s), s, Codecs.U32, Codecs.U64)) {
      for (int i = 0; i < 1000; i++) {
        m.set(i, (long) i);
      }
      assertEquals(999L, m.get(999));
      assertTrue(m.keys().size() <= 64);
    }
  }

  @Test
  void codecsOfTheWrongSizeAreRefusedAtConstruction() {
    MapSpec s = spec(4);
    try (MapFd fd = MapFd.create(s)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new BpfHashMap<>(fd, s, Codecs.U64, Codecs.U64));
      assertTrue(e.getMessage().contains("4-byte keys"), e.getMessage());
    }
  }

  @Test
  void valuesThatDoNotEncodeFailBeforeAnySystemCall() {
    MapSpec s = MapSpec.of("bytes_test", MapType.HASH, 4, 3, 4, 0);
    try (var m = new BpfHashMap<>(MapFd.create(s), s, Codecs.U32, Codecs.bytes(3))) {
      BpfValueException e = assertThrows(BpfValueException.class, () -> m.set(1, new byte[2]));
      // A raw codec knows neither the map nor which side it encodes: the handle says both.
      assertEquals("value of map 'bytes_test': bytes(3) needs 3 bytes, got 2", e.getMessage());
      assertEquals("bytes_test", e.target());
      assertTrue(e.getCause() instanceof BpfValueException, "the codec's own error is the cause");
      assertFalse(m.contains(1), "nothing was written");
      m.set(1, new byte[] {1, 2, 3});
      assertEquals(3, m.get(1).length);
    }
  }

  @Test
  void keysThatDoNotEncodeSayItWasTheKey() {
    MapSpec s = MapSpec.of("bytes_key_test", MapType.HASH, 3, 4, 4, 0);
    try (var m = new BpfHashMap<>(MapFd.create(s), s, Codecs.bytes(3), Codecs.U32)) {
      for (Executable op : List.<Executable>of(
          () -> m.get(new byte[4]), () -> m.set(new byte[1], 1), () -> m.remove(new byte[0]),
          () -> m.contains(new byte[5]), () -> m.putAll(Map.of(new byte[2], 2), UpdateFlag.ANY),
          () -> m.removeAll(List.of(new byte[6])))) {
        BpfValueException e = assertThrows(BpfValueException.class, op);
        assertTrue(e.getMessage().startsWith("key of map 'bytes_key_test': bytes(3) needs 3 bytes"),
            e.getMessage());
      }
      assertEquals(0, m.keys().size());
    }
  }

  @Test
  void valuesThatDoNotDecodeNameTheMapOnEveryReadPath() {
    // As a generated enum codec: a number with no constant fails to decode.
    Codec<Integer> small = new Codec<>() {
      @Override
      public int byteSize() {
        return 4;
      }

      @Override
      public void encode(Integer value, ByteBuffer buf, int offset) {
        buf.putInt(offset, value);
      }

      @Override
      public Integer decode(ByteBuffer buf, int offset) {
        int v = buf.getInt(offset);
        if (v > 2) {
          throw CodecSupport.unknownEnum("Small.value", "Small", v);
        }
        return v;
      }
    };
    MapSpec s = MapSpec.of("decode_test", MapType.HASH, 4, 4, 8, 0);
    try (var m = new BpfHashMap<>(MapFd.create(s), s, Codecs.U32, small)) {
      m.set(1, 7); // encodes fine; only reading it back fails
      for (Executable read : List.<Executable>of(() -> m.get(1), () -> m.forEachEntry((k, v) -> { }),
          () -> m.iterator().next(), m::toMap)) {
        BpfValueException e = assertThrows(BpfValueException.class, read);
        assertTrue(e.getMessage().startsWith("value of map 'decode_test': Small.value holds 7"),
            e.getMessage());
        assertEquals("decode_test", e.target());
      }
    }
  }

  @Test
  void closedHandleRefusesOperations() {
    var m = hash(4);
    m.close();
    m.close();
    assertTrue(m.isClosed());
    assertThrows(io.github.bpfmaps.errors.BpfClosedException.class, () -> m.get(1));
    assertThrows(io.github.bpfmaps.errors.BpfClosedException.class, () -> m.set(1, 1L));
    assertThrows(io.github.bpfmaps.errors.BpfClosedException.class, () -> m.iterator().hasNext());
    assertThrows(io.github.bpfmaps.errors.BpfClosedException.class, m::toMap);
  }

  @Test
  void iterationUnderChurnEndsAndNeverReturnsADeletedKeysValueLate() throws Exception {
    try (var m = hash(1024)) {
      for (int i = 0; i < 512; i++) {
        m.set(i, (long) i);
      }
      var stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread churn = new Thread(() -> {
        int i = 0;
        while (!stop.get()) {
          int k = i++ % 512;
          m.remove(k);
          m.set(k, (long) k);
        }
      });
      churn.start();
      try {
        for (int round = 0; round < 50; round++) {
          try {
            for (Map.Entry<Integer, Long> e : m) {
              assertEquals((long) e.getKey(), e.getValue());
            }
          } catch (BpfException e) {
            // the bounded-restart error is an allowed outcome; an endless loop is not
            assertTrue(e.getMessage().contains("restarted"), e.getMessage());
          }
        }
      } finally {
        stop.set(true);
        churn.join();
      }
    }
  }

  @Test
  void walkRestartingForeverStopsWithAClearError() {
    // delete the current key before every step: each next-key restarts from the first key
    try (var m = hash(64)) {
      for (int i = 0; i < 40; i++) {
        m.set(i, (long) i);
      }
      var it = m.iterator();
      List<Integer> seen = new ArrayList<>();
      BpfException e = assertThrows(BpfException.class, () -> {
        while (it.hasNext()) {
          int k = it.next().getKey();
          seen.add(k);
          m.remove(k);
          m.set(k, (long) k); // back, but the walk's position in its bucket chain is gone
          if (seen.size() > 10_000) {
            throw new AssertionError("walk did not stop");
          }
        }
      });
      assertTrue(e.getMessage().contains("restarted"), e.getMessage());
      assertTrue(e.getMessage().contains("hash_test"), e.getMessage());
    }
  }

  @Test
  void handlesWithWalksAndBatchesLeakNoFds() {
    for (int i = 0; i < 3; i++) {
      try (var m = hash(64)) {
        m.set(1, 1L);
        m.toMap();
      }
    }
    Set<String> before = KernelTests.runtimeFds();
    for (int i = 0; i < 300; i++) {
      try (var m = hash(64)) {
        m.set(i, 1L);
        m.keys();
        m.toMap();
        m.iterator().hasNext(); // an abandoned iterator holds no fd
        m.drain();
      }
    }
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
  }

  @Test
  void readersWalkWhileWritersWriteAndFinalCountsAreExact() throws Exception {
    try (var m = hash(4096)) {
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      var stop = new java.util.concurrent.atomic.AtomicBoolean();
      Thread reader = new Thread(() -> {
        try {
          while (!stop.get()) {
            m.forEachEntry((k, v) -> assertEquals((long) k, v));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      reader.start();
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int base = t * 1000;
        Thread w = new Thread(() -> {
          for (int i = 0; i < 1000; i++) {
            m.set(base + i, (long) (base + i));
          }
        });
        writers.add(w);
        w.start();
      }
      for (Thread w : writers) {
        w.join();
      }
      stop.set(true);
      reader.join();
      assertEquals(List.of(), errors);
      assertEquals(4000, m.toMap().size());
    }
  }

  @Test
  void concurrentWritersFromEightThreadsLeaveExactCounts() throws Exception {
    try (var m = hash(10_000)) {
      int threads = 8;
      int perThread = 1000;
      List<Thread> ts = new ArrayList<>();
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        Thread th = new Thread(() -> {
          try {
            for (int i = 0; i < perThread; i++) {
              m.put(base + i, (long) (base + i), UpdateFlag.NOEXIST);
              assertEquals((long) (base + i), m.get(base + i));
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        ts.add(th);
        th.start();
      }
      for (Thread th : ts) {
        th.join();
      }
      assertEquals(List.of(), errors);
      Map<Integer, Long> all = m.toMap();
      assertEquals(threads * perThread, all.size());
      IntStream.range(0, threads * perThread).forEach(i -> assertEquals((long) i, all.get(i)));
    }
  }

  @Test
  void closeWhileOtherThreadsUseTheHandleNeverTouchesARecycledFd() throws Exception {
    for (int round = 0; round < 20; round++) {
      var m = hash(64);
      m.set(1, 1L);
      // a decoy map that would likely get the recycled fd number if close(2) ran too early
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      var start = new java.util.concurrent.CountDownLatch(1);
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          try {
            start.await();
            for (;;) {
              Long v = m.get(1);
              assertEquals(1L, v); // a recycled fd would name another map (or nothing)
            }
          } catch (io.github.bpfmaps.errors.BpfClosedException expected) {
            // the clean way out
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        ts.add(th);
        th.start();
      }
      start.countDown();
      Thread.sleep(5);
      m.close();
      try (var decoy = hash(64)) {
        decoy.set(1, 2L);
        for (Thread th : ts) {
          th.join();
        }
      }
      assertEquals(List.of(), errors);
    }
  }
}
