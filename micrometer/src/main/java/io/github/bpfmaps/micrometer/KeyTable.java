package io.github.bpfmaps.micrometer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The keys a binder has seen, by their raw bytes, each with the series it feeds, stored so that a
 * scrape of an unchanged map reads them as a stream.
 *
 * <p>Keys sit in an arena ({@code long[]}) in the order they were first seen, each {@code words + 1}
 * longs: the key's bytes as little-endian words (zero-padded), then {@code generation << 32 |
 * (series + 1)}, where series -1 is a key refused by the series limit. The kernel's batch walk of
 * a hash map returns the entries in bucket order, the same order scrape after scrape while the map
 * keeps its keys, so {@link #find} first compares the key with the arena entry after the previous
 * match: a sequential read the CPU prefetches. Only when that guess fails (a new key, a deleted
 * one, a resized map) does it hash the words and probe an open-addressing index ({@code int[]},
 * linear probing) that maps to arena positions. Series are numbered in the same first-seen order,
 * so their sums are streamed too.
 *
 * <p>This replaced a {@code HashMap} of 100,000 key objects, whose dependent loads (table, node, key,
 * its bytes, the series, its array) made a scrape two to three times the batch read it follows, and
 * then a plain open-addressing table, whose one random probe per entry still cost a cache miss
 * each. Not thread-safe: the binder serializes its reads.
 */
final class KeyTable {
  private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  private final int keySize;
  private final int words;
  private final int stride;
  private final long[] probe;
  private long[] arena;
  private int[] buckets; // by arena position: the @Bucket slot number of the key
  private int size;
  private int[] index; // arena position + 1; 0 = empty
  private int mask;
  private int next; // the arena position after the last match: the guess for the next key

  KeyTable(int keySize) {
    this.keySize = keySize;
    this.words = Math.max(1, (keySize + 7) / 8);
    this.stride = words + 1;
    this.probe = new long[words];
    clear();
  }

  /** Removes every key. */
  void clear() {
    arena = new long[16 * stride];
    buckets = new int[16];
    index = new int[32];
    mask = 31;
    size = 0;
    next = 0;
  }

  /** Keys in the table. */
  int size() {
    return size;
  }

  /** Starts a walk of the map: the first key is guessed to be the first one seen. */
  void rewind() {
    next = 0;
  }

  /**
   * Finds the key at {@code offset} of {@code buf} ({@code keySize} bytes, native order): its
   * position, or {@code -1 - i} with {@code i} the index slot where it would go. Leaves the key's
   * words in the probe for {@link #insert}.
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
    int guess = next;
    if (guess < size && sameKey(guess * stride)) {
      next = guess + 1;
      return guess;
    }
    int found = findIndex();
    if (found >= 0) {
      int at = index[found] - 1;
      next = at + 1;
      return at;
    }
    return found;
  }

  private boolean sameKey(int at) {
    long[] a = arena;
    long[] p = probe;
    if (a[at] != p[0]) {
      return false;
    }
    return words == 1 || Arrays.equals(a, at, at + words, p, 0, words);
  }

  /** The index slot holding the probe's key, or {@code -1 - slot} of the empty slot where it would go. */
  private int findIndex() {
    int[] ix = index;
    int i = hash(probe, 0, words) & mask;
    for (;;) {
      int e = ix[i];
      if (e == 0) {
        return -1 - i;
      }
      if (sameKey((e - 1) * stride)) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * Appends the key last passed to {@link #find}, whose answer {@code notFound} ({@code -1 - slot})
   * said it is absent, and returns its position.
   */
  int insert(int notFound, int generation, int series, int bucket) {
    int pos = size;
    if (pos == buckets.length) {
      arena = Arrays.copyOf(arena, pos * 2 * stride);
      buckets = Arrays.copyOf(buckets, pos * 2);
    }
    System.arraycopy(probe, 0, arena, pos * stride, words);
    arena[pos * stride + words] = meta(generation, series);
    buckets[pos] = bucket;
    size++;
    if (size * 2 > mask + 1) {
      reindex(index.length * 2);
    } else {
      index[-1 - notFound] = pos + 1;
    }
    next = pos + 1;
    return pos;
  }

  private static long meta(int generation, int series) {
    return (long) generation << 32 | (series + 1) & 0xffffffffL;
  }

  int generation(int pos) {
    return (int) (arena[pos * stride + words] >>> 32);
  }

  int series(int pos) {
    return (int) arena[pos * stride + words] - 1;
  }

  int bucket(int pos) {
    return buckets[pos];
  }

  void set(int pos, int generation, int series) {
    arena[pos * stride + words] = meta(generation, series);
  }

  void setBucket(int pos, int bucket) {
    buckets[pos] = bucket;
  }

  /** The key's bytes (a copy), for formatting its tags. */
  byte[] bytes(int pos) {
    byte[] b = new byte[keySize];
    int at = pos * stride;
    for (int k = 0; k < keySize; k++) {
      b[k] = (byte) (arena[at + k / 8] >>> (8 * (k % 8)));
    }
    return b;
  }

  /**
   * Drops every key whose generation is not {@code generation} (keys gone from the map), keeping the
   * others in their order; returns how many were dropped.
   */
  int retain(int generation) {
    long[] a = arena;
    int kept = 0;
    for (int i = 0; i < size; i++) {
      int at = i * stride;
      if ((int) (a[at + words] >>> 32) != generation) {
        continue;
      }
      if (kept != i) {
        System.arraycopy(a, at, a, kept * stride, stride);
        buckets[kept] = buckets[i];
      }
      kept++;
    }
    int dropped = size - kept;
    if (dropped > 0) {
      size = kept;
      int capacity = 32;
      while (kept * 2 > capacity) {
        capacity *= 2;
      }
      reindex(capacity);
    }
    return dropped;
  }

  /** Rebuilds the index, {@code capacity} slots, from the arena. */
  private void reindex(int capacity) {
    int[] ix = new int[capacity];
    int m = capacity - 1;
    for (int pos = 0; pos < size; pos++) {
      int i = hash(arena, pos * stride, words) & m;
      while (ix[i] != 0) {
        i = (i + 1) & m;
      }
      ix[i] = pos + 1;
    }
    index = ix;
    mask = m;
  }

  /** A 64-bit mix of the words (each multiplied in, then Murmur3's finalizer), folded to an int. */
  private static int hash(long[] w, int from, int n) {
    long h = 0x9e3779b97f4a7c15L;
    for (int j = 0; j < n; j++) {
      h = Long.rotateLeft(h ^ w[from + j], 29) * 0xbf58476d1ce4e5b9L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h;
  }
}
