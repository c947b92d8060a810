package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.Scratch;
import org.jspecify.annotations.Nullable;

/**
 * PERCPU_ARRAY maps: an array whose every index holds one value per possible CPU (see {@link
 * PerCpuValues}: {@code get(i).sum(V::field)} totals a counter). As {@link BpfArrayMap}, entries
 * cannot be deleted and {@link #clear()} writes zeros. Thread-safe.
 *
 * @param <V> the type of one CPU's value
 */
public class BpfPerCpuArrayMap<V> extends BpfKeyedMap<Integer, PerCpuValues<V>> {
  private final int cpus;
  private final Codec<V> slotCodec;

  /**
   * @param valueCodec the codec of one CPU's value ({@code spec.valueSize()} bytes)
   */
  public BpfPerCpuArrayMap(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec, Codecs.U32, new PerCpuCodec<>(valueCodec, Bpf.possibleCpus()));
    this.cpus = Bpf.possibleCpus();
    this.slotCodec = valueCodec;
  }

  /** The codec of one CPU's value ({@code spec.valueSize()} bytes; slots are 8-byte aligned). */
  public Codec<V> slotCodec() {
    return slotCodec;
  }

  /** Every CPU's value at {@code index}, null past the end. One system call. */
  public @Nullable PerCpuValues<V> getAt(int index) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    return lookupScratchKey(s);
  }

  /** Writes every CPU's value at {@code index}. One system call; no allocation. */
  public void setAt(int index, PerCpuValues<V> values) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    updateScratchKey(s, values, UpdateFlag.ANY);
  }

  /** Writes {@code value} into every CPU's slot at {@code index}. One system call. */
  public void setAll(int index, V value) {
    setAt(index, PerCpuValues.filled(value, cpus));
  }

  /** The number of slots in a value (possible CPUs). */
  public int cpus() {
    return cpus;
  }

  /** The number of indexes ({@code max_entries}). */
  public int length() {
    return spec.maxEntries();
  }

  /** Writes zeros at every index and CPU: one system call per index. */
  @Override
  public void clear() {
    zeroEveryIndex();
  }
}
