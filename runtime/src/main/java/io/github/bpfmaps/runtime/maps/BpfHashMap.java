package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;

/**
 * HASH and LRU_HASH maps. All operations are those of {@link BpfDeletableMap}; an LRU map never fails
 * with "full" but evicts its least recently used entries instead.
 *
 * <p>Keys are hashed byte for byte by the kernel, so their codecs write padding as zeros.
 * Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class BpfHashMap<K, V> extends BpfDeletableMap<K, V> {
  /** See {@link BpfKeyedMap#BpfKeyedMap}. */
  public BpfHashMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec, keyCodec, valueCodec);
  }
}
