package io.github.bpfmaps.processor.check;

import static io.github.bpfmaps.processor.check.Problem.error;
import static io.github.bpfmaps.processor.check.Problem.warning;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.processor.check.Problem.Site;
import io.github.bpfmaps.processor.model.FieldType;
import io.github.bpfmaps.processor.model.MapModel;
import io.github.bpfmaps.processor.model.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's rules for each map type, checked on the model so that a map the kernel would refuse
 * with {@code EINVAL} or {@code E2BIG} is a compile error instead. Each rule cites the kernel function
 * that enforces it.
 */
public final class MapRules {
  private MapRules() {}

  /**
   * {@code KMALLOC_MAX_SIZE} with 4 KiB pages on x86-64 and arm64: {@code 1 << (MAX_PAGE_ORDER +
   * PAGE_SHIFT)} = 4 MiB ({@code include/linux/slab.h}). Kernels built with larger pages allow more;
   * we check against the common configuration.
   */
  static final int KMALLOC_MAX_SIZE = 4 << 20;

  /**
   * An upper bound of {@code sizeof(struct htab_elem)} on 64-bit kernels (48 bytes in 6.x), which the
   * hash tables subtract from {@code KMALLOC_MAX_SIZE} ({@code htab_map_alloc_check()} in
   * {@code kernel/bpf/hashtab.c}).
   */
  static final int HTAB_ELEM_BOUND = 64;

  /**
   * {@code PCPU_MIN_UNIT_SIZE} ({@code include/linux/percpu.h}): per-CPU values, rounded up to 8,
   * must fit ({@code array_map_alloc_check()}, {@code htab_map_alloc_check()}).
   */
  static final int PCPU_MIN_UNIT_SIZE = 32 << 10;

  /** The page size the ring buffer size must be a multiple of ({@code ringbuf_map_alloc()}). */
  static final int PAGE_SIZE = 4096;

  /** {@code LPM_DATA_SIZE_MAX} in {@code kernel/bpf/lpm_trie.c}: at most 256 bytes of key data. */
  static final int LPM_DATA_SIZE_MAX = 256;

  /** The types with a generated handle; the rest need an attach point or are not entry maps. */
  static final Set<MapType> SUPPORTED = EnumSet.of(
      MapType.HASH, MapType.ARRAY, MapType.PROG_ARRAY, MapType.PERF_EVENT_ARRAY,
      MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.STACK_TRACE, MapType.CGROUP_ARRAY,
      MapType.LRU_HASH, MapType.LRU_PERCPU_HASH, MapType.LPM_TRIE, MapType.ARRAY_OF_MAPS,
      MapType.HASH_OF_MAPS, MapType.DEVMAP, MapType.SOCKMAP, MapType.CPUMAP, MapType.XSKMAP,
      MapType.SOCKHASH, MapType.QUEUE, MapType.STACK, MapType.DEVMAP_HASH, MapType.RINGBUF,
      MapType.BLOOM_FILTER, MapType.USER_RINGBUF);

  /**
   * Types whose values are file descriptors or ids of other kernel objects, which the kernel checks
   * to be 4 bytes ({@code fd_array_map_alloc_check()} in {@code kernel/bpf/arraymap.c},
   * {@code fd_htab_map_alloc_check()} in {@code kernel/bpf/hashtab.c}).
   */
  static final Set<MapType> FD_VALUES = EnumSet.of(
      MapType.PROG_ARRAY, MapType.PERF_EVENT_ARRAY, MapType.CGROUP_ARRAY, MapType.ARRAY_OF_MAPS,
      MapType.HASH_OF_MAPS);

  static final Set<MapType> HASHES = EnumSet.of(
      MapType.HASH, MapType.PERCPU_HASH, MapType.LRU_HASH, MapType.LRU_PERCPU_HASH,
      MapType.HASH_OF_MAPS);

