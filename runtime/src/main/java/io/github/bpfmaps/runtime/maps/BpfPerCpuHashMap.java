package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** PERCPU_HASH and LRU_PERCPU_HASH maps. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfPerCpuHashMap<K, V> extends BpfKeyedMap<K, V> {
  public BpfPerCpuHashMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec, keyCodec, valueCodec);
  }
}
