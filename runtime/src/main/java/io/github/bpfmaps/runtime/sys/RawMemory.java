package io.github.bpfmaps.runtime.sys;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Loads and stores at an offset in a mapped direct buffer, in the buffer's (host) byte order: on
 * Java 17–21 straight at {@code address + offset} with {@code sun.misc.Unsafe}, which C2 compiles
 * to one {@code mov} each, and through the buffer everywhere else. Only for memory the caller has
 * mapped, checked the bounds of, and keeps mapped for the duration of the access: an mmapped
 * array's values ({@code ArrayMmap} swaps in zero pages on close and unmaps only when the handle is
 * unreachable) and a ring buffer's record headers (read while the drain holds the mapping). On Java
 * 17–21 there is no check here: an offset outside such memory crashes the JVM.
 *
 * <p>Why: a direct {@code ByteBuffer} on Java 17 re-checks its own limit and memory session on
 * every access, and next to the caller's own checks C2 hoists neither; the field accessors of an
 * mmapped array cost about twice C's load with it and about C's load without it (figures in
 * {@code benchmarks/RESULTS.md}). On Java 22 and later {@link #AVAILABLE} is false and the buffer
 * is used: C2 compiles it as well as this there, an FFM global segment measured slower, and {@code
 * sun.misc.Unsafe}'s memory access is deprecated for removal (JEP 471) and warns from Java 24 on
 * (JEP 498). It is also false where the {@code jdk.unsupported} module is absent. The choice is a
 * constant, so each method compiles to one of its two branches.
 */
public final class RawMemory {
  private RawMemory() {}

  /** Whether accesses go to the address: Java 17–21 with {@code jdk.unsupported}. */
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

  // Each method: `buffer` is a direct native-order buffer whose byte 0 is at `address`.

  public static long getLong(ByteBuffer buffer, long address, int offset) {
    return AVAILABLE ? Holder.UNSAFE.getLong(address + offset) : buffer.getLong(offset);
  }

  public static int getInt(ByteBuffer buffer, long address, int offset) {
    return AVAILABLE ? Holder.UNSAFE.getInt(address + offset) : buffer.getInt(offset);
  }

  public static short getShort(ByteBuffer buffer, long address, int offset) {
    return AVAILABLE ? Holder.UNSAFE.getShort(address + offset) : buffer.getShort(offset);
  }

  public static byte getByte(ByteBuffer buffer, long address, int offset) {
    return AVAILABLE ? Holder.UNSAFE.getByte(address + offset) : buffer.get(offset);
  }

  public static void putLong(ByteBuffer buffer, long address, int offset, long value) {
    if (AVAILABLE) {
      Holder.UNSAFE.putLong(address + offset, value);
    } else {
      buffer.putLong(offset, value);
    }
  }

  public static void putInt(ByteBuffer buffer, long address, int offset, int value) {
    if (AVAILABLE) {
      Holder.UNSAFE.putInt(address + offset, value);
    } else {
      buffer.putInt(offset, value);
    }
  }

  public static void putShort(ByteBuffer buffer, long address, int offset, short value) {
    if (AVAILABLE) {
      Holder.UNSAFE.putShort(address + offset, value);
    } else {
      buffer.putShort(offset, value);
    }
  }

  public static void putByte(ByteBuffer buffer, long address, int offset, byte value) {
    if (AVAILABLE) {
      Holder.UNSAFE.putByte(address + offset, value);
    } else {
      buffer.put(offset, value);
    }
  }
}