  /** Every problem of {@code map}, in a stable order. */
  public static List<Problem> check(MapModel map) {
    List<Problem> out = new ArrayList<>();
    MapType type = map.type();
    String what = type + " map '" + map.name() + "'";
    String rec = map.record().simpleName();

    if (!SUPPORTED.contains(type)) {
      out.add(error(Site.TYPE, "BpfMapType", what + " cannot be declared with @BpfMap: "
          + type + " maps need a program, socket or attach point to exist; supported types are "
          + SUPPORTED));
      return out;
    }
    checkName(map, out);

    int expected = MapModel.expectedComponents(type);
    if (map.componentCount() != expected) {
      if (MapModel.keyless(type)) {
        out.add(error(Site.RECORD, "BpfMapKeyless", what + " has no key, so " + rec
            + " must have exactly one component, the value (record " + rec
            + "(Event value)), but it has " + map.componentCount()));
      } else {
        out.add(error(Site.RECORD, "BpfMapComponentCount", what + " needs a key and a value, so "
            + rec + " must have exactly two components (record " + rec
            + "(Key key, Value value)), but it has " + map.componentCount()));
      }
      return out;
    }

    if (map.maxEntries() <= 0) {
      out.add(error(Site.MAX_ENTRIES, "BpfMapMaxEntries", what + " has maxEntries = "
          + map.maxEntries() + "; the kernel refuses max_entries 0 and values above 2^31-1 here; "
          + "use a positive number"));
    }

    map.key().ifPresent(key -> checkKey(map, key, what, rec, out));
    map.value().ifPresent(value -> checkValue(map, value, what, rec, out));

    if ((type == MapType.RINGBUF || type == MapType.USER_RINGBUF) && map.maxEntries() > 0) {
      // ringbuf_map_alloc() in kernel/bpf/ringbuf.c: max_entries must be a power of 2 and
      // page-aligned, i.e. a power-of-2 multiple of the page size.
      int n = map.maxEntries();
      if (Integer.bitCount(n) != 1 || n % PAGE_SIZE != 0) {
        out.add(error(Site.MAX_ENTRIES, "BpfMapRingBufSize", what + " has maxEntries = " + n
            + ", but a ring buffer's size in bytes must be a power of 2 and a multiple of the page "
            + "size " + PAGE_SIZE + "; use " + Math.max(PAGE_SIZE, Integer.highestOneBit(n) << (
                Integer.bitCount(n) == 1 ? 0 : 1))));
      }
    }
    if (type == MapType.LPM_TRIE && (map.flags() & MapFlags.NO_PREALLOC) == 0) {
      // trie_alloc() in kernel/bpf/lpm_trie.c refuses a trie without BPF_F_NO_PREALLOC.
      out.add(error(Site.FLAGS, "BpfMapLpmFlags", what + " must be created with "
          + "flags = MapFlags.NO_PREALLOC (the kernel cannot preallocate a trie)"));
    }
    checkFlags(map, what, out);
    checkDeclaredSizes(map, out);
    return out;
  }

  /** {@code BPF_F_ACCESS_MASK} in {@code include/linux/bpf.h}. */
  static final int ACCESS_MASK =
      MapFlags.RDONLY | MapFlags.RDONLY_PROG | MapFlags.WRONLY | MapFlags.WRONLY_PROG;

  /** {@code HTAB_CREATE_FLAG_MASK} in {@code kernel/bpf/hashtab.c}. */
  static final int HTAB_FLAGS = MapFlags.NO_PREALLOC | MapFlags.NO_COMMON_LRU | MapFlags.NUMA_NODE
      | ACCESS_MASK | MapFlags.ZERO_SEED;

  /** {@code ARRAY_CREATE_FLAG_MASK} in {@code kernel/bpf/arraymap.c}. */
  static final int ARRAY_FLAGS = MapFlags.NUMA_NODE | MapFlags.MMAPABLE | ACCESS_MASK
      | MapFlags.PRESERVE_ELEMS | MapFlags.INNER_MAP;

  private static void checkFlags(MapModel map, String what, List<Problem> out) {
    int flags = map.flags();
    MapType type = map.type();
    // bpf_map_flags_access_ok() and bpf_get_file_flag() in include/linux/bpf.h: read-only and
    // write-only together is EINVAL, for user space and for programs alike.
    if ((flags & MapFlags.RDONLY) != 0 && (flags & MapFlags.WRONLY) != 0
        || (flags & MapFlags.RDONLY_PROG) != 0 && (flags & MapFlags.WRONLY_PROG) != 0) {
      out.add(error(Site.FLAGS, "BpfMapFlags", what + " is both read-only and write-only for the "
          + "same side; keep one of RDONLY/WRONLY (and of RDONLY_PROG/WRONLY_PROG)"));
    }
    boolean lru = type == MapType.LRU_HASH || type == MapType.LRU_PERCPU_HASH;
    if (HASHES.contains(type)) {
      unknownFlags(flags, HTAB_FLAGS, what, "hashtab.c", out);
      // htab_map_alloc_check(): NO_COMMON_LRU without LRU is EINVAL, LRU without prealloc ENOTSUPP.
      if (!lru && (flags & MapFlags.NO_COMMON_LRU) != 0) {
        out.add(error(Site.FLAGS, "BpfMapFlags", what + " has NO_COMMON_LRU, which only LRU maps "
            + "accept; remove it or use LRU_HASH"));
      }
      if (lru && (flags & MapFlags.NO_PREALLOC) != 0) {
        out.add(error(Site.FLAGS, "BpfMapFlags", what + " has NO_PREALLOC, but LRU maps are always "
            + "preallocated (the kernel answers ENOTSUPP); remove it"));
      }
    }
    if (type == MapType.ARRAY || type == MapType.PERCPU_ARRAY) {
      unknownFlags(flags, ARRAY_FLAGS, what, "arraymap.c", out);
      // array_map_alloc_check(): a per-CPU array cannot be mmapped.
      if (type == MapType.PERCPU_ARRAY && (flags & MapFlags.MMAPABLE) != 0) {
        out.add(error(Site.FLAGS, "BpfMapFlags", what + " has MMAPABLE, but per-CPU arrays cannot "
            + "be mapped into user space; remove it or use ARRAY"));
      }
    }
  }

