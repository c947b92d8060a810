package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** ARRAY maps, keyed by the int index. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfArrayMap<V> extends BpfMapHandle {
  protected final Codec<V> valueCodec;

  public BpfArrayMap(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec);
    this.valueCodec = valueCodec;
  }
}
