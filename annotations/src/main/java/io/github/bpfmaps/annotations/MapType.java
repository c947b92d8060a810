package io.github.bpfmaps.annotations;

/**
 * The kernel's {@code enum bpf_map_type} ({@code include/uapi/linux/bpf.h}), with the number the
 * kernel uses for each type. Every type the kernel defines is listed so that {@link #fromId(int)} can
 * name any map it meets; {@link #userCreatable()} tells which ones a user-space program can create
 * from a plain key/value description.
 */
public enum MapType {
  UNSPEC(0),
  HASH(1),
  ARRAY(2),
  PROG_ARRAY(3),
  PERF_EVENT_ARRAY(4),
  PERCPU_HASH(5),
  PERCPU_ARRAY(6),
  STACK_TRACE(7),
  CGROUP_ARRAY(8),
  LRU_HASH(9),
  LRU_PERCPU_HASH(10),
  LPM_TRIE(11),
  ARRAY_OF_MAPS(12),
  HASH_OF_MAPS(13),
  DEVMAP(14),
  SOCKMAP(15),
  CPUMAP(16),
  XSKMAP(17),
  SOCKHASH(18),
  CGROUP_STORAGE(19),
  REUSEPORT_SOCKARRAY(20),
  PERCPU_CGROUP_STORAGE(21),
  QUEUE(22),
  STACK(23),
  SK_STORAGE(24),
  DEVMAP_HASH(25),
  STRUCT_OPS(26),
  RINGBUF(27),
  INODE_STORAGE(28),
  TASK_STORAGE(29),
  BLOOM_FILTER(30),
  USER_RINGBUF(31),
  CGRP_STORAGE(32),
  ARENA(33);

  private static final MapType[] BY_ID = values();

  private final int id;

  MapType(int id) {
    this.id = id;
  }

  /** The number the kernel uses for this type ({@code BPF_MAP_TYPE_*}). */
  public int id() {
    return id;
  }

  /**
   * The type with the kernel number {@code id}.
   *
   * @throws IllegalArgumentException if this library does not know the number (a newer kernel)
   */
  public static MapType fromId(int id) {
    if (id < 0 || id >= BY_ID.length) {
      throw new IllegalArgumentException("unknown BPF map type " + id);
    }
    return BY_ID[id];
  }

  /** True for the types whose value is one slot per possible CPU when read from user space. */
  public boolean perCpu() {
    return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH
        || this == PERCPU_CGROUP_STORAGE;
  }

  /** True for the types that are read and written without a key (queue, stack, bloom filter). */
  public boolean keyless() {
    return this == QUEUE || this == STACK || this == BLOOM_FILTER;
  }

  /**
   * True for the arrays: keys are {@code u32} indexes {@code 0 .. max_entries-1}, and the kernel
   * refuses any other key size (ARRAY, PERCPU_ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, CGROUP_ARRAY,
   * ARRAY_OF_MAPS).
   */
  public boolean indexed() {
    return this == ARRAY || this == PERCPU_ARRAY || this == PROG_ARRAY || this == PERF_EVENT_ARRAY
        || this == CGROUP_ARRAY || this == ARRAY_OF_MAPS;
  }

  /** True for the map-in-map types whose values are inner maps. */
  public boolean mapOfMaps() {
    return this == ARRAY_OF_MAPS || this == HASH_OF_MAPS;
  }

  /**
   * True for the types a user-space program can create with a key and value description and use
   * through the map system calls. The others need an attach point, a program or a socket first
   * (devmap, sockmap, struct_ops, storage maps) or are not maps of entries (arena).
   */
  public boolean userCreatable() {
    switch (this) {
      case HASH: case ARRAY: case PROG_ARRAY: case PERF_EVENT_ARRAY: case PERCPU_HASH:
      case PERCPU_ARRAY: case STACK_TRACE: case CGROUP_ARRAY: case LRU_HASH: case LRU_PERCPU_HASH:
      case LPM_TRIE: case ARRAY_OF_MAPS: case HASH_OF_MAPS: case DEVMAP: case SOCKMAP: case CPUMAP:
      case XSKMAP: case SOCKHASH: case QUEUE: case STACK: case DEVMAP_HASH: case RINGBUF:
      case BLOOM_FILTER: case USER_RINGBUF:
        return true;
      default:
        return false;
    }
  }
}
