package io.github.bpfmaps.micrometer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The binder's key table without a kernel: keys as a batch chunk holds them, in any order. */
class KeyTableTest {
  private static ByteBuffer chunk(List<byte[]> keys, int keySize) {
    ByteBuffer b = ByteBuffer.allocateDirect(keys.size() * keySize).order(ByteOrder.nativeOrder());
    for (int i = 0; i < keys.size(); i++) {
      b.put(i * keySize, keys.get(i));
    }
    return b;
  }

  private static List<byte[]> randomKeys(int n, int keySize, long seed) {
    Random r = new Random(seed);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] k = new byte[keySize];
      r.nextBytes(k);
      k[0] = (byte) i; // distinct even for a 1-byte key when n <= 256
      if (keySize >= 4) {
        ByteBuffer.wrap(k).putInt(0, i);
      }
      keys.add(k);
    }
    return keys;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 6, 8, 13, 16, 20})
  void everyKeyIsFoundAgainInAnyOrderAndKeepsItsSeries(int keySize) {
    int n = keySize == 1 ? 200 : 5000;
    List<byte[]> keys = randomKeys(n, keySize, keySize);
    KeyTable t = new KeyTable(keySize);
    ByteBuffer b = chunk(keys, keySize);
    t.rewind();
    for (int i = 0; i < n; i++) {
      int found = t.find(b, i * keySize);
      assertTrue(found < 0, "new key " + i);
      int pos = t.insert(found, 1, i, i % 7);
      assertArrayEquals(keys.get(i), t.bytes(pos));
    }
    assertEquals(n, t.size());

    // the same order (the streaming guess), then a shuffled one (the hash index)
    List<byte[]> shuffled = new ArrayList<>(keys);
    Collections.shuffle(shuffled, new Random(7));
    for (List<byte[]> order : List.of(keys, shuffled)) {
      ByteBuffer c = chunk(order, keySize);
      t.rewind();
      for (int i = 0; i < n; i++) {
        int pos = t.find(c, i * keySize);
        assertTrue(pos >= 0);
        int series = t.series(pos);
        assertArrayEquals(order.get(i), keys.get(series));
        assertEquals(series % 7, t.bucket(pos));
        assertEquals(1, t.generation(pos));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 12})
  void retainDropsTheKeysOfOlderReadsAndFindsTheRest(int keySize) {
    int n = 3000;
    List<byte[]> keys = randomKeys(n, keySize, 42);
    KeyTable t = new KeyTable(keySize);
    ByteBuffer b = chunk(keys, keySize);
    for (int i = 0; i < n; i++) {
      t.insert(t.find(b, i * keySize), 1, i, -1);
    }
    t.rewind();
    for (int i = 0; i < n; i += 3) {
      int pos = t.find(b, i * keySize);
      t.set(pos, 2, t.series(pos));
    }
    assertEquals(n - (n + 2) / 3, t.retain(2));
    assertEquals((n + 2) / 3, t.size());
    for (int i = 0; i < n; i++) {
      int pos = t.find(b, i * keySize);
      if (i % 3 == 0) {
        assertTrue(pos >= 0, "kept key " + i);
        assertEquals(i, t.series(pos));
      } else {
        assertTrue(pos < 0, "dropped key " + i);
      }
    }
    assertEquals(0, t.retain(2));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 5})
  void seriesNumbersIncludingRefusedOnesSurviveTheMetaWord(int series) {
    KeyTable t = new KeyTable(8);
    ByteBuffer b = chunk(randomKeys(1, 8, 1), 8);
    int pos = t.insert(t.find(b, 0), Integer.MIN_VALUE, series, 3);
    assertEquals(series, t.series(pos));
    assertEquals(Integer.MIN_VALUE, t.generation(pos));
    t.set(pos, -1, series);
    assertEquals(-1, t.generation(pos));
    assertEquals(series, t.series(pos));
  }
}
