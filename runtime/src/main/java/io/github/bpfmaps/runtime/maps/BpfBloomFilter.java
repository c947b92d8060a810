package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.spec.MapSpec;

/**
 * BLOOM_FILTER maps ({@code kernel/bpf/bloom_filter.c}): a set that answers "maybe present" or
 * "certainly absent". {@link #add} is {@code BPF_MAP_UPDATE_ELEM} and {@link #mightContain} is
 * {@code BPF_MAP_LOOKUP_ELEM}, both with a null key and the value as the element; values cannot be
 * removed. One system call each, no allocation. Thread-safe.
 *
 * @param <V> the element type
 */
public class BpfBloomFilter<V> extends BpfKeylessMap<V> {
  /**
   * @param valueCodec encodes elements of {@code spec.valueSize()} bytes
   * @throws IllegalArgumentException if the codec's size differs from the spec
   */
  public BpfBloomFilter(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec, valueCodec);
  }

  /** Adds {@code value} to the set. */
  public void add(V value) {
    insert(value, 0);
  }

  /**
   * False if {@code value} was certainly never added; true if it probably was (false positives at
   * the rate the map's size and hash count give).
   */
  public boolean mightContain(V value) {
    return found(BpfSys.BPF_MAP_LOOKUP_ELEM, 0, encoded(value).valueAddress());
  }
}
