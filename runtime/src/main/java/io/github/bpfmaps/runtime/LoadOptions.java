package io.github.bpfmaps.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link BpfObject} is loaded: where maps pinned by name live, which maps reuse an existing
 * kernel map instead of creating one, the values of {@code .rodata} constants, and how much of the
 * verifier's log to keep. Every method returns these options, so Java and Kotlin callers chain them:
 *
 * <pre>{@code
 * BpfObject.load(path, o -> o.pinRoot("/sys/fs/bpf/app")
 *     .reuse("flows").pinned("/sys/fs/bpf/flows")
 *     .constant("cfg_port", 8080));
 * }</pre>
 *
 * <p>Building options makes no system call; they are checked against the object when it loads (a
 * reuse or constant naming something the object does not declare is an error then). Not
 * thread-safe: build them on one thread.
 */
public final class LoadOptions {
  private @Nullable Path pinRoot;
  private final Map<String, Reuse> reuses = new LinkedHashMap<>();
  private final Map<String, Constant> constants = new LinkedHashMap<>();
  /** How each constant was given, so the loader checks it against the variable's size the right way. */
  private int logLevel;
  private int logSize = 1 << 20;

  /** Empty options: create every map, pin nothing, no verifier log unless a program is refused. */
  public LoadOptions() {}

  /**
   * The bpffs directory under which maps declared with {@code pinning = BY_NAME}
   * ({@code LIBBPF_PIN_BY_NAME}) are pinned as {@code <pinRoot>/<map name>}: a compatible map already
   * pinned there is reused, an incompatible one is refused.
   */
  public LoadOptions pinRoot(Path dir) {
    this.pinRoot = Objects.requireNonNull(dir, "pinRoot");
    return this;
  }

  /** As {@link #pinRoot(Path)}. */
  public LoadOptions pinRoot(String dir) {
    return pinRoot(Path.of(dir));
  }

  /** Choose how the object's map {@code mapName} reuses an existing kernel map. */
  public MapReuse reuse(String mapName) {
    Objects.requireNonNull(mapName, "mapName");
    return new MapReuse(mapName);
  }

  /**
   * Sets a {@code .rodata} (or {@code .data}) variable before load; the value is written in host
   * byte order in the variable's size (1, 2, 4 or 8 bytes), which must hold it.
   */
  public LoadOptions constant(String variable, long value) {
    byte[] bytes = new byte[8];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (value >>> (8 * i));
    }
    return putConstant(variable, bytes, ConstantKind.INTEGER);
  }

  /** Sets a variable to raw bytes, which must be exactly the variable's size. */
  public LoadOptions constant(String variable, byte[] value) {
    return putConstant(variable, value.clone(), ConstantKind.BYTES);
  }

  /**
   * Sets a {@code char[]} variable to a NUL-padded UTF-8 string, which must be shorter than the
   * variable.
   */
  public LoadOptions constant(String variable, String value) {
    return putConstant(variable, value.getBytes(StandardCharsets.UTF_8), ConstantKind.STRING);
  }

  private LoadOptions putConstant(String variable, byte[] bytes, ConstantKind kind) {
    constants.put(Objects.requireNonNull(variable, "variable"), new Constant(bytes, kind));
    return this;
  }

  /** How a constant was given: a long, exact bytes, or a string to pad. */
  enum ConstantKind {
    INTEGER,
    BYTES,
    STRING
  }

  /** A constant's bytes and how they were given, which decides how they fit the variable. */
  record Constant(byte[] bytes, ConstantKind kind) {}

  /** The constants with their kinds, in the order given; what the loader applies. */
  Map<String, Constant> constantEntries() {
    return Collections.unmodifiableMap(constants);
  }

  /**
   * The verifier log level for every program (0: a log only when a program is refused, 1: the
   * verifier's decisions, 2: its full state).
   */
  public LoadOptions logLevel(int level) {
    if (level < 0 || level > 2) {
      throw new IllegalArgumentException("log level must be 0, 1 or 2, got " + level);
    }
    this.logLevel = level;
    return this;
  }

  /** The size of the verifier log buffer in bytes (default 1 MiB). */
  public LoadOptions logSize(int bytes) {
    if (bytes < 128) {
      throw new IllegalArgumentException("log size must be at least 128 bytes, got " + bytes);
    }
    this.logSize = bytes;
    return this;
  }

  /** The pin root, or null. */
  public @Nullable Path pinRoot() {
    return pinRoot;
  }

  /** The reuse choices by map name, in the order given. */
  public Map<String, Reuse> reuses() {
    return Collections.unmodifiableMap(reuses);
  }

  /**
   * The constants by variable name, in the order given; see {@link #constant(String, long)} for how
   * longs are kept. A snapshot: constants set later are not in it.
   */
  public Map<String, byte[]> constants() {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    constants.forEach((name, c) -> bytes.put(name, c.bytes()));
    return Collections.unmodifiableMap(bytes);
  }

  /** The verifier log level. */
  public int logLevel() {
    return logLevel;
  }

  /** The verifier log buffer size. */
  public int logSize() {
    return logSize;
  }

  /** Where a reused map comes from. Exactly one of the fields is set. */
  public record Reuse(@Nullable Path pinned, int id, @Nullable MapFd fd) {
    @Override
    public String toString() {
      if (pinned != null) {
        return "pinned " + pinned;
      }
      return fd != null ? "handle " + fd : "id " + id;
    }
  }

  /** The second half of {@link #reuse(String)}: say where the map comes from. */
  public final class MapReuse {
    private final String mapName;

    private MapReuse(String mapName) {
      this.mapName = mapName;
    }

    /** Reuse the map pinned at {@code path} ({@code BPF_OBJ_GET}), as bpftool's {@code map name X pinned P}. */
    public LoadOptions pinned(Path path) {
      return put(new Reuse(Objects.requireNonNull(path, "path"), 0, null));
    }

    /** As {@link #pinned(Path)}. */
    public LoadOptions pinned(String path) {
      return pinned(Path.of(path));
    }

    /** Reuse the map with this kernel id ({@code BPF_MAP_GET_FD_BY_ID}). */
    public LoadOptions id(int mapId) {
      if (mapId <= 0) {
        throw new IllegalArgumentException("map id must be positive, got " + mapId);
      }
      return put(new Reuse(null, mapId, null));
    }

    /**
     * Reuse an already open map, as libbpf's {@code bpf_map__reuse_fd}. The object duplicates the fd;
     * the caller keeps ownership of {@code fd}. For a typed handle pass {@code handle.fd()}.
     */
    public LoadOptions handle(MapFd fd) {
      return put(new Reuse(null, 0, Objects.requireNonNull(fd, "fd")));
    }

    private LoadOptions put(Reuse reuse) {
      reuses.put(mapName, reuse);
      return LoadOptions.this;
    }
  }
}
