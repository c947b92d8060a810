package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.spec.Layout;
import java.nio.ByteBuffer;

/**
 * Field offsets from a codec's {@link Layout}, and the checked field reads of the allocation-free
 * paths: the mmapped array's accessors and the per-CPU sums.
 */
final class Fields {
  private Fields() {}

  /**
   * The byte offset of field {@code field} (Java component or C member name) of {@code codec}'s
   * values; {@code what} names the map for the message.
   *
   * @throws IllegalArgumentException if the codec has no layout or no such field
   */
  static int offset(Codec<?> codec, String field, String what) {
    Layout layout = codec.layout();
    if (layout != null) {
      for (Layout.Field f : layout.fields()) {
        if (f.name().equals(field) || f.cName().equals(field)) {
          return f.offset();
        }
      }
    }
    throw new IllegalArgumentException("the values of " + what + " have no field '" + field + "'"
        + (layout == null ? " (their codec has no layout)" : ""));
  }

  /**
   * Checks that a {@code size}-byte field at {@code offset} lies inside a {@code valueSize}-byte
   * value of the {@code kind} map {@code name}. Allocates nothing unless it throws.
   */
  static void check(int offset, int size, int valueSize, String kind, String name) {
    if (offset < 0 || offset > valueSize - size) {
      throw new IndexOutOfBoundsException("a " + size + "-byte field at offset " + offset
          + " does not fit the " + valueSize + "-byte values of " + kind + " map '" + name + "'");
    }
  }

  /** Checks that a caller's per-CPU array has room for {@code cpus} values. */
  static void checkCpus(int length, int cpus, String name) {
    if (length < cpus) {
      throw new IllegalArgumentException("per-CPU map '" + name + "' has a slot for each of " + cpus
          + " possible CPUs, but the array has room for " + length);
    }
  }

  /**
   * The sum of the field at {@code offset} over {@code cpus} slots {@code stride} bytes apart: 8-byte
   * fields as {@code long} (wrapping as the C {@code __u64} sum does), 4-byte ones as unsigned.
   */
  static long sum(ByteBuffer b, int cpus, int stride, int offset, int size) {
    long total = 0;
    if (size == 8) {
      for (int c = 0; c < cpus; c++) {
        total += b.getLong(c * stride + offset);
      }
    } else {
      for (int c = 0; c < cpus; c++) {
        total += Integer.toUnsignedLong(b.getInt(c * stride + offset));
      }
    }
    return total;
  }
}
