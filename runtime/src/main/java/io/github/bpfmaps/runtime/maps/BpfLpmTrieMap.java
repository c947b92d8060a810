package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;

/**
 * LPM_TRIE maps: longest-prefix-match tables. The key's C layout starts with {@code __u32
 * prefixlen} (in host order) followed by the address bytes in network order ({@code struct
 * bpf_lpm_trie_key_u8}, {@code include/uapi/linux/bpf.h}); the map must be created with {@code
 * BPF_F_NO_PREALLOC}.
 *
 * <p>{@link #get} with a full-length prefix returns the value of the longest stored prefix that
 * matches; {@link #set}/{@link #remove} address the exact prefix. The kernel has no batch commands
 * for tries, so the batch operations go element by element. Thread-safe.
 *
 * @param <K> the key type (prefix length and address)
 * @param <V> the value type
 */
public class BpfLpmTrieMap<K, V> extends BpfDeletableMap<K, V> {
  /** See {@link BpfKeyedMap#BpfKeyedMap}. */
  public BpfLpmTrieMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec, keyCodec, valueCodec);
  }
}
