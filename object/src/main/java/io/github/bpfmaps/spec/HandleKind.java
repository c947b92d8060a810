package io.github.bpfmaps.spec;

import io.github.bpfmaps.annotations.MapType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which handle class serves a map type, and which codecs its constructor takes after the fd and
 * spec. The one table behind both the classes the processor generates ({@code <Record>Map extends}
 * the kind's class) and the handles {@link io.github.bpfmaps.runtime.maps.BpfMaps} makes at run time.
 *
 * <p>Names, not {@code Class} objects: the annotation processor reads this table with the runtime
 * on its class path but without JNA, and must not load the handle classes themselves.
 */
public enum HandleKind {
  /** {@code BpfHashMap}: key and value codecs. */
  HASH("BpfHashMap", true, true, MapType.HASH, MapType.LRU_HASH),
  /** {@code BpfArrayMap}: the value codec (the key is the {@code u32} index). */
  ARRAY("BpfArrayMap", false, true, MapType.ARRAY),
  /** {@code BpfPerCpuHashMap}: key codec and the codec of one CPU's value. */
  PERCPU_HASH("BpfPerCpuHashMap", true, true, MapType.PERCPU_HASH, MapType.LRU_PERCPU_HASH),
  /** {@code BpfPerCpuArrayMap}: the codec of one CPU's value. */
  PERCPU_ARRAY("BpfPerCpuArrayMap", false, true, MapType.PERCPU_ARRAY),
  /** {@code BpfLpmTrieMap}: key (prefix length first) and value codecs. */
  LPM_TRIE("BpfLpmTrieMap", true, true, MapType.LPM_TRIE),
  /** {@code BpfQueue}: the element codec. */
  QUEUE("BpfQueue", false, true, MapType.QUEUE),
  /** {@code BpfStack}: the element codec. */
  STACK("BpfStack", false, true, MapType.STACK),
  /** {@code BpfBloomFilter}: the element codec. */
  BLOOM_FILTER("BpfBloomFilter", false, true, MapType.BLOOM_FILTER),
  /** {@code BpfRingBuf}: the record codec. */
  RINGBUF("BpfRingBuf", false, true, MapType.RINGBUF),
  /** {@code BpfUserRingBuf}: the record codec (user space produces, programs drain). */
  USER_RINGBUF("BpfUserRingBuf", false, true, MapType.USER_RINGBUF),
  /** {@code BpfPerfEventArray}: the event codec (the kernel's values are the per-CPU ring fds). */
  PERF_EVENT_ARRAY("BpfPerfEventArray", false, true, MapType.PERF_EVENT_ARRAY),
  /** {@code BpfArrayOfMaps}: no codec (the values are inner map fds). */
  ARRAY_OF_MAPS("BpfArrayOfMaps", false, false, MapType.ARRAY_OF_MAPS),
  /** {@code BpfHashOfMaps}: the key codec. */
  HASH_OF_MAPS("BpfHashOfMaps", true, false, MapType.HASH_OF_MAPS),
  /**
   * {@code BpfDeletableMap}, for every other type: generic keyed access, deletes included, where the
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

  /** The package of every handle class. */
  public static final String HANDLE_PACKAGE = "io.github.bpfmaps.runtime.maps";

  /** The handle class's simple name, in {@link #HANDLE_PACKAGE}. */
  public String simpleName() {
    return simpleName;
  }

  /** The handle class's binary name. */
  public String className() {
    return HANDLE_PACKAGE + "." + simpleName;
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
