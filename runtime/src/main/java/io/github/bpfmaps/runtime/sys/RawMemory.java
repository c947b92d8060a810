package io.github.bpfmaps.runtime.sys;

import java.lang.reflect.Field;

/**
 * Plain loads and stores at native addresses, in host byte order, on Java 17–21: {@code
 * sun.misc.Unsafe}'s, which C2 compiles to one {@code mov} each. Only for memory the caller has
 * mapped, checked the bounds of, and keeps mapped for the duration of the access: an mmapped
 * array's values ({@code ArrayMmap} swaps in zero pages on close and unmaps only when the handle is
 * unreachable) and a ring buffer's record headers (read while the drain holds the mapping). There
 * is no check here: an address outside such memory crashes the JVM.
 *
 * <p>Why: a direct {@code ByteBuffer} on Java 17 re-checks its own limit and memory session on
 * every access, and next to the caller's own checks C2 hoists neither; the field accessors of an
 * mmapped array cost about twice C's load with it and about C's load without it (figures in
 * {@code benchmarks/RESULTS.md}). On Java 22 and later {@link #AVAILABLE} is false and callers keep
 * their buffer: C2 compiles the buffer as well as this there, an FFM global segment measured
 * slower, and {@code sun.misc.Unsafe}'s memory access is deprecated for removal (JEP 471) and warns
 * from Java 24 on (JEP 498). It is also false where the {@code jdk.unsupported} module is absent.
 */
public final class RawMemory {
  private RawMemory() {}

  /** Whether the methods below may be called: Java 17–21 with {@code jdk.unsupported}. */
  public static final boolean AVAILABLE = Runtime.version().feature() < 22 && unsafeLoads();

  private static boolean unsafeLoads() {
    try {
      return Holder.UNSAFE != null;
    } catch (LinkageError e) {
      return false; // NoClassDefFoundError: no jdk.unsupported; ExceptionInInitializerError: no field
    }
  }

  /** The Unsafe instance, in a class of its own so that a missing {@code jdk.unsupported} fails here only. */
  private static final class Holder {
    static final sun.misc.Unsafe UNSAFE = find();

    private static sun.misc.Unsafe find() {
      try {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  public static long getLong(long address) {
    return Holder.UNSAFE.getLong(address);
  }

  public static int getInt(long address) {
    return Holder.UNSAFE.getInt(address);
  }

  public static short getShort(long address) {
    return Holder.UNSAFE.getShort(address);
  }

  public static byte getByte(long address) {
    return Holder.UNSAFE.getByte(address);
  }

  public static void putLong(long address, long value) {
    Holder.UNSAFE.putLong(address, value);
  }

  public static void putInt(long address, int value) {
    Holder.UNSAFE.putInt(address, value);
  }

  public static void putShort(long address, short value) {
    Holder.UNSAFE.putShort(address, value);
  }

  public static void putByte(long address, byte value) {
    Holder.UNSAFE.putByte(address, value);
  }
}
