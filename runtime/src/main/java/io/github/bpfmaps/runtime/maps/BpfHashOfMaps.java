package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** HASH_OF_MAPS maps. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfHashOfMaps<K> extends BpfMapHandle {
  protected final Codec<K> keyCodec;

  public BpfHashOfMaps(MapFd fd, MapSpec spec, Codec<K> keyCodec) {
    super(fd, spec);
    this.keyCodec = keyCodec;
  }
}