  private static void unknownFlags(
      int flags, int allowed, String what, String source, List<Problem> out) {
    int extra = flags & ~allowed;
    if (extra != 0) {
      out.add(error(Site.FLAGS, "BpfMapFlags", what + " has flags 0x" + Integer.toHexString(extra)
          + " that the kernel refuses for this type with EINVAL (" + source + "); remove them"));
    }
  }

  private static void checkName(MapModel map, List<Problem> out) {
    String name = map.name();
    int bad = Names.invalidMapNameChar(name);
    if (name.isEmpty()) {
      out.add(error(Site.NAME, "BpfMapName", "the map name is empty; leave name unset for the "
          + "snake_case default or use letters, digits, '_' and '.'"));
    } else if (bad >= 0) {
      out.add(error(Site.NAME, "BpfMapName", "map name '" + name + "' contains '" + name.charAt(bad)
          + "' at index " + bad + ", which the kernel refuses (bpf_obj_name_cpy() allows only "
          + "letters, digits, '_' and '.'); rename it"));
    } else if (name.getBytes(StandardCharsets.UTF_8).length > Names.MAX_MAP_NAME_BYTES) {
      out.add(warning(Site.NAME, "BpfMapNameLength", "map name '" + name + "' is longer than "
          + Names.MAX_MAP_NAME_BYTES + " bytes; the kernel keeps only the first 15 and will show '"
          + Names.kernelName(name) + "'; set a shorter name to see the whole of it in bpftool"));
    }
  }

  private static void checkKey(
      MapModel map, MapModel.Entry key, String what, String rec, List<Problem> out) {
    MapType type = map.type();
    int size = key.type().size();
    String where = rec + "." + key.component();
    if (size == 0) {
      out.add(error(Site.KEY, "BpfMapKeySize", what + " needs a key of at least one byte, but "
          + where + " (" + key.javaType() + ") has no members; add one"));
      return;
    }
    if (type.indexed() && size != 4) {
      // array_map_alloc_check() in kernel/bpf/arraymap.c: key_size must be sizeof(u32).
      out.add(error(Site.KEY, type == MapType.ARRAY || type == MapType.PERCPU_ARRAY
          ? "BpfMapArrayKey" : "BpfMapFdArrayKey", what + " needs a 4-byte key, but " + where
          + " is " + key.javaType() + " (" + size + " bytes); use int"));
    }
    if (type == MapType.LPM_TRIE) {
      checkLpmKey(key, what, where, out);
    }
    if (HASHES.contains(type)) {
      int value = map.value().map(v -> v.type().size()).orElse(0);
      // htab_map_alloc_check(): key_size + value_size >= KMALLOC_MAX_SIZE - sizeof(struct htab_elem)
      // is E2BIG, because user space could not read such an element through the syscall.
      if ((long) size + value >= KMALLOC_MAX_SIZE - HTAB_ELEM_BOUND) {
        out.add(error(Site.KEY, "BpfMapKeySize", what + " has a " + size + "-byte key and a "
            + value + "-byte value; the kernel refuses entries of " + (KMALLOC_MAX_SIZE
                - HTAB_ELEM_BOUND) + " bytes or more (hashtab.c); make them smaller"));
      }
    }
  }

