package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * ARRAY_OF_MAPS and HASH_OF_MAPS: maps whose values are other maps. The kernel's asymmetry shows
 * through ({@code map_fd_sys_lookup_elem} in {@code kernel/bpf/map_in_map.c} and {@code
 * arraymap.c}): a value is <em>written</em> as an inner map's fd and <em>read</em> as the inner
 * map's id. So the writes take the inner map itself, as a {@link MapFd} or an open handle ({@link
 * #set(Object, MapFd)}, {@link #set(Object, BpfMapHandle)}), never a raw fd number, which nothing
 * could check is open or still the map meant; the reads ({@link #get}, the walks, {@link #toMap()})
 * yield ids, which {@link #openInner} turns back into a map. Inner maps must match the outer map's
 * inner template (type, sizes, flags).
 *
 * <p>Not a {@link BpfKeyedMap}: its {@code set(K, Integer)} would take a raw fd. The operations
 * that remain cost what {@link BpfKeyedMap}'s and {@link BpfDeletableMap}'s do, with the same
 * guarantees under concurrent change: {@link #forEachEntry} and {@link #toMap()} read in batches
 * where the kernel has them (each entry that stays put once), {@link #iterator()} and {@link #keys()}
 * walk with next-key (entries may repeat after a concurrent delete). Thread-safe.
 *
 * @param <K> the key type ({@code Integer} index for arrays)
 */
public abstract class BpfMapOfMaps<K> extends BpfMapHandle implements Iterable<Map.Entry<K, Integer>> {
  /** The outer map as keys to inner map ids, over the same fd; every operation goes through it. */
  final BpfDeletableMap<K, Integer> ids;

  /**
   * @param fd the outer map, owned by the handle from now on
   * @param spec what the outer map is
   * @param keyCodec encodes keys of {@code spec.keySize()} bytes
   * @throws IllegalArgumentException if the key codec's size differs from the spec
   */
  protected BpfMapOfMaps(MapFd fd, MapSpec spec, Codec<K> keyCodec) {
    super(fd, spec);
    this.ids = new BpfDeletableMap<>(fd, spec, keyCodec, Codecs.U32);
  }

  /** The codec of the keys. */
  public Codec<K> keyCodec() {
    return ids.keyCodec();
  }

  /**
   * Stores {@code inner} at {@code key} (its fd is written; the outer map then holds a reference, so
   * {@code inner} may be closed afterwards). One system call.
   *
   * @throws io.github.bpfmaps.errors.BpfClosedException if {@code inner} is closed
   * @throws io.github.bpfmaps.errors.BpfSyscallException EINVAL if {@code inner} does not match
   *     the inner template
   */
  public void set(K key, MapFd inner) {
    put(key, inner, UpdateFlag.ANY);
  }

  /**
   * Stores {@code inner} at {@code key} with the given update semantics. One system call.
   *
   * @throws io.github.bpfmaps.errors.BpfKeyExistsException with {@link UpdateFlag#NOEXIST} if the
   *     key holds a map
   */
  public void put(K key, MapFd inner, UpdateFlag flag) {
    Scratch s = Scratch.get();
    ids.encodeKey(key, s.key(ids.keySize), 0);
    updateInner(s, inner, flag);
  }

  /**
   * Stores the map of the handle {@code inner} at {@code key}: {@link #set(Object, MapFd)} with
   * {@code inner.fd()}. One system call.
   *
   * @throws io.github.bpfmaps.errors.BpfClosedException if {@code inner} is closed
   * @throws io.github.bpfmaps.errors.BpfSyscallException EINVAL if {@code inner} does not match
   *     the inner template
   */
  public void set(K key, BpfMapHandle inner) {
    put(key, inner.fd(), UpdateFlag.ANY);
  }

  /** Stores the map of the handle {@code inner} at {@code key} with the given update semantics. */
  public void put(K key, BpfMapHandle inner, UpdateFlag flag) {
    put(key, inner.fd(), flag);
  }

  /** Writes the fd of {@code inner} for the key already in {@code s.key}. */
  final void updateInner(Scratch s, MapFd inner, UpdateFlag flag) {
    int innerFd = inner.acquire();
    try {
      ids.updateScratchKey(s, innerFd, flag);
    } finally {
      inner.release();
    }
  }

  /**
   * The id of the inner map at {@code key}, or null if the slot is empty. One system call.
   */
  public @Nullable Integer get(K key) {
    return ids.get(key);
  }

  /** True if {@code key} holds an inner map. One system call. */
  public boolean contains(K key) {
    return ids.contains(key);
  }

  /**
   * Empties the slot at {@code key} (the outer map drops its reference to the inner map). One system
   * call.
   *
   * @return false if the slot was empty
   */
  public boolean remove(K key) {
    return ids.remove(key);
  }

  /**
   * Opens the inner map at {@code key} ({@code BPF_MAP_GET_FD_BY_ID} of the stored id, checked
   * against {@code innerSpec}); null if the slot is empty. Two or three system calls.
   */
  public @Nullable MapFd openInner(K key, MapSpec innerSpec) {
    Integer id = get(key);
    return id == null ? null : MapFd.fromId(id, innerSpec);
  }

  /**
   * The next-key walk of keys and inner map ids, as {@link BpfKeyedMap#iterator()}: under
   * concurrent deletes entries may be returned more than once.
   */
  @Override
  public Iterator<Map.Entry<K, Integer>> iterator() {
    return ids.iterator();
  }

  /** The keys of the filled slots, by the next-key walk ({@link BpfKeyedMap#keys()}). */
  public List<K> keys() {
    return ids.keys();
  }

  /**
   * Calls {@code action} with every key and inner map id, in batches where the kernel has them:
   * each entry that stays put is passed once ({@link BpfKeyedMap#forEachEntry}).
   */
  public void forEachEntry(BiConsumer<? super K, ? super Integer> action) {
    ids.forEachEntry(action);
  }

  /** A snapshot of keys to inner map ids, by the batched walk of {@link #forEachEntry}. */
  public Map<K, Integer> toMap() {
    return ids.toMap();
  }

  /** Empties every slot: the keys are listed, then deleted (see {@link BpfKeyedMap#clear()}). */
  public void clear() {
    ids.clear();
  }
}
