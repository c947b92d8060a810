package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A map of keys to values, with what every keyed map type can do: look up, update, walk, read in
 * batches, clear. The handles of types whose entries can also be deleted (hash, LRU, LPM trie, and
 * the other types the kernel deletes from) extend {@link BpfDeletableMap}, which adds {@code
 * remove}, {@code getAndRemove}, {@code removeAll} and {@code drain}; the arrays ({@link
 * BpfIndexedMap}: {@link BpfArrayMap}, {@link BpfPerCpuArrayMap}), whose entries live as long as the
 * map, extend this class only, so deleting from an array does not compile. Used directly, this
 * class is a generic handle of any keyed type without deletes (per-CPU types: a value codec of all
 * CPUs' slots).
 *
 * <p><b>Cost.</b> {@link #get}, {@link #set}, {@link #put} and {@link #contains} are one system call
 * each and allocate nothing but the value they return (keys and values are encoded into per-thread
 * native buffers); for 8- and 4-byte values, {@link #getLong}, {@link #getInt}, {@link #setLong} and
 * {@link #setInt} skip the box too, so they allocate nothing at all. The batch operations ({@link
 * #forEachEntry}, {@link #toMap}, {@link #putAll}, and {@link BpfDeletableMap}'s {@code removeAll}
 * and {@code drain}) use {@code BPF_MAP_*_BATCH}, one system call per chunk, and fall back to one
 * call per element where the map type or kernel has no batch command (EINVAL, ENOTSUPP or
 * EOPNOTSUPP on the first chunk).
 *
 * <p><b>Iteration under concurrent change.</b> Two walks with different guarantees, under
 * different names:
 * <ul>
 *   <li>{@link #forEachEntry}, {@link #toMap()} (and {@code drain()}) read in batches where the
 *       kernel has them (hash and array families): the kernel reads whole hash buckets under their
 *       lock and resumes at the next bucket, so an entry that stays put during the walk is returned
 *       <em>exactly once</em>; inserted or deleted ones may or may not be. Types without batches
 *       fall back to the next-key walk below.
 *   <li>{@link #iterator()}, {@link #forEach(Consumer)} (Kotlin's {@code for ((k, v) in map)}),
 *       {@link #keys()} and {@link #stream()} walk with {@code BPF_MAP_GET_NEXT_KEY}, then look each
 *       key up, one entry at a time (so a loop can stop early); the fd is held only during those
 *       calls. An entry present and not deleted during the whole walk is returned <em>at least
 *       once</em> (unless the walk ends with the exception below), with the value read at its
 *       lookup; an entry inserted or deleted during the walk may or may not be returned; a key
 *       deleted between its next-key and its lookup is skipped, never returned with a stale value.
 *       Repeats: if the walk's current key is deleted, the kernel (hash, LRU and LPM maps, {@code
 *       htab_map_get_next_key} and {@code trie_get_next_key}) answers the next next-key with the
 *       first key again, so the walk restarts and entries already returned are returned again. A
 *       restart is counted when the first key comes round again; after {@value #MAX_RESTARTS}
 *       restarts, or more than {@code (MAX_RESTARTS + 1) * (max_entries + 1)} steps in all (which
 *       also bounds restarts that the deletion of the first key hides), {@code next()} throws a
 *       {@link BpfException} naming the map, so a walk always ends. Arrays never restart: every
 *       index is returned exactly once.
 * </ul>
 *
 * <p>Thread-safe; see {@link BpfMapHandle}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class BpfKeyedMap<K, V> extends BpfMapHandle implements Iterable<Map.Entry<K, V>> {
  /** How often a walk may restart from the first key before it gives up. */
  public static final int MAX_RESTARTS = 16;

  /**
   * Entries asked for by the first lookup-batch call; package-private so tests can force ENOSPC.
   * 4096 (as {@code bpftool} and the C baseline) for small entries, fewer when entries are large so
   * that the per-thread chunk buffers stay near 1 MiB: per call the kernel's fixed cost is a few
   * microseconds, which 256-entry chunks spread over too few entries.
   */
  int firstChunk;
  private static final int MAX_CHUNK = 1 << 20;

  /** The key codec. */
  protected final Codec<K> keyCodec;
  /** The value codec (for per-CPU maps, the codec of all CPUs' slots). */
  protected final Codec<V> valueCodec;
  /** Bytes of one key as the kernel sees it. */
  protected final int keySize;
  /** Bytes of one value as the system calls see it (all CPUs' slots for per-CPU maps). */
  protected final int valueSize;

  private volatile boolean noLookupBatch;
  private volatile boolean noUpdateBatch;
  private volatile boolean noDeleteBatch;

  /**
   * @param fd the map, owned by the handle from now on
   * @param spec what the map is
   * @param keyCodec encodes keys of exactly {@code spec.keySize()} bytes
   * @param valueCodec encodes values of {@code spec.valueSize()} bytes
   * @throws IllegalArgumentException if a codec's size differs from the spec
   */
  public BpfKeyedMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec);
    this.keyCodec = keyCodec;
    this.valueCodec = valueCodec;
    this.keySize = checkSize(spec, keyCodec, spec.keySize(), "key");
    this.valueSize = checkSize(spec, valueCodec, spec.type().perCpu()
        ? PerCpuValues.slotSize(spec.valueSize()) * io.github.bpfmaps.runtime.Bpf.possibleCpus()
        : spec.valueSize(), "value");
    this.firstChunk = chunkFor(keySize, valueSize);
  }

  /**
   * The codec of the keys (generated by the processor, or one of {@code Codecs}); its {@link
   * Codec#layout()} tells how the key's bytes are laid out, for readers of raw batches.
   */
  public Codec<K> keyCodec() {
    return keyCodec;
  }

  /** The codec of the values as the system calls see them (for per-CPU maps: all CPUs' slots). */
  public Codec<V> valueCodec() {
    return valueCodec;
  }

  /** Entries per batch chunk: 4096, or as many as fit in 1 MiB of keys and values (at least 64). */
  static int chunkFor(int keySize, int valueSize) {
    return Math.max(64, Math.min(4096, (1 << 20) / Math.max(1, keySize + valueSize)));
  }

  /** Encodes a key; a codec's error names this map and says it was the key. */
  protected final void encodeKey(K key, ByteBuffer buf, int offset) {
    try {
      keyCodec.encode(key, buf, offset);
    } catch (BpfValueException e) {
      throw e.of(spec.name(), "key");
    }
  }

  /** Encodes a value; a codec's error names this map and says it was the value. */
  protected final void encodeValue(V value, ByteBuffer buf, int offset) {
    try {
      valueCodec.encode(value, buf, offset);
    } catch (BpfValueException e) {
      throw e.of(spec.name(), "value");
    }
  }

  /** Decodes a key; a codec's error names this map and says it was the key. */
  protected final K decodeKey(ByteBuffer buf, int offset) {
    try {
      return keyCodec.decode(buf, offset);
    } catch (BpfValueException e) {
      throw e.of(spec.name(), "key");
    }
  }

  /** Decodes a value; a codec's error names this map and says it was the value. */
  protected final V decodeValue(ByteBuffer buf, int offset) {
    try {
      return valueCodec.decode(buf, offset);
    } catch (BpfValueException e) {
      throw e.of(spec.name(), "value");
    }
  }

  // ---- single elements ----

  /**
   * The value at {@code key}, or null if absent ({@code BPF_MAP_LOOKUP_ELEM}: one system call;
   * allocates the decoded value only, nothing when absent).
   *
   * @throws io.github.bpfmaps.errors.BpfClosedException if the handle is closed
   * @throws io.github.bpfmaps.errors.BpfValueException if the key does not encode
   */
  public @Nullable V get(K key) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    return lookupScratchKey(s);
  }

  /** Looks up the key already encoded in {@code s.key}; the shared body of the {@code get}s. */
  final @Nullable V lookupScratchKey(Scratch s) {
    return read(BpfSys.BPF_MAP_LOOKUP_ELEM, s.keyAddress(), s, valueCodec, valueSize);
  }

  /**
   * True if {@code key} is present (one lookup system call; the value is not decoded).
   */
  public boolean contains(K key) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    s.value(valueSize);
    return found(s, BpfSys.BPF_MAP_LOOKUP_ELEM, s.keyAddress(), s.valueAddress());
  }

  /**
   * Creates or replaces the entry ({@code BPF_ANY}); same as {@code put(key, value, ANY)}.
   *
   * @throws io.github.bpfmaps.errors.BpfMapFullException if the map is full (hash maps) or the
   *     index is out of range (arrays: E2BIG)
   */
  public void set(K key, V value) {
    put(key, value, UpdateFlag.ANY);
  }

  /**
   * Writes the entry with the kernel's update semantics ({@code BPF_MAP_UPDATE_ELEM}: one system
   * call, no allocation). On arrays every index exists, so {@link UpdateFlag#NOEXIST} always throws
   * and {@link UpdateFlag#EXIST} is {@code ANY} within the bounds ({@code array_map_update_elem});
   * {@link UpdateFlag#LOCK} is for values with a {@code bpf_spin_lock}, on hashes and arrays alike.
   *
   * @throws io.github.bpfmaps.errors.BpfKeyExistsException with {@link UpdateFlag#NOEXIST} if the
   *     key is present
   * @throws io.github.bpfmaps.errors.BpfNotFoundException with {@link UpdateFlag#EXIST} if absent
   * @throws io.github.bpfmaps.errors.BpfMapFullException if the map is full
   * @throws io.github.bpfmaps.errors.BpfValueException if the key or value does not encode
   */
  public void put(K key, V value, UpdateFlag flag) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    updateScratchKey(s, value, flag);
  }

  /** Updates the key already encoded in {@code s.key}; the shared body of the {@code put}s. */
  final void updateScratchKey(Scratch s, V value, UpdateFlag flag) {
    encodeValue(value, s.value(valueSize), 0);
    updateScratch(s, flag);
  }

  /** Updates with the key and value already encoded in {@code s}. */
  private void updateScratch(Scratch s, UpdateFlag flag) {
    int err = elem(s, BpfSys.BPF_MAP_UPDATE_ELEM, s.keyAddress(), s.valueAddress(), flag.bits());
    if (err != 0) {
      throw error(BpfSys.BPF_MAP_UPDATE_ELEM, err, updateDetail(s, flag, err));
    }
  }

  // ---- primitive values without boxing ----

  /**
   * The value at {@code key} as a 64-bit integer in host byte order, or {@code absent} if the key is
   * not present: the allocation-free form of {@link #get} for maps whose value is a {@code __u64} /
   * {@code __s64} (a {@code Long} value codec). One system call; allocates nothing, whatever the
   * value (a {@code Long} above 127 would be a new object on every {@code get}).
   *
   * @throws IllegalStateException if the map's value is not 8 bytes
   */
  public long getLong(K key, long absent) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    return lookupLong(s, absent);
  }

  /**
   * As {@link #getLong} for maps whose value is a {@code __u32} / {@code __s32} (an {@code Integer}
   * value codec).
   *
   * @throws IllegalStateException if the map's value is not 4 bytes
   */
  public int getInt(K key, int absent) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    return lookupInt(s, absent);
  }

  /**
   * Writes a 64-bit value at {@code key} ({@code BPF_ANY}) without boxing it: the allocation-free
   * form of {@link #set} for 8-byte values. One system call; no allocation.
   *
   * @throws IllegalStateException if the map's value is not 8 bytes
   */
  public void setLong(K key, long value) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    updateLong(s, value);
  }

  /**
   * Writes a 32-bit value at {@code key} ({@code BPF_ANY}) without boxing it; see {@link #setLong}.
   *
   * @throws IllegalStateException if the map's value is not 4 bytes
   */
  public void setInt(K key, int value) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    updateInt(s, value);
  }

  /** {@link #getLong} of the key already encoded in {@code s.key}. */
  final long lookupLong(Scratch s, long absent) {
    requireValueSize(8, "getLong");
    ByteBuffer v = s.value(8);
    return found(s, BpfSys.BPF_MAP_LOOKUP_ELEM, s.keyAddress(), s.valueAddress()) ? v.getLong(0) : absent;
  }

  /** {@link #getInt} of the key already encoded in {@code s.key}. */
  final int lookupInt(Scratch s, int absent) {
    requireValueSize(4, "getInt");
    ByteBuffer v = s.value(4);
    return found(s, BpfSys.BPF_MAP_LOOKUP_ELEM, s.keyAddress(), s.valueAddress()) ? v.getInt(0) : absent;
  }

  /** {@link #setLong} of the key already encoded in {@code s.key}. */
  final void updateLong(Scratch s, long value) {
    requireValueSize(8, "setLong");
    s.value(8).putLong(0, value);
    updateScratch(s, UpdateFlag.ANY);
  }

  /** {@link #setInt} of the key already encoded in {@code s.key}. */
  final void updateInt(Scratch s, int value) {
    requireValueSize(4, "setInt");
    s.value(4).putInt(0, value);
    updateScratch(s, UpdateFlag.ANY);
  }

  private void requireValueSize(int size, String method) {
    if (valueSize != size) {
      throw new IllegalStateException(method + " needs a map with " + size + "-byte values, but map '"
          + spec.name() + "' has " + valueSize + "-byte values; use get/set");
    }
  }

  /**
   * What to add to a failed update's message. E2BIG on an array means the index in {@code s.key} is
   * past the end: said with the index (as the kernel reads it, a {@code u32}; a negative Java
   * {@code int} is a large index), not as a full map.
   */
  private String updateDetail(Scratch s, UpdateFlag flag, int err) {
    if (err != Errno.E2BIG) {
      return "flag " + flag;
    }
    if (spec.type().indexed()) {
      int index = s.key(4).getInt(0);
      return "index " + Integer.toUnsignedString(index) + (index < 0 ? " (" + index + " as a Java int)" : "")
          + " is past the end of the array (max_entries " + spec.maxEntries() + ")";
    }
    return "flag " + flag + ", max_entries " + spec.maxEntries();
  }

  /**
   * Writes an all-zero value at every index {@code 0 .. max_entries-1} of an int-indexed map (the
   * {@code clear} of arrays, whose entries cannot be deleted): one system call per index.
   */
  final void zeroEveryIndex() {
    Scratch s = Scratch.get();
    for (int i = 0; i < spec.maxEntries(); i++) {
      s.key(4).putInt(0, i);
      ByteBuffer v = s.value(valueSize);
      for (int b = 0; b < valueSize; b++) {
        v.put(b, (byte) 0);
      }
      int err = elem(BpfSys.BPF_MAP_UPDATE_ELEM, s.keyAddress(), s.valueAddress(), 0);
      if (err != 0) {
        throw error(BpfSys.BPF_MAP_UPDATE_ELEM, err, "zeroing index " + i);
      }
    }
  }

  // ---- walks ----

  /**
   * The next-key walk: {@code BPF_MAP_GET_NEXT_KEY} then a lookup per entry (two system calls per
   * entry; allocates the walk's three native buffers once, and each entry), lazily, so a loop can
   * stop early. <b>Under concurrent change</b> an entry that stays put is returned at least once,
   * but on hash, LRU and LPM maps a deletion of the walk's current key restarts the walk, so entries
   * may be returned again (bounded; see the class comment); arrays return every index once. For
   * each entry exactly once, use {@link #forEachEntry}. The iterator is not thread-safe; the map is.
   */
  @Override
  public Iterator<Map.Entry<K, V>> iterator() {
    return new Walk<>(this, true);
  }

  /**
   * Calls {@code action} with each entry of the next-key walk of {@link #iterator()} (this is {@code
   * Iterable.forEach}, and what Kotlin's {@code for ((k, v) in map)} runs), with its guarantees:
   * <b>under concurrent deletes entries may be passed more than once</b>. Two system calls per
   * entry. {@link #forEachEntry} reads in batches instead and passes each entry that stays put
   * exactly once.
   */
  @Override
  public void forEach(Consumer<? super Map.Entry<K, V>> action) {
    Iterable.super.forEach(action);
  }

  /**
   * A snapshot of the keys, by the next-key walk of {@link #iterator()} (one system call per key;
   * allocates the list and the keys). <b>Under concurrent change</b>, as the walk: keys inserted or
   * deleted meanwhile may be missing or listed; after a restart a key may be listed twice.
   */
  public List<K> keys() {
    List<K> out = new ArrayList<>();
    Walk<K, V> w = new Walk<>(this, false);
    while (w.hasNext()) {
      out.add(w.next().getKey());
    }
    return out;
  }

  /**
   * The entries as a lazy sequential stream over the next-key walk of {@link #iterator()}, with its
   * guarantees: <b>under concurrent deletes entries may repeat</b>.
   */
  public Stream<Map.Entry<K, V>> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.NONNULL), false);
  }

  /**
   * The batched walk: calls {@code action} with every entry, read in chunks with {@code
   * BPF_MAP_LOOKUP_BATCH} (one system call per chunk; a chunk that a hash bucket overflows (ENOSPC)
   * is retried twice as large), or with {@link #iterator()} where batches are unsupported. Allocates
   * only the decoded keys and values (the chunk buffers are per thread). {@code action} may use this
   * map.
   *
   * <p><b>Under concurrent change</b>, where the batch command exists (hash and array families) an
   * entry that stays put during the walk is passed exactly once, never repeated; entries inserted or
   * deleted meanwhile may or may not be passed. Where it does not (LPM tries and other types), this
   * falls back to {@link #iterator()} and its guarantees (entries may repeat after a delete).
   */
  public void forEachEntry(BiConsumer<? super K, ? super V> action) {
    if (!noLookupBatch) {
      if (lookupBatch(false, action)) {
        return;
      }
      noLookupBatch = true;
    }
    for (Map.Entry<K, V> e : this) {
      action.accept(e.getKey(), e.getValue());
    }
  }

  /**
   * A snapshot as an insertion-ordered {@link LinkedHashMap}, read by the batched walk of {@link
   * #forEachEntry}: <b>under concurrent change</b> each entry that stays put during the read
   * appears once (a map cannot repeat a key anyway; what batches add is that no entry that stays put
   * is missed because of a restart).
   */
  public Map<K, V> toMap() {
    Map<K, V> out = new LinkedHashMap<>();
    forEachEntry(out::put);
    return out;
  }

  /**
   * Empties the map: ARRAY and PERCPU_ARRAY, whose entries cannot be deleted, get zeros written at
   * every index (one system call per index); other types have their keys listed (next-key walk), then
   * deleted ({@code BPF_MAP_DELETE_BATCH} per chunk, or one call per key where the type has no batch
   * delete). Entries added meanwhile may remain.
   */
  public void clear() {
    if (spec.type() == MapType.ARRAY || spec.type() == MapType.PERCPU_ARRAY) {
      zeroEveryIndex();
      return;
    }
    deleteKeys(keys());
  }

  // ---- batches ----

  /**
   * Writes all {@code entries} with {@code BPF_MAP_UPDATE_BATCH} (one system call per chunk of up
   * to 4096 entries) when {@code flag} is {@code ANY} or {@code LOCK}; element by element for
   * {@code NOEXIST}/{@code EXIST} (the kernel's batch update does not take them) and where batches
   * are unsupported. Every entry is encoded before the first system call, so a value that does not
   * encode leaves the map as it was (where more than one call is needed, each entry is encoded twice).
   *
   * @return the number of entries written (all of them, unless an exception is thrown)
   * @throws io.github.bpfmaps.errors.BpfValueException if any entry does not encode; nothing written
   * @throws io.github.bpfmaps.errors.BpfSyscallException for the first entry the kernel refuses,
   *     saying how many were written before it
   */
  public int putAll(Map<? extends K, ? extends V> entries, UpdateFlag flag) {
    if (entries.isEmpty()) {
      return 0;
    }
    // generic_map_update_batch (kernel/bpf/syscall.c) accepts only BPF_F_LOCK in elem_flags, so
    // NOEXIST/EXIST semantics need one update per element.
    boolean batch = !noUpdateBatch && (flag == UpdateFlag.ANY || flag == UpdateFlag.LOCK);
    if (!batch) {
      // One call per entry: refuse a bad entry before the first call, as updateBatch does,
      // instead of leaving a part written.
      checkAll(entries);
    }
    if (batch) {
      int done = updateBatch(entries, flag);
      if (done >= 0) {
        return done;
      }
    }
    int n = 0;
    for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
      try {
        put(e.getKey(), e.getValue(), flag);
      } catch (BpfSyscallException ex) {
        throw BpfException.withCause(BpfSyscallException.of(ex.operation(), spec.name(), ex.errno(),
            "flag " + flag + ", " + n + " of " + entries.size() + " entries written before the failure"), ex);
      }
      n++;
    }
    return n;
  }

  /** Encodes every entry into this thread's scratch buffers and throws at the first that fails. */
  private void checkAll(Map<? extends K, ? extends V> entries) {
    Scratch s = Scratch.get();
    for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
      encodeKey(e.getKey(), s.key(keySize), 0);
      encodeValue(e.getValue(), s.value(valueSize), 0);
    }
  }

  /**
   * Deletes the given keys ({@code BPF_MAP_DELETE_BATCH} per chunk, or one delete per key);
   * absent keys are skipped. The body of {@link BpfDeletableMap#removeAll} and of {@link #clear()}.
   *
   * @return how many keys were present and deleted
   */
  final int deleteKeys(Collection<? extends K> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    if (!noDeleteBatch) {
      int done = deleteBatch(keys);
      if (done >= 0) {
        return done;
      }
    }
    int n = 0;
    Scratch s = Scratch.get();
    for (K k : keys) {
      encodeKey(k, s.key(keySize), 0);
      int err = elem(s, BpfSys.BPF_MAP_DELETE_ELEM, s.keyAddress(), 0, 0);
      if (err == 0) {
        n++;
      } else if (!absentOnDelete(err)) {
        throw error(BpfSys.BPF_MAP_DELETE_ELEM, err, n + " of " + keys.size()
            + " keys deleted before the failure" + deleteDetail(err));
      }
    }
    return n;
  }

  /**
   * Whether a failed {@code BPF_MAP_DELETE_ELEM} only means the key was not there: ENOENT, and for
   * SOCKMAP also EINVAL, which {@code __sock_map_delete} ({@code net/core/sock_map.c}) answers for
   * an empty slot (a key past the end, its only other EINVAL, cannot come from a walk or from
   * {@link #clear()}; {@link BpfDeletableMap#remove} still reports it).
   */
  private boolean absentOnDelete(int err) {
    return err == Errno.ENOENT || (err == Errno.EINVAL && spec.type() == MapType.SOCKMAP);
  }

  /** Why a delete failed, where the errno alone would not say it. */
  private String deleteDetail(int err) {
    if (err == Errno.EINVAL && !deletable(spec.type())) {
      return "; entries of " + spec.type() + " maps cannot be deleted ("
          + (spec.type().indexed() ? "clear() writes zeros instead" : "they live as long as the attachment") + ")";
    }
    return "";
  }

  /**
   * Whether the kernel can delete entries of this type from user space: not arrays ({@code
   * array_map_delete_elem} in {@code kernel/bpf/arraymap.c} answers EINVAL) nor cgroup storage
   * ({@code cgroup_storage_delete_elem}: entries go with the attachment).
   */
  private static boolean deletable(MapType t) {
    return t != MapType.ARRAY && t != MapType.PERCPU_ARRAY && t != MapType.CGROUP_STORAGE
        && t != MapType.PERCPU_CGROUP_STORAGE;
  }

  static boolean unsupported(int err) {
    return err == Errno.EINVAL || err == Errno.ENOTSUPP || err == Errno.EOPNOTSUPP;
  }

  /** Per-thread chunk buffers; a nested batch on the same thread (from a callback) gets its own. */
  private static final class Chunk {
    static final ThreadLocal<Chunk> CURRENT = ThreadLocal.withInitial(Chunk::new);
    final Scratch.Region keys = new Scratch.Region();
    final Scratch.Region values = new Scratch.Region();
    final Scratch.Region in = new Scratch.Region();
    final Scratch.Region out = new Scratch.Region();
    boolean busy;

    static Chunk take() {
      Chunk c = CURRENT.get();
      if (c.busy) {
        c = new Chunk();
      }
      c.busy = true;
      return c;
    }
  }

  /**
   * Reads (and with {@code delete}, deletes) every entry in chunks with {@code
   * BPF_MAP_LOOKUP[_AND_DELETE]_BATCH}; returns false, having called {@code action} for nothing, if
   * the first chunk says the command is unsupported.
   */
  final boolean lookupBatch(boolean delete, BiConsumer<? super K, ? super V> action) {
    int cmd = delete ? BpfSys.BPF_MAP_LOOKUP_AND_DELETE_BATCH : BpfSys.BPF_MAP_LOOKUP_BATCH;
    int tokenSize = Math.max(keySize, 8);
    int n = Math.max(1, Math.min(firstChunk, spec.maxEntries()));
    Chunk c = Chunk.take();
    try {
      c.in.ensure(tokenSize);
      c.out.ensure(tokenSize);
      boolean first = true;
      for (;;) {
        ByteBuffer keys = c.keys.ensure(n * keySize);
        ByteBuffer values = c.values.ensure(n * valueSize);
        int err;
        int count;
        int raw = fd.acquire();
        try {
          err = BpfSys.mapBatch(cmd, raw, first ? 0 : c.in.address, c.out.address,
              c.keys.address, c.values.address, n, 0);
          count = BpfSys.batchCount(n, err);
        } finally {
          fd.release();
        }
        if (err == Errno.ENOSPC && n < MAX_CHUNK) {
          n *= 2; // a hash bucket holds more entries than the chunk: retry the same bucket, larger
          continue;
        }
        if (err != 0 && err != Errno.ENOENT) {
          if (first && unsupported(err)) {
            return false;
          }
          throw error(cmd, err, "chunk of " + n);
        }
        for (int i = 0; i < count; i++) {
          action.accept(decodeKey(keys, i * keySize), decodeValue(values, i * valueSize));
        }
        if (err == Errno.ENOENT) {
          return true; // the end; count may still have been > 0
        }
        ByteBuffer in = c.in.ensure(tokenSize);
        ByteBuffer out = c.out.ensure(tokenSize);
        for (int i = 0; i < tokenSize; i++) {
          in.put(i, out.get(i));
        }
        first = false;
      }
    } finally {
      c.busy = false;
    }
  }

  /** Returns -1 (and marks the command unsupported) if the first chunk says so. */
  private int updateBatch(Map<? extends K, ? extends V> entries, UpdateFlag flag) {
    int total = entries.size();
    int chunk = Math.min(total, chunkFor(keySize, valueSize));
    Chunk c = Chunk.take();
    try {
      if (total > chunk) {
        checkAll(entries); // more than one call: a bad late entry must not leave earlier chunks written
      }
      ByteBuffer keys = c.keys.ensure(chunk * keySize);
      ByteBuffer values = c.values.ensure(chunk * valueSize);
      Iterator<? extends Map.Entry<? extends K, ? extends V>> it = entries.entrySet().iterator();
      int done = 0;
      while (it.hasNext()) {
        int n = 0;
        while (n < chunk && it.hasNext()) {
          Map.Entry<? extends K, ? extends V> e = it.next();
          encodeKey(e.getKey(), keys, n * keySize);
          encodeValue(e.getValue(), values, n * valueSize);
          n++;
        }
        int err;
        int count;
        int raw = fd.acquire();
        try {
          err = BpfSys.mapBatch(BpfSys.BPF_MAP_UPDATE_BATCH, raw, 0, 0, c.keys.address,
              c.values.address, n, flag.bits());
          count = BpfSys.batchCount(n, err);
        } finally {
          fd.release();
        }
        if (err != 0) {
          if (done == 0 && count == 0 && unsupported(err)
              && (err != Errno.EINVAL || batchUnsupportedType())) {
            noUpdateBatch = true;
            return -1;
          }
          throw error(BpfSys.BPF_MAP_UPDATE_BATCH, err,
              "flag " + flag + ", " + (done + count) + " of " + total + " entries written before the failure");
        }
        done += n;
      }
      return done;
    } finally {
      c.busy = false;
    }
  }

  /**
   * Whether the kernel has no batch commands for this map type (an EINVAL on the first update
   * chunk then means "unsupported", not a bad entry). Hash and array families have them ({@code
   * kernel/bpf/hashtab.c}, {@code arraymap.c}: {@code map_*_batch}).
   */
  private boolean batchUnsupportedType() {
    switch (spec.type()) {
      case HASH: case LRU_HASH: case PERCPU_HASH: case LRU_PERCPU_HASH: case ARRAY: case PERCPU_ARRAY:
        return false;
      default:
        return true;
    }
  }

  /** Returns -1 (and marks the command unsupported) if the first chunk says so. */
  private int deleteBatch(Collection<? extends K> toDelete) {
    int total = toDelete.size();
    int chunk = Math.min(total, 4096);
    Chunk c = Chunk.take();
    try {
      ByteBuffer keys = c.keys.ensure(chunk * keySize);
      Iterator<? extends K> it = toDelete.iterator();
      int deleted = 0;
      boolean first = true;
      while (it.hasNext()) {
        int n = 0;
        while (n < chunk && it.hasNext()) {
          encodeKey(it.next(), keys, n * keySize);
          n++;
        }
        int from = 0;
        while (from < n) {
          int err;
          int count;
          int raw = fd.acquire();
          try {
            err = BpfSys.mapBatch(BpfSys.BPF_MAP_DELETE_BATCH, raw, 0, 0,
                c.keys.address + (long) from * keySize, 0, n - from, 0);
            count = BpfSys.batchCount(n - from, err);
          } finally {
            fd.release();
          }
          if (err == 0) {
            deleted += n - from;
            break;
          }
          if (first && from == 0 && count == 0 && unsupported(err)
              && (err != Errno.EINVAL || batchUnsupportedType())) {
            noDeleteBatch = true;
            return -1;
          }
          if (err != Errno.ENOENT) {
            throw error(BpfSys.BPF_MAP_DELETE_BATCH, err,
                (deleted + count) + " of " + total + " keys deleted before the failure");
          }
          // the key at from + count is absent: skip it and go on with the rest
          deleted += count;
          from += count + 1;
        }
        first = false;
      }
      return deleted;
    } finally {
      c.busy = false;
    }
  }

  /** The next-key walk behind {@link #iterator()} and {@link #keys()}. */
  private static final class Walk<K, V> implements Iterator<Map.Entry<K, V>> {
    private final BpfKeyedMap<K, V> map;
    private final boolean withValues;
    private final long stepLimit;
    private Scratch.Region cur = new Scratch.Region();
    private Scratch.Region next = new Scratch.Region();
    private final Scratch.Region value = new Scratch.Region();
    private byte @Nullable [] firstKey;
    private boolean started;
    private boolean done;
    private int restarts;
    private long steps;
    private Map.@Nullable Entry<K, V> pending;

    Walk(BpfKeyedMap<K, V> map, boolean withValues) {
      this.map = map;
      this.withValues = withValues;
      this.stepLimit = (long) (MAX_RESTARTS + 1) * ((long) map.spec.maxEntries() + 1);
      cur.ensure(map.keySize);
      next.ensure(map.keySize);
      value.ensure(map.valueSize);
    }

    @Override
    public boolean hasNext() {
      if (pending == null && !done) {
        advance();
      }
      return pending != null;
    }

    @Override
    public Map.Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Map.Entry<K, V> e = pending;
      pending = null;
      return e;
    }

    private void advance() {
      for (;;) {
        int err;
        int lookupErr = 0;
        int raw = map.fd.acquire();
        try {
          err = BpfSys.mapGetNextKey(raw, started ? cur.address : 0, next.address);
          if (err == 0 && withValues) {
            lookupErr = BpfSys.mapLookup(raw, next.address, value.address, 0);
          }
        } finally {
          map.fd.release();
        }
        if (err == Errno.ENOENT) {
          done = true;
          return;
        }
        if (err != 0) {
          throw map.error(BpfSys.BPF_MAP_GET_NEXT_KEY, err, null);
        }
        ByteBuffer k = next.ensure(map.keySize);
        if (!started) {
          started = true;
          firstKey = new byte[map.keySize];
          k.get(0, firstKey);
        } else if (sameAsFirst(k)) {
          restarts++;
        }
        if (restarts > MAX_RESTARTS || ++steps > stepLimit) {
          throw new BpfException("BPF_MAP_GET_NEXT_KEY", map.spec.name(), 0,
              "iteration of map '" + map.spec.name() + "' restarted " + restarts + " times after "
                  + steps + " steps: its keys change faster than they can be walked");
        }
        Scratch.Region t = cur;
        cur = next;
        next = t;
        if (lookupErr == Errno.ENOENT) {
          continue; // deleted between next-key and lookup: skip it
        }
        if (lookupErr != 0) {
          throw map.error(BpfSys.BPF_MAP_LOOKUP_ELEM, lookupErr, null);
        }
        K key = map.decodeKey(k, 0);
        V v = withValues ? map.decodeValue(value.ensure(map.valueSize), 0) : null;
        pending = new AbstractMap.SimpleImmutableEntry<>(key, v);
        return;
      }
    }

    private boolean sameAsFirst(ByteBuffer k) {
      byte[] f = firstKey;
      for (int i = 0; i < f.length; i++) {
        if (f[i] != k.get(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
