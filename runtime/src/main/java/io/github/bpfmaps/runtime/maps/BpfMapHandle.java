package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapInfo;
import io.github.bpfmaps.spec.MapSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The base of every typed map handle: the owned {@link MapFd} and the {@link MapSpec} it was
 * opened with.
 *
 * <p>Handles are thread-safe: every operation encodes into per-thread native buffers and brackets
 * its system call with {@link MapFd#acquire()}/{@link MapFd#release()}, so any number of threads may
 * use one handle, and {@link #close()} from one thread while others are inside a call defers the
 * real {@code close(2)} until they return; calls that start after {@code close} throw {@link
 * io.github.bpfmaps.errors.BpfClosedException}. Handles are {@link AutoCloseable}; an unreachable
 * unclosed handle's fd is closed by a {@code Cleaner}.
 */
public abstract class BpfMapHandle implements AutoCloseable {
  /** The owned fd; closed by {@link #close()}. */
  protected final MapFd fd;
  /** The spec the handle was made for. */
  protected final MapSpec spec;

  /**
   * @param fd the map, owned by the handle from now on
   * @param spec what the map is; the handle trusts it (the {@code MapFd} factories checked it)
   */
  protected BpfMapHandle(MapFd fd, MapSpec spec) {
    this.fd = Objects.requireNonNull(fd, "fd");
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  /** The map's name from the spec. No system call. */
  public String name() {
    return spec.name();
  }

  /** The spec the handle was made with. No system call. */
  public MapSpec spec() {
    return spec;
  }

  /** The owned fd, for passing the map to a loader or an outer map. Do not close it directly. */
  public MapFd fd() {
    return fd;
  }

  /** What the kernel says about the map: one {@code BPF_OBJ_GET_INFO_BY_FD} system call. */
  public MapInfo info() {
    return fd.info();
  }

  /** The map's system-wide id (what {@code bpftool map show id N} takes): one system call. */
  public int id() {
    return fd.info().id();
  }

  /**
   * Pins the map at {@code path} on bpffs ({@code BPF_OBJ_PIN}, one system call).
   *
   * @throws io.github.bpfmaps.errors.BpfKeyExistsException if the path exists
   */
  public void pin(Path path) {
    fd.pin(path);
  }

  /**
   * Freezes the map against writes from user space ({@code BPF_MAP_FREEZE}, one system call); later
   * updates through any handle fail with EPERM.
   */
  public void freeze() {
    fd.freeze();
  }

  /** True once {@link #close()} was called. */
  public boolean isClosed() {
    return fd.isClosed();
  }

  /** Closes the fd (deferred while other threads are in a call). Idempotent; never throws. */
  @Override
  public void close() {
    fd.close();
  }

  /**
   * One element command on this map ({@link BpfSys#mapElem}) between {@link MapFd#acquire()} and
   * {@link MapFd#release()}. Returns 0 or a positive errno.
   */
  final int elem(int cmd, long key, long value, long flags) {
    return elem(Scratch.get(), cmd, key, value, flags);
  }

  /** {@link #elem(int, long, long, long)} on the caller's scratch (one thread-local read per call). */
  final int elem(Scratch s, int cmd, long key, long value, long flags) {
    int raw = fd.acquire();
    try {
      return BpfSys.mapElem(s, cmd, raw, key, value, flags);
    } finally {
      fd.release();
    }
  }

  /**
   * Runs a lookup-like {@code cmd} into {@code s.value} and decodes it: null on ENOENT (absent, or
   * empty for queues), an exception on any other errno.
   */
  final <T> @Nullable T read(int cmd, long key, Scratch s, Codec<T> codec, int size) {
    ByteBuffer value = s.value(size);
    int err = elem(s, cmd, key, s.valueAddress(), 0);
    if (err == 0) {
      try {
        return codec.decode(value, 0);
      } catch (BpfValueException e) {
        throw e.of(spec.name(), "value");
      }
    }
    if (err == Errno.ENOENT) {
      return null;
    }
    throw error(cmd, err, null);
  }

  /** Runs {@code cmd}: true on success, false on ENOENT, an exception on any other errno. */
  final boolean found(int cmd, long key, long value) {
    return found(Scratch.get(), cmd, key, value);
  }

  /** {@link #found(int, long, long)} on the caller's scratch. */
  final boolean found(Scratch s, int cmd, long key, long value) {
    int err = elem(s, cmd, key, value, 0);
    if (err == 0 || err == Errno.ENOENT) {
      return err == 0;
    }
    throw error(cmd, err, null);
  }

  /**
   * Checks that {@code codec} writes {@code expected} bytes, the size the map's {@code what} has.
   *
   * @throws IllegalArgumentException naming the map and both sizes
   */
  protected static int checkSize(MapSpec spec, Codec<?> codec, int expected, String what) {
    if (codec.byteSize() != expected) {
      throw new IllegalArgumentException("map '" + spec.name() + "' has " + expected + "-byte "
          + what + "s but the " + what + " codec writes " + codec.byteSize());
    }
    return expected;
  }

  /**
   * The exception for a failed command on this map. Allocates it. An EPERM on a write to a frozen
   * map says so (the kernel's {@code map_get_sys_perms} refuses writes after {@code
   * BPF_MAP_FREEZE}, as root too); reads {@code /proc/self/fdinfo} for that case only.
   */
  final BpfSyscallException error(int cmd, int errno, @Nullable String detail) {
    if (errno == Errno.EPERM && writes(cmd) && frozen()) {
      return BpfPermissionException.because(BpfSys.commandName(cmd), spec.name(), errno,
          "the map is frozen (BPF_MAP_FREEZE): user space can no longer write it, BPF programs still can"
              + (detail == null ? "" : " (" + detail + ")"));
    }
    return BpfSys.error(cmd, spec.name(), errno, detail);
  }

  private static boolean writes(int cmd) {
    return cmd == BpfSys.BPF_MAP_UPDATE_ELEM || cmd == BpfSys.BPF_MAP_DELETE_ELEM
        || cmd == BpfSys.BPF_MAP_UPDATE_BATCH || cmd == BpfSys.BPF_MAP_DELETE_BATCH
        || cmd == BpfSys.BPF_MAP_LOOKUP_AND_DELETE_ELEM || cmd == BpfSys.BPF_MAP_LOOKUP_AND_DELETE_BATCH;
  }

  /** {@code frozen: 1} in the map fd's {@code /proc/self/fdinfo} entry ({@code bpf_map_show_fdinfo}). */
  private boolean frozen() {
    if (fd.isClosed()) {
      return false;
    }
    int raw = fd.acquire();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + raw))) {
        if (line.startsWith("frozen:")) {
          return line.substring(7).strip().equals("1");
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      fd.release();
    }
    return false;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + spec.name() + " " + spec.type() + (isClosed() ? ", closed]" : "]");
  }
}
