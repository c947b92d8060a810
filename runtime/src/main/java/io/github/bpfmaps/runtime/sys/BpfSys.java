package io.github.bpfmaps.runtime.sys;

import com.sun.jna.LastErrorException;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.spec.MapInfo;
import io.github.bpfmaps.spec.ProgramInfo;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code bpf(2)} commands, one method each, over the per-thread {@link Scratch} attr buffer.
 * Offsets are those of {@code union bpf_attr} in {@code include/uapi/linux/bpf.h}; every attr is
 * zeroed up to the size passed, which is the end of the last field the command uses, so a newer
 * kernel sees zeros in the fields we do not know and an older one is not handed a tail it would
 * refuse ({@code CHECK_ATTR} in {@code kernel/bpf/syscall.c}).
 *
 * <p>Two kinds of methods: the element and batch operations ({@link #mapLookup}, …) take native
 * addresses and return {@code 0} or a positive errno, so the handles decide what an errno means
 * (ENOENT is "absent" for a lookup) and allocate nothing on success; the others throw a {@link
 * BpfSyscallException} naming the command. All are thread-safe (each thread has its own attr).
 */
public final class BpfSys {
  private BpfSys() {}

  /** {@code __NR_bpf}: 321 on x86-64, 280 on arm64 and riscv64 (the asm-generic table). */
  public static final long NR_BPF = nrBpf(System.getProperty("os.arch", ""));

  // enum bpf_cmd
  /** {@code BPF_MAP_CREATE}, command 0 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_CREATE = 0;
  /** {@code BPF_MAP_LOOKUP_ELEM}, command 1 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_LOOKUP_ELEM = 1;
  /** {@code BPF_MAP_UPDATE_ELEM}, command 2 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_UPDATE_ELEM = 2;
  /** {@code BPF_MAP_DELETE_ELEM}, command 3 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_DELETE_ELEM = 3;
  /** {@code BPF_MAP_GET_NEXT_KEY}, command 4 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_GET_NEXT_KEY = 4;
  /** {@code BPF_PROG_LOAD}, command 5 of {@code enum bpf_cmd}. */
  public static final int BPF_PROG_LOAD = 5;
  /** {@code BPF_OBJ_PIN}, command 6 of {@code enum bpf_cmd}. */
  public static final int BPF_OBJ_PIN = 6;
  /** {@code BPF_OBJ_GET}, command 7 of {@code enum bpf_cmd}. */
  public static final int BPF_OBJ_GET = 7;
  /** {@code BPF_PROG_TEST_RUN}, command 10 of {@code enum bpf_cmd}. */
  public static final int BPF_PROG_TEST_RUN = 10;
  /** {@code BPF_PROG_GET_FD_BY_ID}, command 13 of {@code enum bpf_cmd}. */
  public static final int BPF_PROG_GET_FD_BY_ID = 13;
  /** {@code BPF_MAP_GET_FD_BY_ID}, command 14 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_GET_FD_BY_ID = 14;
  /** {@code BPF_OBJ_GET_INFO_BY_FD}, command 15 of {@code enum bpf_cmd}. */
  public static final int BPF_OBJ_GET_INFO_BY_FD = 15;
  /** {@code BPF_BTF_LOAD}, command 18 of {@code enum bpf_cmd}. */
  public static final int BPF_BTF_LOAD = 18;
  /** {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}, command 21 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_LOOKUP_AND_DELETE_ELEM = 21;
  /** {@code BPF_MAP_FREEZE}, command 22 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_FREEZE = 22;
  /** {@code BPF_MAP_LOOKUP_BATCH}, command 24 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_LOOKUP_BATCH = 24;
  /** {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}, command 25 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_LOOKUP_AND_DELETE_BATCH = 25;
  /** {@code BPF_MAP_UPDATE_BATCH}, command 26 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_UPDATE_BATCH = 26;
  /** {@code BPF_MAP_DELETE_BATCH}, command 27 of {@code enum bpf_cmd}. */
  public static final int BPF_MAP_DELETE_BATCH = 27;
  /** {@code BPF_ENABLE_STATS}, command 32 of {@code enum bpf_cmd} (Linux 5.8). */
  public static final int BPF_ENABLE_STATS = 32;
  /** {@code BPF_STATS_RUN_TIME}, value 0 of {@code enum bpf_stats_type}. */
  public static final int BPF_STATS_RUN_TIME = 0;

  /** {@code BPF_OBJ_NAME_LEN}: names are at most 15 bytes plus the NUL. */
  public static final int BPF_OBJ_NAME_LEN = 16;

  private static final int ELEM_ATTR_SIZE = 32; // ..flags (u64 at 24)
  private static final int BATCH_ATTR_SIZE = 56; // batch.flags (u64 at 48)
  private static final int MAP_CREATE_ATTR_SIZE = 72; // ..map_extra (u64 at 64)
  private static final int MAP_INFO_SIZE = 88; // sizeof(struct bpf_map_info)
  private static final int PROG_INFO_SIZE = 232; // sizeof(struct bpf_prog_info)

  static long nrBpf(String arch) {
    switch (arch) {
      case "amd64":
      case "x86_64":
        return 321;
      case "aarch64":
      case "arm64":
      case "riscv64":
      case "loongarch64":
        return 280;
      case "ppc64le":
      case "ppc64":
        return 361;
      case "s390x":
        return 351;
      default:
        return -1;
    }
  }

  /** The command's name, for messages ({@code BPF_MAP_UPDATE_ELEM}). */
  public static String commandName(int cmd) {
    switch (cmd) {
      case BPF_MAP_CREATE: return "BPF_MAP_CREATE";
      case BPF_MAP_LOOKUP_ELEM: return "BPF_MAP_LOOKUP_ELEM";
      case BPF_MAP_UPDATE_ELEM: return "BPF_MAP_UPDATE_ELEM";
      case BPF_MAP_DELETE_ELEM: return "BPF_MAP_DELETE_ELEM";
      case BPF_MAP_GET_NEXT_KEY: return "BPF_MAP_GET_NEXT_KEY";
      case BPF_PROG_LOAD: return "BPF_PROG_LOAD";
      case BPF_OBJ_PIN: return "BPF_OBJ_PIN";
      case BPF_OBJ_GET: return "BPF_OBJ_GET";
      case BPF_PROG_TEST_RUN: return "BPF_PROG_TEST_RUN";
      case BPF_PROG_GET_FD_BY_ID: return "BPF_PROG_GET_FD_BY_ID";
      case BPF_MAP_GET_FD_BY_ID: return "BPF_MAP_GET_FD_BY_ID";
      case BPF_OBJ_GET_INFO_BY_FD: return "BPF_OBJ_GET_INFO_BY_FD";
      case BPF_BTF_LOAD: return "BPF_BTF_LOAD";
      case BPF_BTF_GET_FD_BY_ID: return "BPF_BTF_GET_FD_BY_ID";
      case BPF_BTF_GET_NEXT_ID: return "BPF_BTF_GET_NEXT_ID";
      case BPF_MAP_LOOKUP_AND_DELETE_ELEM: return "BPF_MAP_LOOKUP_AND_DELETE_ELEM";
      case BPF_MAP_FREEZE: return "BPF_MAP_FREEZE";
      case BPF_MAP_LOOKUP_BATCH: return "BPF_MAP_LOOKUP_BATCH";
      case BPF_MAP_LOOKUP_AND_DELETE_BATCH: return "BPF_MAP_LOOKUP_AND_DELETE_BATCH";
      case BPF_MAP_UPDATE_BATCH: return "BPF_MAP_UPDATE_BATCH";
      case BPF_MAP_DELETE_BATCH: return "BPF_MAP_DELETE_BATCH";
      case BPF_ENABLE_STATS: return "BPF_ENABLE_STATS";
      default: return "bpf cmd " + cmd;
    }
  }

  /**
   * One raw {@code bpf(cmd, attr, size)}. Returns the kernel's non-negative result, or {@code
   * -errno}. One system call; allocates nothing, also on failure ({@link Syscall}: JNA on Java 17,
   * the Foreign Function &amp; Memory API on Java 22 and later).
   */
  public static long bpf(int cmd, long attrAddress, int size) {
    return bpf(Scratch.get(), cmd, attrAddress, size);
  }

  /** {@link #bpf(int, long, int)} for a caller that holds its thread's {@link Scratch}. */
  static long bpf(Scratch s, int cmd, long attrAddress, int size) {
    if (NR_BPF < 0) {
      return -Errno.ENOSYS;
    }
    return Syscall.bpf(s, NR_BPF, cmd, attrAddress, size);
  }

  /**
   * The object commands' {@code bpf(2)} on the thread's attr: the result or {@code -errno}, which
   * the callers turn into exceptions naming the command.
   */
  private static long call(int cmd, Scratch s, int size) {
    return bpf(s, cmd, s.attrAddress, size);
  }

  // ---- element operations: return 0 or a positive errno; no allocation on success ----

  /**
   * One element command ({@code BPF_MAP_LOOKUP_ELEM} … {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}): the
   * attr's {@code map_fd}, {@code key}, {@code value} (or {@code next_key}) and {@code flags}.
   * Returns 0 or a positive errno; no allocation on success.
   */
  public static int mapElem(int cmd, int fd, long key, long value, long flags) {
    return mapElem(Scratch.get(), cmd, fd, key, value, flags);
  }

  /**
   * {@link #mapElem(int, int, long, long, long)} on the caller's {@link Scratch}: the handles have
   * already fetched it to encode the key, and a second thread-local read per call is measurable
   * next to the rest of the Java side of a lookup.
   */
  public static int mapElem(Scratch s, int cmd, int fd, long key, long value, long flags) {
    // Every byte of the 32-byte element attr is written here (map_fd's 4 bytes of padding at 4
    // included), so no separate zeroing pass is needed.
    ByteBuffer a = s.attr;
    a.putInt(0, fd); // map_fd
    a.putInt(4, 0); // padding before the 8-byte-aligned key
    a.putLong(8, key); // key
    a.putLong(16, value); // value / next_key
    a.putLong(24, flags); // flags
    long r = bpf(s, cmd, s.attrAddress, ELEM_ATTR_SIZE);
    return r < 0 ? (int) -r : 0;
  }

  /** {@code BPF_MAP_LOOKUP_ELEM}: copies the value at {@code key} (0 for keyless maps) to {@code value}. */
  public static int mapLookup(int fd, long key, long value, long flags) {
    return mapElem(BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
  }

  /** {@code BPF_MAP_UPDATE_ELEM} with {@code BPF_ANY}/{@code BPF_NOEXIST}/{@code BPF_EXIST} flags. */
  public static int mapUpdate(int fd, long key, long value, long flags) {
    return mapElem(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
  }

  /** {@code BPF_MAP_DELETE_ELEM}. */
  public static int mapDelete(int fd, long key) {
    return mapElem(BPF_MAP_DELETE_ELEM, fd, key, 0, 0);
  }

  /** {@code BPF_MAP_GET_NEXT_KEY}: {@code key} 0 asks for the first key. ENOENT means the end. */
  public static int mapGetNextKey(int fd, long key, long nextKey) {
    return mapElem(BPF_MAP_GET_NEXT_KEY, fd, key, nextKey, 0);
  }

  /** {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM} (queue/stack pop; hash maps since 5.14). */
  public static int mapLookupAndDelete(int fd, long key, long value, long flags) {
    return mapElem(BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, flags);
  }

  /**
   * One of the four batch commands ({@code attr.batch}). {@code inBatch} 0 starts at the beginning;
   * the kernel writes the resume token to {@code outBatch} and the number of elements done to
   * {@code count}, which {@link #batchCount(int, int)} reads afterwards (also after ENOENT, the end).
   * Returns 0 or a positive errno.
   */
  public static int mapBatch(
      int cmd, int fd, long inBatch, long outBatch, long keys, long values, int count, long elemFlags) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(BATCH_ATTR_SIZE);
    a.putLong(0, inBatch);
    a.putLong(8, outBatch);
    a.putLong(16, keys);
    a.putLong(24, values);
    a.putInt(32, count);
    a.putInt(36, fd);
    a.putLong(40, elemFlags);
    long r = bpf(s, cmd, s.attrAddress, BATCH_ATTR_SIZE);
    return r < 0 ? (int) -r : 0;
  }

  /**
   * How many elements this thread's last {@link #mapBatch} really processed: the {@code batch.count}
   * the kernel wrote back, or 0 where it cannot have written it.
   *
   * <p>{@code count} is both the request and the answer, so it cannot be zeroed before the call.
   * When the kernel fails before the batch starts ({@code bpf_map_do_batch} in {@code
   * kernel/bpf/syscall.c} answers ENOTSUPP for a map type without the command; attribute checks
   * answer EINVAL, EPERM, EBADF) it returns without touching the field, which still holds the
   * request. Once a batch starts, the kernel ({@code generic_map_*_batch}, {@code htab_map_*_batch})
   * stores 0 first and, on a failure at element {@code i}, reports {@code i < sent}. So a failure
   * (other than ENOENT, the normal end of a lookup, whose count is always written) that reports
   * {@code sent} or more did nothing.
   *
   * @param sent the {@code count} passed to {@link #mapBatch}
   * @param err what {@link #mapBatch} returned
   */
  public static int batchCount(int sent, int err) {
    int count = Scratch.get().attr.getInt(32);
    if (err != 0 && err != Errno.ENOENT && Integer.compareUnsigned(count, sent) >= 0) {
      return 0;
    }
    return count;
  }

  // ---- object commands: throw on failure ----

  /**
   * The kernel's form of an object name: characters outside {@code [A-Za-z0-9_.]} become {@code _},
   * cut to 15 bytes ({@code bpf_obj_name_cpy} in {@code kernel/bpf/syscall.c} refuses anything else).
   */
  public static String objName(String name) {
    StringBuilder b = new StringBuilder(Math.min(name.length(), BPF_OBJ_NAME_LEN - 1));
    for (int i = 0; i < name.length() && b.length() < BPF_OBJ_NAME_LEN - 1; i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.';
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  /**
   * True if {@code name} is a valid kernel object name: 1 to 15 bytes of {@code [A-Za-z0-9_.]}
   * ({@code bpf_obj_name_cpy} in {@code kernel/bpf/syscall.c}), and not {@code .} or {@code ..},
   * which the kernel allows as names but a file system reads as "here" and "the parent".
   */
  public static boolean validObjName(String name) {
    if (name.isEmpty() || name.length() > BPF_OBJ_NAME_LEN - 1 || name.equals(".") || name.equals("..")) {
      return false;
    }
    return objName(name).equals(name);
  }

  /**
   * The pin path of the object named {@code name} under {@code root} ({@link
   * io.github.bpfmaps.annotations.Pinning#BY_NAME}), refusing any name that is not a valid kernel
   * object name ({@link #validObjName}) before a path is built: a name comes from user code or from
   * an ELF object, and {@code "../x"} or {@code ""} must not pin outside the root or at the root
   * itself. No system call.
   *
   * @param kind what is pinned, for the message ({@code map}, {@code program}, {@code link})
   * @throws BpfException naming the object, the root and the rule
   */
  public static Path pinPath(Path root, String name, String kind) {
    if (!validObjName(name)) {
      throw new BpfException("pin by name", name, 0, "cannot pin " + kind + " '" + name + "' under "
          + root + ": a pin name must be a kernel object name, 1 to " + (BPF_OBJ_NAME_LEN - 1)
          + " bytes of [A-Za-z0-9_.], and not '.' or '..'; rename the " + kind
          + (kind.equals("map") ? " (@BpfMap(name = ...), the spec's name or the C variable)" : ""));
    }
    Path path = root.resolve(name);
    if (!root.equals(path.getParent())) { // cannot happen for a valid name; the guard is cheap
      throw new BpfException("pin by name", name, 0, kind + " '" + name + "' would pin at " + path
          + ", outside " + root);
    }
    return path;
  }

  /**
   * {@code BPF_MAP_CREATE}. Returns the new fd (close-on-exec, owned by the caller). One system
   * call; {@code innerMapFd} is used for map-in-map types, {@code mapExtra} for bloom filters (number
   * of hash functions) and arenas, {@code btfFd} 0 for no BTF.
   *
   * @throws BpfSyscallException naming the map and its attributes
   */
  public static int mapCreate(
      String name, int type, int keySize, int valueSize, int maxEntries, int flags,
      int innerMapFd, long mapExtra, int btfFd, int btfKeyTypeId, int btfValueTypeId) {
    String kname = objName(name);
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(MAP_CREATE_ATTR_SIZE);
    a.putInt(0, type);
    a.putInt(4, keySize);
    a.putInt(8, valueSize);
    a.putInt(12, maxEntries);
    a.putInt(16, flags);
    a.putInt(20, innerMapFd);
    byte[] n = kname.getBytes(StandardCharsets.US_ASCII);
    a.put(28, n, 0, n.length); // map_name[16], NUL from the zeroing
    a.putInt(48, btfFd);
    a.putInt(52, btfKeyTypeId);
    a.putInt(56, btfValueTypeId);
    a.putLong(64, mapExtra);
    long r = call(BPF_MAP_CREATE, s, MAP_CREATE_ATTR_SIZE);
    if (r < 0) {
      int errno = (int) -r;
      String detail = String.format(Locale.ROOT, "%s key %d value %d max_entries %d flags 0x%x",
          typeName(type), keySize, valueSize, maxEntries, flags);
      if (errno == Errno.E2BIG || errno == Errno.ENOMEM) {
        detail += sizeNote(errno, type, keySize, valueSize, maxEntries);
      }
      throw BpfSyscallException.of("BPF_MAP_CREATE", name, errno, detail);
    }
    return (int) r;
  }

  /**
   * Which limit a refused map size hit: E2BIG is the kernel's fixed cap for the type (sizes or a
   * bucket count over {@code U32_MAX}, {@code htab_map_alloc_check}, {@code array_map_alloc_check}),
   * ENOMEM the memory it could not get (the memory cgroup's limit, or RAM) for the preallocation.
   */
  private static String sizeNote(int errno, int type, int keySize, int valueSize, int maxEntries) {
    double bytes = (double) Integer.toUnsignedLong(maxEntries) * ((long) keySize + valueSize);
    String total = bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30))
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (1 << 20));
    return errno == Errno.E2BIG
        ? "; the key or value size or max_entries is over the kernel's limit for this map type"
            + " (max_entries x (key + value) = " + total + "): lower them"
        : "; the kernel could not allocate max_entries x (key + value) = " + total
            + " (the memory cgroup's limit or free RAM): lower max_entries"
            + (type == MapType.HASH.id() || type == MapType.PERCPU_HASH.id()
                ? ", or set BPF_F_NO_PREALLOC to allocate entries as they are added" : "");
  }

  private static String typeName(int type) {
    try {
      return MapType.fromId(type).name();
    } catch (IllegalArgumentException e) {
      return "type " + type;
    }
  }

  /** Writes {@code path} as a NUL-terminated UTF-8 string into the spare buffer; returns its address. */
  private static long cString(Scratch s, String path) {
    byte[] b = path.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = s.spare(b.length + 1);
    buf.put(0, b, 0, b.length);
    buf.put(b.length, (byte) 0);
    return s.spareAddress();
  }

  /**
   * {@code BPF_OBJ_PIN}: pins the map or program {@code fd} at {@code path} on a bpffs mount. One
   * system call.
   *
   * @throws BpfSyscallException EEXIST if the path exists, ENOENT if its directory does not, EPERM
   */
  public static void objPin(int fd, String path) {
    pathCommand(BPF_OBJ_PIN, path, fd, 0);
  }

  /**
   * {@code BPF_OBJ_GET}: opens the object pinned at {@code path}; returns a new fd. {@code fileFlags}
   * 0 for read-write, {@code BPF_F_RDONLY} (8) or {@code BPF_F_WRONLY} (16). One system call.
   *
   * @throws BpfSyscallException ENOENT if nothing is pinned there
   */
  public static int objGet(String path, int fileFlags) {
    return pathCommand(BPF_OBJ_GET, path, 0, fileFlags);
  }

  /**
   * {@code BPF_OBJ_GET} of a pin that must be a map: opens it and checks what it is (a second call:
   * one {@code readlink}). A pinned program, link or BTF object, which {@code BPF_OBJ_GET} opens just
   * the same, is refused with its kind named instead of being read as a map; a directory on bpffs
   * (EACCES from the kernel, as root too) is said to be a directory.
   *
   * @throws BpfNotFoundException if nothing is pinned there
   * @throws BpfException if the pin is not a map, naming what it is
   */
  public static int mapObjGet(String path, int fileFlags) {
    int fd = objGet(path, fileFlags);
    requireKind(fd, ObjKind.MAP, "BPF_OBJ_GET", path, "this pin");
    return fd;
  }

  /** What a BPF fd refers to, from its anonymous inode's name ({@code kernel/bpf/syscall.c}). */
  public enum ObjKind {
    /** {@code anon_inode:bpf-map}. */
    MAP("map", "anon_inode:bpf-map"),
    /** {@code anon_inode:bpf-prog}. */
    PROGRAM("program", "anon_inode:bpf-prog"),
    /** {@code anon_inode:bpf_link}. */
    LINK("link", "anon_inode:bpf_link"),
    /** {@code anon_inode:btf} ({@code kernel/bpf/btf.c}). */
    BTF("BTF object", "anon_inode:btf"),
    /** Anything else (not a BPF object, or a name this library does not know). */
    OTHER("file that is not a BPF map, program or link", "");

    private final String noun;
    private final String inode;

    ObjKind(String noun, String inode) {
      this.noun = noun;
      this.inode = inode;
    }

    /** How messages call it: {@code map}, {@code program}, {@code link}. */
    public String noun() {
      return noun;
    }

    /**
     * The kind of {@code fd}, read from {@code readlink /proc/self/fd/N} (no bpf(2) call, so it
     * works for every kind alike). {@code null} if procfs cannot tell.
     */
    public static @Nullable ObjKind of(int fd) {
      String link;
      try {
        link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      } catch (IOException | RuntimeException e) {
        return null;
      }
      for (ObjKind k : values()) {
        if (!k.inode.isEmpty() && link.equals(k.inode)) {
          return k;
        }
      }
      return OTHER;
    }
  }

  /**
   * Checks that {@code fd}, obtained from a pin or an id, is a {@code want}; otherwise closes it and
   * throws, naming what it is. No bpf(2) call; one {@code readlink}.
   *
   * @param what how the message calls the source ({@code "this pin"}, {@code "id 7"})
   */
  public static void requireKind(int fd, ObjKind want, String operation, String target, String what) {
    ObjKind kind = ObjKind.of(fd);
    if (kind == null || kind == want) {
      return; // no procfs: the info call that follows still refuses what it cannot read
    }
    try {
      LibC.close(fd);
    } catch (LastErrorException ignored) {
      // the number is released either way
    }
    throw new BpfException(operation, target, 0, operation + " on '" + target + "': " + what + " is a "
        + kind.noun() + ", not a " + want.noun()
        + (kind == ObjKind.PROGRAM || kind == ObjKind.LINK ? "; open it as a " + kind.noun() + " instead" : ""));
  }

  private static int pathCommand(int cmd, String path, int fd, int fileFlags) {
    Scratch s = Scratch.get();
    long p = cString(s, path);
    ByteBuffer a = s.attr(16);
    a.putLong(0, p); // pathname
    a.putInt(8, fd); // bpf_fd
    a.putInt(12, fileFlags); // file_flags
    long r = call(cmd, s, 16);
    if (r < 0) {
      String fsType = (int) -r == Errno.ENOENT ? null : nonBpfFilesystem(cmd == BPF_OBJ_PIN, path);
      if (fsType != null) {
        throw BpfSyscallException.notOnBpffs(commandName(cmd), path, (int) -r, fsType);
      }
      if (cmd == BPF_OBJ_GET && (int) -r != Errno.ENOENT && Files.isDirectory(Path.of(path))) {
        // bpf_obj_do_get (kernel/bpf/inode.c) answers EACCES for a directory, as root too: not
        // a capability problem.
        throw BpfSyscallException.because(commandName(cmd), path, (int) -r,
            "the path is a directory on bpffs, not a pinned object; name a pinned map inside it");
      }
      throw BpfSyscallException.of(commandName(cmd), path, (int) -r, null);
    }
    return (int) r;
  }

  /**
   * The file system type of a pin path that is not on bpffs, or null (bpffs, or unknown). The kernel
   * answers a pin into another file system with EPERM and a get of a non-BPF file with EACCES or
   * EINVAL ({@code bpf_obj_do_pin}, {@code bpf_obj_do_get} in {@code kernel/bpf/inode.c}), which
   * would otherwise read as a missing capability. Only called on failure; reads the mount table.
   */
  private static @Nullable String nonBpfFilesystem(boolean pin, String path) {
    try {
      Path p = Path.of(path).toAbsolutePath();
      Path where = pin ? p.getParent() : p;
      if (where == null || !Files.exists(where)) {
        return null;
      }
      String type = Files.getFileStore(where).type();
      return "bpf".equals(type) ? null : type;
    } catch (IOException | RuntimeException e) {
      return null; // cannot tell: keep the kernel's answer as it is
    }
  }

  private static int fdById(int cmd, int id) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(16);
    a.putInt(0, id);
    long r = call(cmd, s, 12); // map_id/prog_id, next_id, open_flags
    if (r < 0) {
      // bpf_map_get_fd_by_id and bpf_prog_get_fd_by_id (kernel/bpf/syscall.c) check
      // capable(CAP_SYS_ADMIN): CAP_BPF, enough for everything else, is not enough here.
      String detail = (int) -r == Errno.EPERM
          ? "opening by id needs CAP_SYS_ADMIN, CAP_BPF is not enough; or open it through a pin" : null;
      throw BpfSyscallException.of(commandName(cmd), "id " + id, (int) -r, detail);
    }
    return (int) r;
  }

  /** {@code BPF_MAP_GET_FD_BY_ID}: a new fd for the map with system-wide id {@code id}. */
  public static int mapGetFdById(int id) {
    return fdById(BPF_MAP_GET_FD_BY_ID, id);
  }

  /** {@code BPF_PROG_GET_FD_BY_ID}: a new fd for the program with system-wide id {@code id}. */
  public static int progGetFdById(int id) {
    return fdById(BPF_PROG_GET_FD_BY_ID, id);
  }

  private static ByteBuffer info(int fd, int infoSize, @Nullable String target) {
    Scratch s = Scratch.get();
    ByteBuffer info = s.spare(infoSize);
    for (int i = 0; i < infoSize; i += 8) {
      info.putLong(i, 0);
    }
    objInfo(fd, s.spareAddress(), infoSize, target);
    return info;
  }

  /**
   * {@code BPF_OBJ_GET_INFO_BY_FD} into the zeroed {@code infoSize} bytes at {@code infoAddress} (a
   * map, program, BTF or link info struct; fields that point to buffers are read from there). One
   * system call.
   */
  static void objInfo(int fd, long infoAddress, int infoSize, @Nullable String target) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(16);
    a.putInt(0, fd);
    a.putInt(4, infoSize);
    a.putLong(8, infoAddress);
    long r = call(BPF_OBJ_GET_INFO_BY_FD, s, 16);
    if (r < 0) {
      throw BpfSyscallException.of("BPF_OBJ_GET_INFO_BY_FD", target, (int) -r, null);
    }
  }

  private static String cName(ByteBuffer b, int offset, int max) {
    int n = 0;
    while (n < max && b.get(offset + n) != 0) {
      n++;
    }
    byte[] bytes = new byte[n];
    b.get(offset, bytes, 0, n);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** {@code BPF_OBJ_GET_INFO_BY_FD} on a map ({@code struct bpf_map_info}). One system call. */
  public static MapInfo mapInfo(int fd, @Nullable String target) {
    ByteBuffer b = info(fd, MAP_INFO_SIZE, target);
    int typeId = b.getInt(0);
    MapType type = null;
    if (typeId >= 0 && typeId < MapType.values().length) {
      type = MapType.fromId(typeId);
    }
    return new MapInfo(type, typeId, b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16),
        b.getInt(20), cName(b, 24, BPF_OBJ_NAME_LEN), b.getInt(64));
  }

  /** {@code BPF_OBJ_GET_INFO_BY_FD} on a program ({@code struct bpf_prog_info}). One system call. */
  public static ProgramInfo progInfo(int fd) {
    ByteBuffer b = info(fd, PROG_INFO_SIZE, "prog fd " + fd);
    StringBuilder tag = new StringBuilder(16);
    for (int i = 0; i < 8; i++) {
      tag.append(String.format(Locale.ROOT, "%02x", b.get(8 + i) & 0xff));
    }
    return new ProgramInfo(b.getInt(0), b.getInt(4), tag.toString(), cName(b, 64, BPF_OBJ_NAME_LEN),
        b.getInt(16), b.getInt(20), b.getInt(52), b.getInt(128), b.getLong(192), b.getLong(200),
        b.getInt(216));
  }

  /**
   * {@code BPF_ENABLE_STATS}: turns on the kernel's per-program statistics of {@code type} ({@link
   * #BPF_STATS_RUN_TIME}: {@code run_time_ns} and {@code run_cnt} in {@code bpf_prog_info}) for as
   * long as the returned fd is open ({@code bpf_enable_runtime_stats} in {@code kernel/bpf/syscall.c}
   * counts the open fds; the sysctl {@code kernel.bpf_stats_enabled} is the global switch). The fd
   * is the caller's to close. One system call; needs CAP_SYS_ADMIN.
   */
  public static int enableStats(int type) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(8);
    a.putInt(0, type);
    long r = call(BPF_ENABLE_STATS, s, 4); // enable_stats.type
    if (r < 0) {
      String detail = (int) -r == Errno.EPERM
          ? "turning on program statistics needs CAP_SYS_ADMIN, CAP_BPF is not enough" : null;
      throw BpfSyscallException.of("BPF_ENABLE_STATS", "BPF_STATS_RUN_TIME", (int) -r, detail);
    }
    return (int) r;
  }

  /** {@code BPF_MAP_FREEZE}: from now on user space cannot write the map (programs still can). */
  public static void mapFreeze(int fd, @Nullable String target) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(8);
    a.putInt(0, fd);
    long r = call(BPF_MAP_FREEZE, s, 4);
    if (r < 0) {
      throw BpfSyscallException.of("BPF_MAP_FREEZE", target, (int) -r, null);
    }
  }

  /** Closes a raw fd this process owns (a program or BTF fd from the loader). */
  public static void close(int fd) {
    try {
      LibC.close(fd);
    } catch (LastErrorException e) {
      throw BpfSyscallException.of("close", "fd " + fd, e.getErrorCode(), null);
    }
  }

  private static ByteBuffer direct(int size) {
    return ByteBuffer.allocateDirect(Math.max(size, 8)).order(ByteOrder.nativeOrder());
  }

  private static ByteBuffer direct(byte[] bytes, boolean nulTerminate) {
    ByteBuffer b = direct(bytes.length + (nulTerminate ? 1 : 0));
    b.put(0, bytes, 0, bytes.length);
    return b;
  }

  /**
   * {@code BPF_PROG_LOAD}. Returns the program's fd (owned by the caller; close it with {@link
   * #close(int)}). With log level 0 a failed load is repeated once with level 1 to fetch the
   * verifier's log. Allocates the native copies of the instructions and the log buffer (only on
   * failure or when a log level is set).
   *
   * @throws BpfLoadException with the verifier log when the verifier refuses the program (its log
   *     gives a verdict)
   * @throws BpfSyscallException for any other failure of the call (EMFILE: no fd left; EPERM: no
   *     capability), with no verifier log attached
   */
  public static int progLoad(ProgLoad p) {
    long r = progLoadOnce(p, p.logLevel, null);
    if (r >= 0) {
      return (int) r;
    }
    int errno = (int) -r;
    String log = p.logLevel > 0 ? p.log : "";
    if (p.logLevel == 0 && !notTheVerifier(errno)) {
      String[] again = new String[1];
      long second = progLoadOnce(p, 1, again);
      if (second >= 0) {
        return (int) second; // accepted the second time: the first refusal was transient
      }
      errno = (int) -second;
      log = again[0] == null ? "" : again[0];
    }
    throw loadError("BPF_PROG_LOAD", p.name, errno, log);
  }

  /**
   * Errnos of a load that the verifier never gives: the fd table is full (the fd is allocated after
   * verification, so the log reads like a success), or the capability check before it failed.
   */
  private static boolean notTheVerifier(int errno) {
    return errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.EPERM || errno == Errno.EINTR;
  }

  /**
   * The exception for a failed {@code BPF_PROG_LOAD} or {@code BPF_BTF_LOAD}, chosen by what
   * failed rather than by the errno alone: a {@link BpfLoadException} (verifier or BTF refusal)
   * only when the kernel's log gives a verdict, the errno's own exception otherwise. Allocates it;
   * no system call.
   */
  public static BpfSyscallException loadError(String cmd, String target, int errno, String log) {
    if (notTheVerifier(errno) || !BpfLoadException.hasVerdict(log)) {
      return BpfSyscallException.of(cmd, target, errno, errno == Errno.EMFILE || errno == Errno.ENFILE
          ? "no fd left for the new " + (cmd.equals("BPF_PROG_LOAD") ? "program" : "BTF object") : null);
    }
    return new BpfLoadException(cmd, target, errno, log);
  }

  private static long progLoadOnce(ProgLoad p, int logLevel, String @Nullable [] logOut) {
    ByteBuffer insns = direct(p.insns, false);
    ByteBuffer license = direct(p.license.getBytes(StandardCharsets.UTF_8), true);
    ByteBuffer log = logLevel > 0 ? direct(p.logSize) : null;
    ByteBuffer funcInfo = p.funcInfo != null ? direct(p.funcInfo, false) : null;
    ByteBuffer lineInfo = p.lineInfo != null ? direct(p.lineInfo, false) : null;
    ByteBuffer fdArray = null;
    if (p.fdArray != null) {
      fdArray = direct(p.fdArray.length * 4);
      for (int i = 0; i < p.fdArray.length; i++) {
        fdArray.putInt(i * 4, p.fdArray[i]);
      }
    }
    ByteBuffer coreRelos = p.coreRelos != null ? direct(p.coreRelos, false) : null;
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(144);
    a.putInt(0, p.type);
    a.putInt(4, p.insns.length / 8);
    a.putLong(8, Scratch.address(insns));
    a.putLong(16, Scratch.address(license));
    if (log != null) {
      a.putInt(24, logLevel);
      a.putInt(28, p.logSize);
      a.putLong(32, Scratch.address(log));
    }
    a.putInt(40, p.kernVersion);
    a.putInt(44, p.progFlags);
    byte[] n = objName(p.name).getBytes(StandardCharsets.US_ASCII);
    a.put(48, n, 0, n.length);
    a.putInt(68, p.expectedAttachType);
    a.putInt(72, p.btfFd);
    if (funcInfo != null) {
      a.putInt(76, p.funcInfoRecSize);
      a.putLong(80, Scratch.address(funcInfo));
      a.putInt(88, p.funcInfo.length / Math.max(1, p.funcInfoRecSize));
    }
    if (lineInfo != null) {
      a.putInt(92, p.lineInfoRecSize);
      a.putLong(96, Scratch.address(lineInfo));
      a.putInt(104, p.lineInfo.length / Math.max(1, p.lineInfoRecSize));
    }
    a.putInt(108, p.attachBtfId);
    a.putInt(112, p.attachFd);
    if (fdArray != null) {
      a.putLong(120, Scratch.address(fdArray));
    }
    int size = 128; // up to fd_array; kernels before 5.17 know no more
    if (coreRelos != null) {
      a.putInt(116, p.coreRelos.length / Math.max(1, p.coreReloRecSize)); // core_relo_cnt
      a.putLong(128, Scratch.address(coreRelos)); // core_relos
      a.putInt(136, p.coreReloRecSize); // core_relo_rec_size
      size = 140;
    }
    long r = call(BPF_PROG_LOAD, s, size);
    if (log != null) {
      p.log = cName(log, 0, p.logSize);
      if (logOut != null) {
        logOut[0] = p.log;
      }
    }
    Reference.reachabilityFence(insns);
    Reference.reachabilityFence(license);
    Reference.reachabilityFence(funcInfo);
    Reference.reachabilityFence(lineInfo);
    Reference.reachabilityFence(fdArray);
    Reference.reachabilityFence(coreRelos);
    return r;
  }

  /**
   * {@code BPF_BTF_LOAD}: loads raw BTF ({@code .BTF} section bytes, header included) and returns
   * its fd (owned by the caller). A failed load is repeated with {@code btf_log_level} 1 to fetch the
   * kernel's log. Allocates native copies.
   *
   * @throws BpfLoadException with the BTF log when the kernel's BTF checker refuses the BTF
   * @throws BpfSyscallException for any other failure of the call (EMFILE, EPERM)
   */
  public static int btfLoad(byte[] btf, String target) {
    long r = btfLoadOnce(btf, 0, null);
    if (r >= 0) {
      return (int) r;
    }
    if (notTheVerifier((int) -r)) {
      throw loadError("BPF_BTF_LOAD", target, (int) -r, "");
    }
    String[] log = new String[1];
    long again = btfLoadOnce(btf, 1 << 20, log);
    if (again >= 0) {
      return (int) again;
    }
    throw loadError("BPF_BTF_LOAD", target, (int) -again, log[0] == null ? "" : log[0]);
  }

  private static long btfLoadOnce(byte[] btf, int logSize, String @Nullable [] logOut) {
    ByteBuffer data = direct(btf, false);
    ByteBuffer log = logSize > 0 ? direct(logSize) : null;
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(32);
    a.putLong(0, Scratch.address(data)); // btf
    a.putInt(16, btf.length); // btf_size
    if (log != null) {
      a.putLong(8, Scratch.address(log)); // btf_log_buf
      a.putInt(20, logSize); // btf_log_size
      a.putInt(24, 1); // btf_log_level
    }
    long r = call(BPF_BTF_LOAD, s, 28);
    if (logOut != null && log != null) {
      logOut[0] = cName(log, 0, logSize);
    }
    Reference.reachabilityFence(data);
    Reference.reachabilityFence(log);
    return r;
  }

  /**
   * {@code BPF_PROG_TEST_RUN}: runs the program {@code repeat} times (at least once) on {@code
   * dataIn} and returns its return value, the output packet ({@code dataOutSize} bytes at most) and
   * the average duration. Allocates native copies and the result.
   *
   * @throws BpfSyscallException EINVAL if the program type cannot be test-run or the data is too
   *     short (XDP needs at least an Ethernet header, 14 bytes)
   */
  public static TestRun progTestRun(int progFd, byte[] dataIn, int dataOutSize, int repeat) {
    return progTestRun(progFd, dataIn, dataOutSize, null, repeat);
  }

  /**
   * As {@link #progTestRun(int, byte[], int, int)}, with the program's context given ({@code
   * ctx_in}): for XDP a {@code struct xdp_md} (its {@code data_end} the input's length, {@code
   * ingress_ifindex} an existing device), for skb programs a {@code struct __sk_buff}; null for none.
   *
   * @throws BpfSyscallException EINVAL if the kernel refuses the context's fields
   */
  public static TestRun progTestRun(
      int progFd, byte[] dataIn, int dataOutSize, byte @Nullable [] ctxIn, int repeat) {
    ByteBuffer in = direct(dataIn, false);
    ByteBuffer out = direct(dataOutSize);
    ByteBuffer ctx = ctxIn != null ? direct(ctxIn, false) : null;
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(80);
    a.putInt(0, progFd);
    a.putInt(8, dataIn.length);
    a.putInt(12, dataOutSize);
    a.putLong(16, Scratch.address(in));
    a.putLong(24, dataOutSize > 0 ? Scratch.address(out) : 0);
    a.putInt(32, repeat);
    if (ctx != null) {
      a.putInt(40, ctxIn.length); // ctx_size_in
      a.putLong(48, Scratch.address(ctx)); // ctx_in
    }
    long r = call(BPF_PROG_TEST_RUN, s, 76); // ..batch_size (u32 at 72)
    Reference.reachabilityFence(in);
    Reference.reachabilityFence(ctx);
    if (r < 0) {
      throw BpfSyscallException.of("BPF_PROG_TEST_RUN", "prog fd " + progFd, (int) -r, null);
    }
    int retval = a.getInt(4);
    int outLen = Math.min(a.getInt(12), dataOutSize);
    int duration = a.getInt(36);
    byte[] dataOut = new byte[outLen];
    out.get(0, dataOut, 0, outLen);
    return new TestRun(retval, dataOut, duration);
  }

  /** Throws the {@link BpfException} for a failed element or batch operation. */
  public static BpfSyscallException error(int cmd, @Nullable String target, int errno, @Nullable String detail) {
    return BpfSyscallException.of(commandName(cmd), target, errno, detail);
  }

  // ---- the kernel's BTF objects (module BTF for attach targets and externs) ----

  /** {@code BPF_BTF_GET_FD_BY_ID}, command 19 of {@code enum bpf_cmd}. */
  public static final int BPF_BTF_GET_FD_BY_ID = 19;
  /** {@code BPF_BTF_GET_NEXT_ID}, command 23 of {@code enum bpf_cmd}. */
  public static final int BPF_BTF_GET_NEXT_ID = 23;

  /**
   * {@code BPF_BTF_GET_NEXT_ID}: the id of the next BTF object after {@code startId} (vmlinux,
   * modules, and loaded programs' BTF), or 0 when there is none. One system call.
   *
   * @throws BpfSyscallException EPERM without CAP_SYS_ADMIN
   */
  public static int btfGetNextId(int startId) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(16);
    a.putInt(0, startId);
    long r = call(BPF_BTF_GET_NEXT_ID, s, 12); // start_id, next_id, open_flags
    if (r == -Errno.ENOENT) {
      return 0;
    }
    if (r < 0) {
      throw BpfSyscallException.of("BPF_BTF_GET_NEXT_ID", "after id " + startId, (int) -r, null);
    }
    return a.getInt(4);
  }

  /** {@code BPF_BTF_GET_FD_BY_ID}: a new fd (owned by the caller) for the BTF object {@code id}. */
  public static int btfGetFdById(int id) {
    return fdById(BPF_BTF_GET_FD_BY_ID, id);
  }

  /**
   * The name of a BTF object ({@code struct bpf_btf_info}: {@code vmlinux}, a module's name, or
   * empty for a program's BTF) if it is the kernel's own ({@code kernel_btf}), else null. One system
   * call.
   */
  public static @Nullable String kernelBtfName(int fd) {
    Scratch s = Scratch.get();
    ByteBuffer name = direct(64);
    ByteBuffer info = direct(32); // btf, btf_size, id, name, name_len, kernel_btf
    info.putLong(16, Scratch.address(name));
    info.putInt(24, 64);
    ByteBuffer a = s.attr(16);
    a.putInt(0, fd);
    a.putInt(4, 32);
    a.putLong(8, Scratch.address(info));
    long r = call(BPF_OBJ_GET_INFO_BY_FD, s, 16);
    Reference.reachabilityFence(name);
    if (r < 0) {
      throw BpfSyscallException.of("BPF_OBJ_GET_INFO_BY_FD", "BTF fd " + fd, (int) -r, null);
    }
    return info.getInt(28) == 0 ? null : cName(name, 0, Math.min(64, info.getInt(24)));
  }

  /**
   * What one {@code BPF_PROG_TEST_RUN} returned: the program's return value, the output data and
   * the mean duration in ns. The public API wraps it as {@code TestRunResult}.
   */
  public record TestRun(int retval, byte[] dataOut, int durationNs) {}
}
