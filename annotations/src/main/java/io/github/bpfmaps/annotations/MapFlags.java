package io.github.bpfmaps.annotations;

/** The kernel's {@code BPF_F_*} map creation flags ({@code include/uapi/linux/bpf.h}). */
public final class MapFlags {
  private MapFlags() {}

  /** Do not preallocate hash entries; required for {@link MapType#LPM_TRIE}. */
  public static final int NO_PREALLOC = 1;
  /** Do not use the common LRU list (LRU maps only). */
  public static final int NO_COMMON_LRU = 1 << 1;
  /** Allocate on this NUMA node. */
  public static final int NUMA_NODE = 1 << 2;
  /** User space may only read. */
  public static final int RDONLY = 1 << 3;
  /** User space may only write. */
  public static final int WRONLY = 1 << 4;
  /** Map of sockets for stack trace ids only. */
  public static final int STACK_BUILD_ID = 1 << 5;
  /** Zero the LRU-hash seed (tests only). */
  public static final int ZERO_SEED = 1 << 6;
  /** Programs may only read. */
  public static final int RDONLY_PROG = 1 << 7;
  /** Programs may only write. */
  public static final int WRONLY_PROG = 1 << 8;
  /** Clone a socket-storage entry to child sockets. */
  public static final int CLONE = 1 << 9;
  /** An ARRAY whose values user space can mmap. */
  public static final int MMAPABLE = 1 << 10;
  /** Keep the map's elements in place across program restarts. */
  public static final int PRESERVE_ELEMS = 1 << 11;
  /** Inner-map template: max entries may differ per inner map. */
  public static final int INNER_MAP = 1 << 12;
}
