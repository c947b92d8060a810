package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.HandleKind;
import io.github.bpfmaps.spec.MapSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A keyed map whose entries can be deleted: everything {@link BpfKeyedMap} has, plus {@link
 * #remove}, {@link #getAndRemove}, {@link #removeAll} and {@link #drain}. The base of {@link
 * BpfHashMap}, {@link BpfPerCpuHashMap} and {@link BpfLpmTrieMap}; used directly, it is the generic
 * handle of the keyed types no specific class serves (PROG_ARRAY, DEVMAP, SOCKMAP, the storage maps
 * ...: {@link HandleKind#KEYED}), where the kernel decides what it accepts: CGROUP_STORAGE entries,
 * which live as long as their attachment, are refused with EINVAL and a message saying so. The
 * arrays are not deletable maps (see {@link BpfIndexedMap}). Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class BpfDeletableMap<K, V> extends BpfKeyedMap<K, V> {
  private volatile boolean noDrainBatch;
  private volatile boolean noLookupAndDelete;

  /** See {@link BpfKeyedMap#BpfKeyedMap}. */
  public BpfDeletableMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec, keyCodec, valueCodec);
  }

  /**
   * Deletes the entry ({@code BPF_MAP_DELETE_ELEM}: one system call, no allocation).
   *
   * @return false if the key was absent
   * @throws io.github.bpfmaps.errors.BpfClosedException if the handle is closed
   * @throws io.github.bpfmaps.errors.BpfValueException if the key does not encode
   * @throws io.github.bpfmaps.errors.BpfSyscallException if the kernel refuses (EINVAL for the
   *     types whose entries cannot be deleted, such as CGROUP_STORAGE through the generic handle)
   */
  public boolean remove(K key) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    return found(s, BpfSys.BPF_MAP_DELETE_ELEM, s.keyAddress(), 0);
  }

  /**
   * Removes the entry and returns its value in one step ({@code BPF_MAP_LOOKUP_AND_DELETE_ELEM},
   * hash maps since Linux 5.14): no other reader can see it in between. One system call; allocates
   * the value only.
   *
   * @return the value, or null if absent
   * @throws io.github.bpfmaps.errors.BpfSyscallException EINVAL, ENOTSUPP or EOPNOTSUPP where the
   *     type or kernel has no lookup-and-delete (LPM tries, kernels before 5.14)
   */
  public @Nullable V getAndRemove(K key) {
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    return read(BpfSys.BPF_MAP_LOOKUP_AND_DELETE_ELEM, s.keyAddress(), s, valueCodec, valueSize);
  }

  /**
   * Deletes the given keys ({@code BPF_MAP_DELETE_BATCH} per chunk of up to 4096 keys, or one
   * delete per key where the type has no batch delete); absent keys are skipped.
   *
   * @return how many keys were present and deleted
   * @throws io.github.bpfmaps.errors.BpfSyscallException for the first key the kernel refuses
   *     otherwise than as absent, saying how many were deleted before it
   */
  public int removeAll(Collection<? extends K> keys) {
    return deleteKeys(keys);
  }

  /**
   * Removes every entry and returns them, with {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH} where the
   * kernel has it (each entry is read and deleted atomically, one system call per chunk), otherwise
   * with the next-key walk and one {@link #getAndRemove} per key, or a {@link #get} and a {@link
   * #remove} where the type has no lookup-and-delete either (LPM tries: then a value written between
   * the two is lost). Allocates the map and the decoded entries.
   *
   * <p><b>Under concurrent change</b>, with batches an entry that stays put is returned and deleted
   * exactly once, as {@link #forEachEntry} reads it; entries inserted meanwhile may remain. Without
   * batches, an entry is returned only by the call that deleted it, so none is returned twice.
   */
  public Map<K, V> drain() {
    Map<K, V> out = new LinkedHashMap<>();
    if (!noDrainBatch) {
      if (lookupBatch(true, out::put)) {
        return out;
      }
      noDrainBatch = true;
    }
    for (K k : keys()) {
      V v = noLookupAndDelete ? null : getAndRemoveIfSupported(k);
      if (noLookupAndDelete) {
        v = get(k);
        if (v != null && !remove(k)) {
          v = null;
        }
      }
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }

  private @Nullable V getAndRemoveIfSupported(K key) {
    try {
      return getAndRemove(key);
    } catch (BpfSyscallException e) {
      if (!unsupported(e.errno())) {
        throw e;
      }
      noLookupAndDelete = true;
      return null;
    }
  }
}
