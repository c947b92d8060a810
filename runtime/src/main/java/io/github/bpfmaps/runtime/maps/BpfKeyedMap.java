package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** A map of keys to values. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfKeyedMap<K, V> extends BpfMapHandle {
  protected final Codec<K> keyCodec;
  protected final Codec<V> valueCodec;

  public BpfKeyedMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec);
    this.keyCodec = keyCodec;
    this.valueCodec = valueCodec;
  }
}
