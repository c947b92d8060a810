package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** PERCPU_ARRAY maps. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfPerCpuArrayMap<V> extends BpfMapHandle {
  protected final Codec<V> valueCodec;

  public BpfPerCpuArrayMap(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec);
    this.valueCodec = valueCodec;
  }
}
