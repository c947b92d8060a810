package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.annotations.MapType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which handle class serves a map type, and which codecs its constructor takes after the fd and
 * spec. The one table behind both the classes the processor generates ({@code <Record>Map extends}
 * the kind's class) and the handles {@link io.github.bpfmaps.runtime.BpfMaps} makes at run time.
 *
 * <p>Names, not {@code Class} objects: the annotation processor reads this table with the runtime
 * on its class path but without JNA, and must not load the handle classes themselves.
 */
public enum HandleKind {
  /** {@link BpfHashMap}: key and value codecs. */
  HASH("BpfHashMap", true, true, MapType.HASH, MapType.LRU_HASH),
  /** {@link BpfArrayMap}: the value codec (the key is the {@code u32} index). */
  ARRAY("BpfArrayMap", false, true, MapType.ARRAY),
  /** {@link BpfPerCpuHashMap}: key codec and the codec of one CPU's value. */
  PERCPU_HASH("BpfPerCpuHashMap", true, true, MapType.PERCPU_HASH, MapType.LRU_PERCPU_HASH),
  /** {@link BpfPerCpuArrayMap}: the codec of one CPU's value. */
  PERCPU_ARRAY("BpfPerCpuArrayMap", false, true, MapType.PERCPU_ARRAY),
  /** {@link BpfLpmTrieMap}: key (prefix length first) and value codecs. */
  LPM_TRIE("BpfLpmTrieMap", true, true, MapType.LPM_TRIE),
  /** {@link BpfQueue}: the element codec. */
  QUEUE("BpfQueue", false, true, MapType.QUEUE),
  /** {@link BpfStack}: the element codec. */
  STACK("BpfStack", false, true, MapType.STACK),
  /** {@link BpfBloomFilter}: the element codec. */
  BLOOM_FILTER("BpfBloomFilter", false, true, MapType.BLOOM_FILTER),
  /** {@link BpfRingBuf}: the record codec. */
  RINGBUF("BpfRingBuf", false, true, MapType.RINGBUF),
  /** {@link BpfUserRingBuf}: the record codec (user space produces, programs drain). */
  USER_RINGBUF("BpfUserRingBuf", false, true, MapType.USER_RINGBUF),
  /** {@link BpfPerfEventArray}: the event codec (the kernel's values are the per-CPU ring fds). */
  PERF_EVENT_ARRAY("BpfPerfEventArray", false, true, MapType.PERF_EVENT_ARRAY),
  /** {@link BpfArrayOfMaps}: no codec (the values are inner map fds). */
  ARRAY_OF_MAPS("BpfArrayOfMaps", false, false, MapType.ARRAY_OF_MAPS),
  /** {@link BpfHashOfMaps}: the key codec. */
  HASH_OF_MAPS("BpfHashOfMaps", true, false, MapType.HASH_OF_MAPS),
  /**
   * {@link BpfDeletableMap}, for every other type: generic keyed access, deletes included, where the
   * kernel allows it (it refuses deletes from CGROUP_STORAGE with EINVAL).
   */
  KEYED("BpfDeletableMap", true, true);

  private final String simpleName;
  private final boolean takesKey;
  private final boolean takesValue;
  private final Set<MapType> types;

  HandleKind(String simpleName, boolean takesKey, boolean takesValue, MapType... types) {
    this.simpleName = simpleName;
    this.takesKey = takesKey;
    this.takesValue = takesValue;
    Set<MapType> set = EnumSet.noneOf(MapType.class);
    Collections.addAll(set, types);
    this.types = Collections.unmodifiableSet(set);
  }

  /** The kind of {@code type}'s handle; {@link #KEYED} for a type no specific class serves. */
  public static HandleKind of(MapType type) {
    for (HandleKind k : values()) {
      if (k.types.contains(type)) {
        return k;
      }
    }
    return KEYED;
  }

  /** The handle class's simple name, in this package. */
  public String simpleName() {
    return simpleName;
  }

  /** The handle class's binary name. */
  public String className() {
    return HandleKind.class.getPackageName() + "." + simpleName;
  }

  /** True if the constructor takes a key codec. */
  public boolean takesKey() {
    return takesKey;
  }

  /** True if the constructor takes a value (element, record) codec. */
  public boolean takesValue() {
    return takesValue;
  }

  /** The map types this kind serves; empty for {@link #KEYED}, which serves the rest. */
  public Set<MapType> types() {
    return types;
  }
}
