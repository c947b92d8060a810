package io.github.bpfmaps.runtime.maps;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import io.github.bpfmaps.runtime.BpfClosedException;
import io.github.bpfmaps.runtime.BpfSyscallException;
import io.github.bpfmaps.runtime.BpfValueException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.RefCount;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The values of a {@code BPF_F_MMAPABLE} ARRAY map, mapped into this process: {@link #get} decodes
 * and {@link #set} encodes straight in the memory the BPF programs see, without a system call. Value
 * {@code i} is at {@code i * round_up(value_size, 8)} ({@code array_map_mmap} and {@code
 * array_map_alloc} in {@code kernel/bpf/arraymap.c}: the element size is rounded to 8 and the value
 * area starts page-aligned).
 *
 * <p>Not atomic: a {@code get} racing a writer (here or in a program) may see a half-written value;
 * use it for values written whole by one side, or for single aligned 8-byte fields. Thread-safe
 * otherwise; {@link #close()} unmaps after in-flight calls finish, and later calls throw {@link
 * BpfClosedException}. The mapping keeps the map alive even after its fd is closed.
 *
 * @param <V> the value type
 */
public final class ArrayMmap<V> implements AutoCloseable {
  private final String name;
  private final Codec<V> codec;
  private final int stride;
  private final int length;
  private final ByteBuffer memory;
  private final Mapping mapping;
  private final Cleaner.Cleanable cleanable;

  private static final class Mapping extends RefCount {
    final long address;
    final long size;

    Mapping(long address, long size) {
      this.address = address;
      this.size = size;
    }

    @Override
    protected void free() {
      try {
        LibC.munmap(address, size);
      } catch (LastErrorException e) {
        // munmap of our own mapping only fails on bad arguments; nothing to recover
      }
    }
  }

  ArrayMmap(MapFd fd, MapSpec spec, Codec<V> codec) {
    this.name = spec.name();
    this.codec = codec;
    this.stride = PerCpuValues.slotSize(spec.valueSize());
    this.length = spec.maxEntries();
    long page = LibC.sysconf(LibC.SC_PAGESIZE);
    long bytes = (long) stride * length;
    long size = (bytes + page - 1) / page * page;
    long address;
    int raw = fd.acquire();
    try {
      address = LibC.mmap(0, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, raw, 0);
    } catch (LastErrorException e) {
      throw BpfSyscallException.of("mmap", name, e.getErrorCode(), "BPF_F_MMAPABLE array");
    } finally {
      fd.release();
    }
    this.mapping = new Mapping(address, size);
    this.memory = new Pointer(address).getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
    this.cleanable = RefCount.CLEANER.register(this, mapping);
  }

  /** The number of values. */
  public int length() {
    return length;
  }

  /**
   * Decodes value {@code index} from shared memory. No system call; allocates the value.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code 0 .. length-1}
   * @throws BpfClosedException after {@link #close()}
   */
  public V get(int index) {
    int at = offset(index);
    if (!mapping.tryAcquire()) {
      throw new BpfClosedException("mmap get", name);
    }
    try {
      return codec.decode(memory, at);
    } catch (BpfValueException e) {
      throw e.of(name, "value");
    } finally {
      mapping.release();
    }
  }

  /**
   * Encodes {@code value} into slot {@code index} of shared memory. No system call, no allocation.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code 0 .. length-1}
   * @throws BpfClosedException after {@link #close()}
   */
  public void set(int index, V value) {
    int at = offset(index);
    if (!mapping.tryAcquire()) {
      throw new BpfClosedException("mmap set", name);
    }
    try {
      codec.encode(value, memory, at);
    } catch (BpfValueException e) {
      throw e.of(name, "value");
    } finally {
      mapping.release();
    }
  }

  private int offset(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException("index " + index + " of ARRAY map '" + name + "' with " + length + " entries");
    }
    return index * stride;
  }

  /** Unmaps (after in-flight calls finish). Idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }
}