  private static void checkLpmKey(
      MapModel.Entry key, String what, String where, List<Problem> out) {
    // struct bpf_lpm_trie_key_u8 { __u32 prefixlen; __u8 data[]; } (include/uapi/linux/bpf.h):
    // the key is a 4-byte prefix length followed by 1..256 bytes of data (trie_alloc()).
    boolean prefixFirst = key.type() instanceof FieldType.StructType s
        && !s.layout().members().isEmpty()
        && s.layout().members().get(0).offset() == 0
        && s.layout().members().get(0).type() instanceof FieldType.Scalar p
        && p.java().integral() && p.width() == 4 && !p.networkOrder();
    if (!prefixFirst) {
      out.add(error(Site.KEY, "BpfMapLpmKey", what + " needs a key record that starts with the "
          + "4-byte prefix length, as struct bpf_lpm_trie_key (record Key(@Unsigned int prefixLen, "
          + "@NetworkOrder int addr)), but " + where + " is " + key.javaType()));
      return;
    }
    int data = key.type().size() - 4;
    if (data < 1 || data > LPM_DATA_SIZE_MAX) {
      out.add(error(Site.KEY, "BpfMapLpmKey", what + " has " + data + " bytes of key data after "
          + "the prefix length in " + where + "; the kernel allows 1 to " + LPM_DATA_SIZE_MAX
          + " (lpm_trie.c)"));
    }
  }

  private static void checkValue(
      MapModel map, MapModel.Entry value, String what, String rec, List<Problem> out) {
    MapType type = map.type();
    int size = value.type().size();
    String where = rec + "." + value.component();
    if (type == MapType.RINGBUF || type == MapType.USER_RINGBUF || type == MapType.PERF_EVENT_ARRAY) {
      // The record only describes what programs submit or output; the kernel sees no such value.
      return;
    }
    if (size == 0) {
      out.add(error(Site.VALUE, "BpfMapValueSize", what + " needs a value of at least one byte, "
          + "but " + where + " (" + value.javaType() + ") has no members; add one"));
      return;
    }
    if (FD_VALUES.contains(type) && size != 4) {
      out.add(error(Site.VALUE, "BpfMapFdValue", what + " holds file descriptors or ids, so its "
          + "value must be 4 bytes, but " + where + " is " + value.javaType() + " (" + size
          + " bytes); use int"));
    }
    if (type.perCpu()) {
      int rounded = (size + 7) / 8 * 8;
      if (rounded > PCPU_MIN_UNIT_SIZE) {
        out.add(error(Site.VALUE, "BpfMapValueSize", what + " is per-CPU, and per-CPU values "
            + "rounded up to 8 bytes may not exceed PCPU_MIN_UNIT_SIZE (" + PCPU_MIN_UNIT_SIZE
            + " bytes, arraymap.c/hashtab.c), but " + where + " is " + size
            + " bytes; make it smaller or use a non-per-CPU map"));
      }
    } else if (size > KMALLOC_MAX_SIZE) {
      // array_map_alloc_check(), queue_stack_map_alloc_check(): value_size > KMALLOC_MAX_SIZE is E2BIG.
      out.add(error(Site.VALUE, "BpfMapValueSize", what + " has a " + size + "-byte value ("
          + where + "), larger than the kernel's KMALLOC_MAX_SIZE of " + KMALLOC_MAX_SIZE
          + " bytes; split it"));
    }
  }

  private static void checkDeclaredSizes(MapModel map, List<Problem> out) {
    String what = map.type() + " map '" + map.name() + "'";
    String rec = map.record().simpleName();
    if (map.declaredKeySize() >= 0 && map.key().isPresent()
        && map.declaredKeySize() != map.keySize()) {
      out.add(error(Site.KEY_SIZE, "BpfMapDeclaredSize", what + " declares keySize = "
          + map.declaredKeySize() + ", but " + rec + "." + map.key().get().component() + " is "
          + map.keySize() + " bytes" + padding(map.key().get()) + "; fix the record or keySize"));
    }
    if (map.declaredValueSize() >= 0 && map.value().isPresent()
        && map.declaredValueSize() != map.valueSize()) {
      out.add(error(Site.VALUE_SIZE, "BpfMapDeclaredSize", what + " declares valueSize = "
          + map.declaredValueSize() + ", but " + rec + "." + map.value().get().component() + " is "
          + map.valueSize() + " bytes" + padding(map.value().get())
          + "; fix the record or valueSize"));
    }
  }

  private static String padding(MapModel.Entry entry) {
    if (entry.type() instanceof FieldType.StructType s) {
      return " (" + s.layout().describePadding() + ")";
    }
    return "";
  }
}
