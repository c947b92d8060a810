package io.github.bpfmaps.micrometer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The keys a binder has seen, by their raw bytes, each with the series it feeds: an open-addressing
 * table (linear probing) over one {@code long[]}, so that finding a known key costs a hash of its
 * words and, usually, one cache line, with no object per key and no allocation. A {@code HashMap} of
 * 100,000 key objects cost a chain of dependent loads per entry (table, node, key, its bytes), which
 * made a scrape more than twice the batch read it follows.
 *
 * <p>A slot is {@code words + 1} longs: the key's bytes as little-endian words (zero-padded), then
 * {@code generation << 32 | (series + 1)}, where generation 0 means an empty slot and series -1 a
 * key refused by the series limit. A parallel {@code int[]} holds each key's histogram slot number
 * ({@code @Bucket}). Not thread-safe: the binder serializes its reads.
 */
final class KeyTable {
  private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  private final int keySize;
  private final int words;
  private final int stride;
  private final long[] probe;
  private long[] slots;
  private int[] buckets;
  private int mask;
  private int size;

  KeyTable(int keySize) {
    this.keySize = keySize;
    this.words = Math.max(1, (keySize + 7) / 8);
    this.stride = words + 1;
    this.probe = new long[words];
    allocate(64);
  }

  private void allocate(int capacity) {
    slots = new long[capacity * stride];
    buckets = new int[capacity];
    mask = capacity - 1;
    size = 0;
  }

  /** Keys in the table. */
  int size() {
    return size;
  }

  /**
   * Finds the key at {@code offset} of {@code buf} (native order, {@code keySize} bytes): its slot,
   * or {@code -1 - slot} for the empty slot where it would go. Leaves the key's words in the probe
   * for {@link #insert}.
   */
  int find(ByteBuffer buf, int offset) {
    long[] p = probe;
    int full = keySize >>> 3;
    for (int j = 0; j < full; j++) {
      long w = buf.getLong(offset + 8 * j);
      p[j] = BIG_ENDIAN ? Long.reverseBytes(w) : w;
    }
    if ((keySize & 7) != 0) {
      long w = 0;
      int from = full * 8;
      for (int k = 0; from + k < keySize; k++) {
        w |= (buf.get(offset + from + k) & 0xffL) << (8 * k);
      }
      p[full] = w;
    }
    return findProbe();
  }

  private int findProbe() {
    long[] p = probe;
    long[] s = slots;
    int i = hash(p) & mask;
    for (;;) {
      int at = i * stride;
      if (s[at + words] == 0) {
        return -1 - i;
      }
      if (s[at] == p[0] && (words == 1 || Arrays.equals(s, at, at + words, p, 0, words))) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * Puts the key last passed to {@link #find}, whose answer {@code notFound} ({@code -1 - slot})
   * said it is absent, and returns its
   * slot; the table may grow, so the slot can differ from the one {@code find} named.
   */
  int insert(int notFound, int generation, int series, int bucket) {
    int slot = -1 - notFound;
    if ((size + 1) * 2 > mask + 1) {
      grow();
      slot = -1 - findProbe();
    }
    int at = slot * stride;
    System.arraycopy(probe, 0, slots, at, words);
    slots[at + words] = meta(generation, series);
    buckets[slot] = bucket;
    size++;
    return slot;
  }

  private static long meta(int generation, int series) {
    return (long) generation << 32 | (series + 1) & 0xffffffffL;
  }

  int generation(int slot) {
    return (int) (slots[slot * stride + words] >>> 32);
  }

  int series(int slot) {
    return (int) slots[slot * stride + words] - 1;
  }

  int bucket(int slot) {
    return buckets[slot];
  }

  void set(int slot, int generation, int series) {
    slots[slot * stride + words] = meta(generation, series);
  }

  void setBucket(int slot, int bucket) {
    buckets[slot] = bucket;
  }

  /** The key's bytes (a copy), for formatting its tags. */
  byte[] bytes(int slot) {
    byte[] b = new byte[keySize];
    int at = slot * stride;
    for (int k = 0; k < keySize; k++) {
      b[k] = (byte) (slots[at + k / 8] >>> (8 * (k % 8)));
    }
    return b;
  }

  /**
   * Drops every key whose generation is not {@code generation} (keys gone from the map), by
   * rebuilding the table from the others; returns how many were dropped.
   */
  int retain(int generation) {
    long[] old = slots;
    int[] oldBuckets = buckets;
    int live = 0;
    for (int i = 0; i <= mask; i++) {
      if ((int) (old[i * stride + words] >>> 32) == generation) {
        live++;
      }
    }
    int dropped = size - live;
    if (dropped == 0) {
      return 0;
    }
    int capacity = 64;
    while (live * 2 > capacity) {
      capacity *= 2;
    }
    allocate(capacity);
    reinsert(old, oldBuckets, false, generation);
    return dropped;
  }

  /** Removes every key. */
  void clear() {
    allocate(64);
  }

  private void grow() {
    long[] old = slots;
    int[] oldBuckets = buckets;
    long[] keep = probe.clone();
    allocate((mask + 1) * 2);
    reinsert(old, oldBuckets, true, 0);
    System.arraycopy(keep, 0, probe, 0, words);
  }

  /** Puts the occupied slots of {@code old} (all, or those of {@code generation}) in the table. */
  private void reinsert(long[] old, int[] oldBuckets, boolean all, int generation) {
    int n = old.length / stride;
    for (int i = 0; i < n; i++) {
      int at = i * stride;
      long m = old[at + words];
      if (m == 0 || !all && (int) (m >>> 32) != generation) {
        continue;
      }
      System.arraycopy(old, at, probe, 0, words);
      int slot = -1 - findProbe();
      System.arraycopy(old, at, slots, slot * stride, stride);
      buckets[slot] = oldBuckets[i];
      size++;
    }
  }

  /** A 64-bit mix of the words (each multiplied in, then Murmur3's finalizer), folded to an int. */
  private static int hash(long[] w) {
    long h = 0x9e3779b97f4a7c15L;
    for (long x : w) {
      h = Long.rotateLeft(h ^ x, 29) * 0xbf58476d1ce4e5b9L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h;
  }
}
