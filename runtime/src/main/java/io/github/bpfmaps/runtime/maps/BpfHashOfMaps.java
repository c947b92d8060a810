package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;

/**
 * HASH_OF_MAPS maps: inner maps by key. See {@link BpfMapOfMaps} for the fd-in, id-out rule.
 * Thread-safe.
 *
 * @param <K> the key type
 */
public class BpfHashOfMaps<K> extends BpfMapOfMaps<K> {
  /** See {@link BpfMapOfMaps}. */
  public BpfHashOfMaps(MapFd fd, MapSpec spec, Codec<K> keyCodec) {
    super(fd, spec, keyCodec);
  }
}
