package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;
import io.github.bpfmaps.runtime.UpdateFlag;

/**
 * PERCPU_HASH and LRU_PERCPU_HASH maps. From user space an entry's value is one slot per possible
 * CPU, read and written all at once: {@link #get} returns a {@link PerCpuValues} (sum it with {@code
 * get(k).sum(V::field)} or {@code reduce}), {@link #set} takes one, and {@link #setAll} writes the
 * same value to every CPU. Costs as {@link BpfKeyedMap}; the value buffer is {@code
 * round_up(value_size, 8) * possible CPUs} bytes. Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the type of one CPU's value
 */
public class BpfPerCpuHashMap<K, V> extends BpfKeyedMap<K, PerCpuValues<V>> {
  private final int cpus;
  private final Codec<V> slotCodec;

  /**
   * @param valueCodec the codec of one CPU's value ({@code spec.valueSize()} bytes)
   */
  public BpfPerCpuHashMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec, keyCodec, new PerCpuCodec<>(valueCodec, Bpf.possibleCpus()));
    this.cpus = Bpf.possibleCpus();
    this.slotCodec = valueCodec;
  }

  /** The codec of one CPU's value ({@code spec.valueSize()} bytes; slots are 8-byte aligned). */
  public Codec<V> slotCodec() {
    return slotCodec;
  }

  /** Writes {@code value} into every CPU's slot ({@code BPF_ANY}; one system call). */
  public void setAll(K key, V value) {
    put(key, PerCpuValues.filled(value, cpus), UpdateFlag.ANY);
  }

  /** The number of slots in a value (possible CPUs). */
  public int cpus() {
    return cpus;
  }
}
