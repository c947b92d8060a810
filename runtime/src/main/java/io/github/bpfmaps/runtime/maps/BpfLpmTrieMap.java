package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** LPM_TRIE maps. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfLpmTrieMap<K, V> extends BpfKeyedMap<K, V> {
  public BpfLpmTrieMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec, keyCodec, valueCodec);
  }
}
