package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** BLOOM_FILTER maps. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfBloomFilter<V> extends BpfMapHandle {
  protected final Codec<V> valueCodec;

  public BpfBloomFilter(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec);
    this.valueCodec = valueCodec;
  }
}
