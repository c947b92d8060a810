package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import org.jspecify.annotations.Nullable;

/**
 * ARRAY_OF_MAPS and HASH_OF_MAPS: maps whose values are other maps. The kernel's asymmetry shows
 * through ({@code map_fd_sys_lookup_elem} in {@code kernel/bpf/map_in_map.c} and {@code
 * arraymap.c}): a value is <em>written</em> as an inner map's fd and <em>read</em> as the inner
 * map's id. So {@link #set(Object, MapFd)} takes the inner map's {@link MapFd}, while {@link #get},
 * iteration and {@link #toMap()} yield ids, which {@link #openInner} turns back into a map.
 * {@link #set(Object, BpfMapHandle)} takes an open handle of the inner map. The inherited {@code
 * set(K, Integer)}/{@code put(K, Integer, UpdateFlag)} took a raw fd number, which nothing checks
 * is open or still the map meant; they are deprecated here. Inner maps must match the outer map's inner template (type, sizes,
 * flags). Thread-safe.
 *
 * @param <K> the key type ({@code Integer} index for arrays)
 */
public abstract class BpfMapOfMaps<K> extends BpfKeyedMap<K, Integer> {
  /**
   * @param keyCodec encodes keys of {@code spec.keySize()} bytes
   */
  protected BpfMapOfMaps(MapFd fd, MapSpec spec, Codec<K> keyCodec) {
    super(fd, spec, keyCodec, Codecs.U32);
  }

  /**
   * Stores {@code inner} at {@code key} (its fd is written; the outer map then holds a reference, so
   * {@code inner} may be closed afterwards). One system call.
   *
   * @throws io.github.bpfmaps.errors.BpfSyscallException EINVAL if {@code inner} does not match
   *     the inner template
   */
  public void set(K key, MapFd inner) {
    put(key, inner, UpdateFlag.ANY);
  }

  /** Stores {@code inner} at {@code key} with the given update semantics. One system call. */
  public void put(K key, MapFd inner, UpdateFlag flag) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
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

  /**
   * Writes a raw fd number as the value.
   *
   * @deprecated a raw fd is not checked to be open, nor to be the map meant; use {@link #set(Object,
   *     MapFd)} or {@link #set(Object, BpfMapHandle)}.
   */
  @Deprecated
  @Override
  public void set(K key, Integer innerFd) {
    super.set(key, innerFd);
  }

  /**
   * Writes a raw fd number as the value with the given update semantics.
   *
   * @deprecated use {@link #put(Object, MapFd, UpdateFlag)} or {@link #put(Object, BpfMapHandle,
   *     UpdateFlag)}.
   */
  @Deprecated
  @Override
  public void put(K key, Integer innerFd, UpdateFlag flag) {
    super.put(key, innerFd, flag);
  }

  /** Writes the fd of {@code inner} for the key already in {@code s.key}. */
  protected final void updateInner(Scratch s, MapFd inner, UpdateFlag flag) {
    int innerFd = inner.acquire();
    try {
      updateScratchKey(s, innerFd, flag);
    } finally {
      inner.release();
    }
  }

  /**
   * Opens the inner map at {@code key} ({@code BPF_MAP_GET_FD_BY_ID} of the stored id, checked
   * against {@code innerSpec}); null if the slot is empty. Two or three system calls.
   */
  public @Nullable MapFd openInner(K key, MapSpec innerSpec) {
    Integer id = get(key);
    return id == null ? null : MapFd.fromId(id, innerSpec);
  }
}
