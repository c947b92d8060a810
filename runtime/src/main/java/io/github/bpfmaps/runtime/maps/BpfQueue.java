package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** QUEUE maps. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfQueue<V> extends BpfMapHandle {
  protected final Codec<V> valueCodec;

  public BpfQueue(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec);
    this.valueCodec = valueCodec;
  }
}
