package io.github.bpfmaps.runtime.sys;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * Per-thread native buffers for one system call at a time: the {@code union bpf_attr}, a key, a
 * second key (next-key), a value and a spare for paths and batches. Each is a direct {@link
 * ByteBuffer} in native order whose address is read once, when it is (re)allocated; after warm-up a
 * call allocates nothing.
 *
 * <p>A buffer is valid until the next call on the same thread that uses it; code that runs user
 * callbacks between system calls (iterators, batch walks) must not keep data in these buffers
 * across the callback, or must take its own buffers.
 */
public final class Scratch {
  /** {@code sizeof(union bpf_attr)} in the uapi header this was written against is 144. */
  public static final int ATTR_SIZE = 256;

  private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

  /** The attr buffer; zeroed by {@link #attr(int)} before each use. */
  public final ByteBuffer attr;
  /** The attr buffer's address. */
  public final long attrAddress;

  /**
   * {@link Syscall}'s per-thread state: on Java 22+ its errno capture segment, made on the thread's
   * first call; unused (null) by the JNA binding. Kept here, not in a thread-local of its own, because
   * every caller already holds its {@code Scratch}: one thread-local read per call instead of two.
   */
  @Nullable Object syscallState;

  private final Region key = new Region();
  private final Region key2 = new Region();
  private final Region value = new Region();
  private final Region spare = new Region();

  private Scratch() {
    attr = ByteBuffer.allocateDirect(ATTR_SIZE).order(ByteOrder.nativeOrder());
    attrAddress = address(attr);
  }

  /** The calling thread's scratch. A thread-local read; allocates only on a thread's first use. */
  public static Scratch get() {
    return CURRENT.get();
  }

  /** Zeroes the first {@code size} bytes of the attr buffer and returns it. */
  public ByteBuffer attr(int size) {
    for (int i = 0; i < size; i += 8) {
      attr.putLong(i, 0L);
    }
    return attr;
  }

  /** The key buffer, at least {@code size} bytes. */
  public ByteBuffer key(int size) {
    return key.ensure(size);
  }

  /** The key buffer's address (after {@link #key(int)}). */
  public long keyAddress() {
    return key.address;
  }

  /** The second key buffer (the next key of a walk), at least {@code size} bytes. */
  public ByteBuffer key2(int size) {
    return key2.ensure(size);
  }

  /** The second key buffer's address. */
  public long key2Address() {
    return key2.address;
  }

  /** The value buffer, at least {@code size} bytes. */
  public ByteBuffer value(int size) {
    return value.ensure(size);
  }

  /** The value buffer's address. */
  public long valueAddress() {
    return value.address;
  }

  /** A spare buffer for paths and names, at least {@code size} bytes. */
  public ByteBuffer spare(int size) {
    return spare.ensure(size);
  }

  /** The spare buffer's address. */
  public long spareAddress() {
    return spare.address;
  }

  /** The native address of a direct buffer. Allocates a JNA {@code Pointer}: call it once per buffer. */
  public static long address(ByteBuffer direct) {
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }

  /** A direct native-order buffer of {@code size} bytes (at least 8) and its address. */
  public static final class Region {
    private ByteBuffer buf = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    /** The address of {@link #ensure}'s buffer. */
    public long address = address(buf);

    /** The buffer, regrown (doubling) if smaller than {@code size}. */
    public ByteBuffer ensure(int size) {
      if (buf.capacity() < size) {
        int cap = Math.max(size, buf.capacity() * 2);
        buf = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
        address = address(buf);
      }
      return buf;
    }
  }
}
