package io.github.bpfmaps.runtime;

import com.sun.jna.LastErrorException;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfKeyExistsException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.OwnedFd;
import io.github.bpfmaps.runtime.sys.RefCount;
import io.github.bpfmaps.spec.MapInfo;
import io.github.bpfmaps.spec.MapSpec;
import io.github.bpfmaps.spec.SpecComparison;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An owned file descriptor of a kernel map.
 *
 * <p><b>Lifetime.</b> {@link #close()} releases the fd; closing twice is harmless, and a {@link
 * Cleaner} closes an unreachable {@code MapFd} that was never closed. Every operation brackets its
 * system call with {@link #acquire()} / {@link #release()} (an atomic counter, no allocation): while
 * any call is in flight, {@code close} only marks the fd closed and the last {@code release} does the
 * real {@code close(2)}. So a concurrent close never lets another thread pass a number the kernel
 * may already have given to a new file. After {@code close}, every method but {@code close}, {@link
 * #isClosed()} and {@link #name()} throws {@link BpfClosedException}.
 *
 * <p>Thread-safe.
 */
public final class MapFd implements AutoCloseable {
  private final OwnedFd state;
  private final Cleaner.Cleanable cleanable;
  private final String name;

  private MapFd(int fd, String name) {
    this.state = new OwnedFd(fd);
    this.name = name;
    this.cleanable = RefCount.CLEANER.register(this, state);
  }

  /**
   * Takes ownership of a raw map fd (from the loader, or a {@code BPF_MAP_CREATE} done elsewhere).
   * The returned {@code MapFd} closes it.
   *
   * @param fd an open map fd this process owns
   * @param name the map's name, for messages
   */
  public static MapFd adopt(int fd, String name) {
    if (fd < 0) {
      throw new IllegalArgumentException("negative fd " + fd);
    }
    return new MapFd(fd, Objects.requireNonNull(name));
  }

  /**
   * Creates a map from {@code spec} ({@code BPF_MAP_CREATE}). For map-in-map types the inner map
   * template from {@link MapSpec#innerMap()} is created first and closed after (three system
   * calls). The name is sanitized to the kernel's rules (15 bytes of {@code [A-Za-z0-9_.]}).
   *
   * @throws BpfSyscallException with the spec's attributes when the kernel refuses ({@link
   *     BpfPermissionException} without CAP_BPF)
   * @throws IllegalArgumentException for a map-in-map spec without an inner map
   */
  public static MapFd create(MapSpec spec) {
    int innerFd = 0;
    MapFd inner = null;
    if (spec.type().mapOfMaps()) {
      MapSpec innerSpec = spec.innerMap();
      if (innerSpec == null) {
        throw new IllegalArgumentException(spec.type() + " map '" + spec.name() + "' needs an inner map spec");
      }
      inner = create(innerSpec);
      innerFd = inner.state.fd;
    }
    try {
      int fd = BpfSys.mapCreate(spec.name(), spec.type().id(), spec.keySize(), spec.valueSize(),
          spec.maxEntries(), spec.flags(), innerFd, 0, 0, 0, 0);
      return new MapFd(fd, spec.name());
    } finally {
      if (inner != null) {
        inner.close();
      }
    }
  }

  /**
   * The {@link io.github.bpfmaps.annotations.Pinning#BY_NAME} rule, as libbpf applies it: if a map
   * is pinned at {@code pinRoot/<name>} it is opened and checked against {@code spec} (a mismatch is
   * refused, never replaced); otherwise the map is created and pinned there. If another process pins
   * first (EEXIST), its map is opened instead. Two to four system calls.
   *
   * @throws BpfSpecMismatchException if the pinned map differs from the spec
   * @throws BpfException if the spec's name is not a valid kernel object name (1 to 15 bytes of
   *     {@code [A-Za-z0-9_.]}, not {@code .} or {@code ..}), before any path is built
   */
  public static MapFd createOrOpenPinned(MapSpec spec, Path pinRoot) {
    Path path = BpfSys.pinPath(pinRoot, spec.name(), "map");
    try {
      return openPinned(path, spec);
    } catch (BpfNotFoundException absent) {
      MapFd created = create(spec);
      try {
        created.pin(path);
        return created;
      } catch (BpfKeyExistsException lostRace) {
        created.close();
        return openPinned(path, spec);
      } catch (RuntimeException e) {
        created.close();
        throw e;
      }
    }
  }

  /**
   * Opens the map pinned at {@code path} ({@code BPF_OBJ_GET}) and checks it against {@code spec}
   * (two system calls).
   *
   * @throws BpfNotFoundException if nothing is pinned at {@code path}
   * @throws BpfSpecMismatchException listing every field that differs
   * @throws BpfException if the pin is a program, a link or something else that is not a map, or
   *     the path is a directory, saying which
   */
  public static MapFd openPinned(Path path, MapSpec spec) {
    return checked(BpfSys.mapObjGet(path.toString(), 0), spec, "BPF_OBJ_GET", "pinned at " + path);
  }

  /**
   * Opens the map pinned at {@code path} without checking it against a spec; named after the
   * kernel's name. Two system calls and a {@code readlink}.
   *
   * @throws BpfNotFoundException if nothing is pinned at {@code path}
   * @throws BpfException if the pin is not a map, or the path is a directory, saying which
   */
  public static MapFd openPinned(Path path) {
    return named(BpfSys.mapObjGet(path.toString(), 0), path.toString());
  }

  /**
   * Opens the map with system-wide id {@code id} ({@code BPF_MAP_GET_FD_BY_ID}) and checks it against
   * {@code spec} (two system calls).
   *
   * @throws BpfNotFoundException if no map has that id
   * @throws BpfSpecMismatchException listing every field that differs
   */
  public static MapFd fromId(int id, MapSpec spec) {
    return checked(BpfSys.mapGetFdById(id), spec, "BPF_MAP_GET_FD_BY_ID", "id " + id);
  }

  /** Opens the map with system-wide id {@code id} without checking it; named after the kernel's name. */
  public static MapFd fromId(int id) {
    return named(BpfSys.mapGetFdById(id), "id " + id);
  }

  private static MapFd named(int fd, String fallback) {
    String kernelName;
    try {
      kernelName = BpfSys.mapInfo(fd, fallback).name();
    } catch (RuntimeException e) {
      closeQuietly(fd);
      throw e;
    }
    return new MapFd(fd, kernelName.isEmpty() ? fallback : kernelName);
  }

  private static MapFd checked(int fd, MapSpec spec, String operation, String where) {
    try {
      List<String> diffs = differences(spec, BpfSys.mapInfo(fd, spec.name()));
      if (!diffs.isEmpty()) {
        throw new BpfSpecMismatchException(operation, spec.name(), where, diffs);
      }
    } catch (RuntimeException e) {
      closeQuietly(fd);
      throw e;
    }
    return new MapFd(fd, spec.name());
  }

  private static void closeQuietly(int fd) {
    try {
      LibC.close(fd);
    } catch (LastErrorException ignored) {
      // the number is released either way
    }
  }

  /**
   * Checks this map against {@code spec}: type, key size, value size, flags, and max entries (except
   * where the spec leaves it 0, or for PERF_EVENT_ARRAY where the kernel fills in the CPU count).
   * One system call.
   *
   * @throws BpfSpecMismatchException listing every field that differs
   */
  public void validate(MapSpec spec) {
    List<String> diffs = differences(spec, info());
    if (!diffs.isEmpty()) {
      throw new BpfSpecMismatchException("validate", name, "fd " + state.fd, diffs);
    }
  }

  /**
   * Every field where {@code info} differs from {@code spec}, as {@code max_entries: expected 8,
   * found 4}; empty when they match. The rules are {@link SpecComparison#definitions}'s, the one
   * comparison that bind and the processor use too.
   */
  public static List<String> differences(MapSpec spec, MapInfo info) {
    return SpecComparison.messages(
        SpecComparison.definitions(SpecComparison.Definition.of(spec), SpecComparison.Definition.of(info)),
        "expected", "found", false);
  }

  /** The map's name (the spec's, or the kernel's for unvalidated opens). No system call. */
  public String name() {
    return name;
  }

  /**
   * Marks the fd in use and returns its number; pair every call with {@link #release()} in a
   * {@code finally}. No allocation, no system call.
   *
   * @throws BpfClosedException if the fd is closed
   */
  public int acquire() {
    state.acquire("use", name);
    return state.fd;
  }

  /** Ends a use begun by {@link #acquire()}; does the deferred {@code close(2)} if it was the last. */
  public void release() {
    state.release();
  }

  /** True once {@link #close()} was called (the fd may still be open for in-flight calls). */
  public boolean isClosed() {
    return state.closing();
  }

  /**
   * A new, independent {@code MapFd} for the same map ({@code fcntl(F_DUPFD_CLOEXEC)}: one system
   * call). Closing one does not close the other.
   */
  public MapFd dup() {
    int fd = acquire();
    try {
      return new MapFd(LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 0), name);
    } catch (LastErrorException e) {
      throw BpfSyscallException.of("fcntl(F_DUPFD_CLOEXEC)", name, e.getErrorCode(), null);
    } finally {
      release();
    }
  }

  /**
   * Pins the map at {@code path}, which must be on a bpffs mount (usually under {@code
   * /sys/fs/bpf}) and must not exist. One system call.
   *
   * @throws BpfKeyExistsException if the path exists
   * @throws BpfNotFoundException if its directory does not
   */
  public void pin(Path path) {
    int fd = acquire();
    try {
      BpfSys.objPin(fd, path.toString());
    } finally {
      release();
    }
  }

  /**
   * Removes a pin (the map lives on while fds or programs hold it). Plain file deletion.
   *
   * @return false if nothing was pinned there
   * @throws UncheckedIOException if the path cannot be removed
   */
  public static boolean unpin(Path path) {
    try {
      return Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpin " + path, e);
    }
  }

  /** What the kernel says about the map ({@code BPF_OBJ_GET_INFO_BY_FD}: one system call). */
  public MapInfo info() {
    int fd = acquire();
    try {
      return BpfSys.mapInfo(fd, name);
    } finally {
      release();
    }
  }

  /**
   * Freezes the map ({@code BPF_MAP_FREEZE}, one system call): user space can no longer write it,
   * programs still can.
   *
   * @throws BpfSyscallException EBUSY if a writable mmap of the map exists
   */
  public void freeze() {
    int fd = acquire();
    try {
      BpfSys.mapFreeze(fd, name);
    } finally {
      release();
    }
  }

  /**
   * Closes the fd, now if no call is in flight, else when the last one ends. Idempotent; never
   * throws.
   */
  @Override
  public void close() {
    cleanable.clean();
  }

  @Override
  public String toString() {
    return "MapFd[" + name + (isClosed() ? ", closed" : ", fd " + state.fd) + "]";
  }

  /** True once the deferred {@code close(2)} has happened (for tests of the deferral). */
  boolean fdReleased() {
    return state.freed();
  }
}
