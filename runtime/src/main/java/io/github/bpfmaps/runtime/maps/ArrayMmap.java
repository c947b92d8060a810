package io.github.bpfmaps.runtime.maps;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.RawMemory;
import io.github.bpfmaps.runtime.sys.RefCount;
import io.github.bpfmaps.spec.MapSpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The values of a {@code BPF_F_MMAPABLE} ARRAY map, mapped into this process: {@link #get} decodes
 * and {@link #set} encodes straight in the memory the BPF programs see, without a system call. Value
 * {@code i} is at {@code i * round_up(value_size, 8)} ({@code array_map_mmap} and {@code
 * array_map_alloc} in {@code kernel/bpf/arraymap.c}: the element size is rounded to 8 and the value
 * area starts page-aligned), so every slot, and every 8-byte field at an offset that is a multiple of
 * 8, is 8-byte aligned.
 *
 * <p><b>Fields without decoding.</b> {@link #getLong(int, int)}, {@link #getInt(int, int)}, {@link
 * #setLong(int, int, long)} … read or write one field of a slot at a byte offset in the value ({@link
 * #fieldOffset(String)} looks it up once in the value's {@link io.github.bpfmaps.spec.Layout}); {@link #getLong(int)} and
 * {@link #setLong(int, long)} are the offset-0 forms for 8-byte values; {@link #getLongs} and {@link
 * #getInts} copy a field of consecutive slots into a caller's array. None allocates. {@link
 * #addLong} and {@link #compareAndSetLong} are atomic read-modify-writes (a {@code lock xadd} /
 * {@code lock cmpxchg} on x86-64) on an aligned 8-byte field: they compose with BPF programs that
 * update the same field with {@code __sync_fetch_and_add} or {@code __sync_val_compare_and_swap}.
 * Other accesses are plain: a {@link #get} racing a writer (here or in a program) may see a
 * half-written value.
 * On Java 17–21 the field accessors and bulk reads load and store at the address directly ({@link
 * RawMemory}), after this class's own bounds check, instead of through the buffer, whose second check
 * C2 does not hoist there; {@link #get} and {@link #set} go through the buffer, as codecs do.
 *
 * <p><b>Closing.</b> An access costs a read of the mapped memory, a bounds check and a read of a
 * plain (not volatile) flag; there is no per-access reference count or barrier. {@link #close()}
 * sets the flag, then replaces the map's pages in place with anonymous zero pages ({@code
 * mmap(MAP_FIXED)} over the same range, an atomic swap under the process's memory-map lock): the
 * kernel map loses this reference at once, and an access that has not seen the flag yet reads zeros
 * or writes into a throw-away page, never unmapped memory. Calls that see the flag throw {@link
 * BpfClosedException}: every later call on the closing thread, and on another thread every call
 * that comes after something that orders it after the close (a {@code volatile}, a lock, a {@code
 * join}) — a loop already running on another thread may go on reading zeros, since the JIT may read
 * a plain flag once per loop; stop such a loop before closing. The address range itself is
 * released ({@code munmap}) by a {@link Cleaner} once this object is unreachable: every access ends
 * with {@link Reference#reachabilityFence}, so no thread can then be inside one. Thread-safe. The
 * mapping keeps the map alive even after its fd is closed, until {@code close()}.
 *
 * @param <V> the value type
 */
public final class ArrayMmap<V> implements AutoCloseable {
  /** 8-byte views of the mapped buffer: atomic access modes work on a direct buffer's aligned longs. */
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final String name;
  private final Codec<V> codec;
  private final int stride;
  private final int valueSize;
  private final int length;
  private final ByteBuffer memory;
  /** The first value's address: {@link #memory}'s byte 0, for {@link RawMemory}. */
  private final long address;
  private final Range range;
  /**
   * Plain on purpose: a volatile read per access kept the JIT from hoisting the buffer's fields
   * out of a loop and cost 3-4 times C's access; safety comes from the zero pages, not the flag
   * (docs/DESIGN.md, "Mmapped arrays").
   */
  private boolean closed;

  /** The address range; run by the Cleaner when the handle is unreachable. */
  private static final class Range implements Runnable {
    final long address;
    final long size;

    Range(long address, long size) {
      this.address = address;
      this.size = size;
    }

    @Override
    public void run() {
      try {
        LibC.munmap(address, size);
      } catch (LastErrorException e) {
        // munmap of our own range only fails on bad arguments; nothing to recover
      }
    }
  }

  ArrayMmap(MapFd fd, MapSpec spec, Codec<V> codec) {
    this.name = spec.name();
    this.codec = codec;
    this.valueSize = spec.valueSize();
    this.stride = PerCpuValues.slotSize(valueSize);
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
    this.range = new Range(address, size);
    this.address = address;
    this.memory = new Pointer(address).getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
    RefCount.CLEANER.register(this, range);
  }

  /** The number of values. */
  public int length() {
    return length;
  }

  /**
   * The byte offset of the value's field {@code name} (its Java component name, or its C member
   * name), to pass to the field accessors. Look it up once, not per access.
   *
   * @throws IllegalArgumentException if the value codec has no {@link io.github.bpfmaps.spec.Layout} or no such field
   */
  public int fieldOffset(String name) {
    return Fields.offset(codec, name, "ARRAY map '" + this.name + "'");
  }

  /**
   * Decodes value {@code index} from shared memory. No system call; allocates the value.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code 0 .. length-1}
   * @throws BpfClosedException after {@link #close()}
   */
  public V get(int index) {
    int at = at(index, 0, valueSize);
    try {
      return codec.decode(memory, at);
    } catch (BpfValueException e) {
      throw e.of(name, "value");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Encodes {@code value} into slot {@code index} of shared memory. No system call, no allocation.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code 0 .. length-1}
   * @throws BpfClosedException after {@link #close()}
   */
  public void set(int index, V value) {
    int at = at(index, 0, valueSize);
    try {
      codec.encode(value, memory, at);
    } catch (BpfValueException e) {
      throw e.of(name, "value");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The 8 bytes at {@code offset} in value {@code index}, host byte order. No allocation.
   *
   * @throws IndexOutOfBoundsException if the index is out of range or the field does not fit the
   *     value
   * @throws BpfClosedException after {@link #close()}
   */
  public long getLong(int index, int offset) {
    int at = at(index, offset, 8);
    try {
      return RawMemory.getLong(memory, address, at);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** An 8-byte value: {@code getLong(index, 0)}. */
  public long getLong(int index) {
    return getLong(index, 0);
  }

  /** The 4 bytes at {@code offset} in value {@code index}; see {@link #getLong(int, int)}. */
  public int getInt(int index, int offset) {
    int at = at(index, offset, 4);
    try {
      return RawMemory.getInt(memory, address, at);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The 2 bytes at {@code offset} in value {@code index}; see {@link #getLong(int, int)}. */
  public short getShort(int index, int offset) {
    int at = at(index, offset, 2);
    try {
      return RawMemory.getShort(memory, address, at);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The byte at {@code offset} in value {@code index}; see {@link #getLong(int, int)}. */
  public byte getByte(int index, int offset) {
    int at = at(index, offset, 1);
    try {
      return RawMemory.getByte(memory, address, at);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Writes 8 bytes at {@code offset} in value {@code index}; see {@link #getLong(int, int)}. */
  public void setLong(int index, int offset, long value) {
    int at = at(index, offset, 8);
    try {
      RawMemory.putLong(memory, address, at, value);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Writes an 8-byte value: {@code setLong(index, 0, value)}. */
  public void setLong(int index, long value) {
    setLong(index, 0, value);
  }

  /** Writes 4 bytes at {@code offset} in value {@code index}; see {@link #getLong(int, int)}. */
  public void setInt(int index, int offset, int value) {
    int at = at(index, offset, 4);
    try {
      RawMemory.putInt(memory, address, at, value);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Writes 2 bytes at {@code offset} in value {@code index}; see {@link #getLong(int, int)}. */
  public void setShort(int index, int offset, short value) {
    int at = at(index, offset, 2);
    try {
      RawMemory.putShort(memory, address, at, value);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Writes the byte at {@code offset} in value {@code index}; see {@link #getLong(int, int)}. */
  public void setByte(int index, int offset, byte value) {
    int at = at(index, offset, 1);
    try {
      RawMemory.putByte(memory, address, at, value);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Atomically adds {@code delta} to the 8-byte field at {@code offset} of value {@code index} and
   * returns the previous value: one locked instruction, the same as a BPF program's {@code
   * __sync_fetch_and_add} on that field, so concurrent adds from both sides all count.
   *
   * @throws IllegalArgumentException if {@code offset} is not a multiple of 8 (the field would not
   *     be aligned, and an atomic access must be)
   * @throws IndexOutOfBoundsException if the index or field is out of range
   * @throws BpfClosedException after {@link #close()}
   */
  public long addLong(int index, int offset, long delta) {
    int at = atomicAt(index, offset);
    try {
      return (long) LONGS.getAndAdd(memory, at, delta);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Atomically sets the 8-byte field at {@code offset} of value {@code index} to {@code value} if it
   * holds {@code expected}; see {@link #addLong} for the alignment rule.
   *
   * @return whether the field held {@code expected} (and now holds {@code value})
   */
  public boolean compareAndSetLong(int index, int offset, long expected, long value) {
    int at = atomicAt(index, offset);
    try {
      return LONGS.compareAndSet(memory, at, expected, value);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Copies the 8-byte field at {@code offset} of values {@code from .. from+count-1} into {@code
   * dst[dstFrom ..]}: a bulk read without decoding or allocating (for 8-byte values, {@code offset}
   * 0 reads the values).
   *
   * @throws IndexOutOfBoundsException if a range is out of bounds
   * @throws BpfClosedException after {@link #close()}
   */
  public void getLongs(int from, int offset, long[] dst, int dstFrom, int count) {
    int at = bulkAt(from, count, offset, 8, dst.length, dstFrom);
    try {
      for (int i = 0; i < count; i++) {
        dst[dstFrom + i] = RawMemory.getLong(memory, address, at + i * stride);
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** As {@link #getLongs} for a 4-byte field. */
  public void getInts(int from, int offset, int[] dst, int dstFrom, int count) {
    int at = bulkAt(from, count, offset, 4, dst.length, dstFrom);
    try {
      for (int i = 0; i < count; i++) {
        dst[dstFrom + i] = RawMemory.getInt(memory, address, at + i * stride);
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The buffer position of a {@code size}-byte field at {@code offset} in slot {@code index}. */
  private int at(int index, int offset, int size) {
    if (closed) {
      throw new BpfClosedException("mmap access", name);
    }
    int i;
    try {
      // The intrinsic, not an if: C2 eliminates it in a counted loop, where an if stays.
      i = Objects.checkIndex(index, length);
    } catch (IndexOutOfBoundsException e) {
      throw new IndexOutOfBoundsException("index " + index + " of ARRAY map '" + name + "' with " + length + " entries");
    }
    checkField(offset, size);
    return i * stride + offset;
  }

  private int atomicAt(int index, int offset) {
    if ((offset & 7) != 0) {
      throw new IllegalArgumentException("atomic access to offset " + offset + " of ARRAY map '" + name
          + "' values: an 8-byte atomic needs an offset that is a multiple of 8");
    }
    return at(index, offset, 8);
  }

  private int bulkAt(int from, int count, int offset, int size, int dstLength, int dstFrom) {
    if (count < 0 || from < 0 || from > length - count) {
      throw new IndexOutOfBoundsException("values " + from + " .. " + ((long) from + count - 1)
          + " of ARRAY map '" + name + "' with " + length + " entries");
    }
    if (dstFrom < 0 || dstFrom > dstLength - count) {
      throw new IndexOutOfBoundsException(count + " values from " + dstFrom + " into an array of " + dstLength);
    }
    if (count == 0) {
      checkField(offset, size);
      return 0;
    }
    return at(from, offset, size);
  }

  private void checkField(int offset, int size) {
    Fields.check(offset, size, valueSize, "ARRAY", name);
  }

  /**
   * Ends access: later calls throw {@link BpfClosedException}, and the map's pages are swapped for
   * anonymous zero pages at once (one {@code mmap} system call), which drops this process's
   * reference to the map; the address range is unmapped when the handle is garbage collected.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      LibC.mmap(range.address, range.size, LibC.PROT_READ | LibC.PROT_WRITE,
          LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_FIXED, -1, 0);
    } catch (LastErrorException e) {
      // ENOMEM: the map's pages stay mapped until the Cleaner unmaps the range; still safe
    }
  }
}
