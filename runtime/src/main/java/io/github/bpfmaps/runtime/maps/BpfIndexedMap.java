package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The array types ({@link BpfArrayMap}, {@link BpfPerCpuArrayMap}): {@code u32} indexes {@code 0 ..
 * max_entries-1}, every one present from creation. Entries cannot be deleted (the kernel's {@code
 * array_map_delete_elem} answers EINVAL), so the deleting operations of {@link BpfKeyedMap} ({@link
 * #remove}, {@link #getAndRemove}, {@link #removeAll}, {@link #drain}) are deprecated here and throw
 * {@link UnsupportedOperationException} naming the map, before any system call; {@link #clear()}
 * writes zeros instead. A generic {@link BpfKeyedMap} of an array still passes them to the kernel.
 * Thread-safe.
 *
 * @param <V> the value type
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

  /** Writes zeros at every index (every CPU's slot, for per-CPU arrays): one system call per index. */
  @Override
  public void clear() {
    zeroEveryIndex();
  }

  /**
   * Not offered: array entries cannot be deleted.
   *
   * @deprecated arrays have no remove; write a value at the index, or {@link #clear()}.
   * @throws UnsupportedOperationException always, naming the map
   */
  @Deprecated
  @Override
  public boolean remove(Integer index) {
    throw noDeleteOnArray("remove");
  }

  /**
   * Not offered: array entries cannot be deleted.
   *
   * @deprecated arrays have no remove; read with {@code get} and write a value, or {@link #clear()}.
   * @throws UnsupportedOperationException always, naming the map
   */
  @Deprecated
  @Override
  public @Nullable V getAndRemove(Integer index) {
    throw noDeleteOnArray("getAndRemove");
  }

  /**
   * Not offered: array entries cannot be deleted.
   *
   * @deprecated arrays have no remove; write values at the indexes, or {@link #clear()}.
   * @throws UnsupportedOperationException always, naming the map
   */
  @Deprecated
  @Override
  public int removeAll(Collection<? extends Integer> indexes) {
    throw noDeleteOnArray("removeAll");
  }

  /**
   * Not offered: array entries cannot be deleted.
   *
   * @deprecated arrays have no remove; read with {@link #toMap()}, then {@link #clear()}.
   * @throws UnsupportedOperationException always, naming the map
   */
  @Deprecated
  @Override
  public Map<Integer, V> drain() {
    throw noDeleteOnArray("drain");
  }

  private UnsupportedOperationException noDeleteOnArray(String operation) {
    return new UnsupportedOperationException(spec.type() + " map '" + spec.name() + "' has no "
        + operation + ": array entries cannot be deleted (the kernel answers EINVAL); write a value"
        + " at the index, or clear() to write zeros everywhere");
  }
}
