package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The array types ({@link BpfArrayMap}, {@link BpfPerCpuArrayMap}): {@code u32} indexes {@code 0 ..
 * max_entries-1}, every one present from creation until the map goes away. Entries cannot be
 * deleted (the kernel's {@code array_map_delete_elem} answers EINVAL), so this is a {@link
 * BpfKeyedMap} and not a {@link BpfDeletableMap}: an array handle has no {@code remove}, {@code
 * getAndRemove}, {@code removeAll} or {@code drain} at all, and calling one does not compile.
 * {@link #clear()} writes zeros instead; to read and reset, {@link #toMap()} then {@link #clear()}
 * (not atomic: a program's writes in between are lost).
 *
 * <p>{@code get(i)}/{@code set(i, v)} (Kotlin: {@code m[i]}, {@code m[i] = v}) are the inherited
 * keyed operations; {@link #getAt(int)} and {@link #setAt(int, Object)} take the index as a
 * primitive. An index past the end reads as null and fails to write with E2BIG ({@link
 * io.github.bpfmaps.errors.BpfMapFullException}, whose message gives the index; a negative {@code
 * int} is a {@code u32} index past the end). Thread-safe.
 *
 * @param <V> the value type (per-CPU arrays: {@link PerCpuValues})
 */
public abstract class BpfIndexedMap<V> extends BpfKeyedMap<Integer, V> {
  /**
   * @param valueCodec encodes values of {@code spec.valueSize()} bytes (per-CPU: all CPUs' slots)
   */
  protected BpfIndexedMap(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec, Codecs.U32, valueCodec);
  }

  /** The number of indexes ({@code max_entries}). No system call. */
  public int length() {
    return spec.maxEntries();
  }

  /**
   * The value at {@code index}, null past the end. One system call; allocates the value only.
   *
   * <p>The index forms are named {@code getAt}, {@code setAt}, {@code getLongAt} … rather than
   * overloading {@code get(K)} with an {@code int}: to Kotlin, {@code get(int)} and {@code
   * get(Integer)} are the same {@code get(Int)}, and {@code map[i]} would not resolve (Kotlin names
   * {@code List.remove(int)} {@code removeAt} for the same reason). {@code map.get(i)} and Kotlin's
   * {@code map[i]} take the inherited {@link #get(Object)}; these avoid boxing the index.
   */
  public @Nullable V getAt(int index) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    return lookupScratchKey(s);
  }

  /** Writes {@code value} at {@code index} ({@code BPF_ANY}). One system call; no allocation. */
  public void setAt(int index, V value) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    updateScratchKey(s, value, UpdateFlag.ANY);
  }

  /** Writes zeros at every index (every CPU's slot, for per-CPU arrays): one system call per index. */
  @Override
  public void clear() {
    zeroEveryIndex();
  }
}
