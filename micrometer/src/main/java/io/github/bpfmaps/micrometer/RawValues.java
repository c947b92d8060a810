package io.github.bpfmaps.micrometer;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.maps.PerCpuValues;
import io.github.bpfmaps.spec.Layout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the exported numbers of a value straight from the bytes of a batch chunk, at the offsets of
 * the value's {@link Layout}, instead of decoding the whole record and calling its accessors: a
 * scrape then allocates nothing per entry (no record, no boxed {@code Long} per counter). The
 * numbers are the ones the record path gives ({@code BpfMeterBinder}'s {@code number}): an integer
 * is sign- or zero-extended as its field is signed or not, a {@code __u64} above {@code
 * Long.MAX_VALUE} stays positive, a {@code bool} is 0 or 1.
 *
 * <p>{@link #of} returns null where a number has no plain layout (a hand-written codec without one,
 * an enum or struct member, an array other than the histogram's); the binder then decodes records.
 */
final class RawValues {
  /** One scalar member: where it is and how to widen it. */
  static final class Scalar {
    final int offset;
    final int size;
    final boolean signed;
    final boolean swap; // stored in the other byte order than the chunk buffer's (native)
    final boolean floating;
    final boolean bool;

    Scalar(int offset, int size, boolean signed, boolean swap, boolean floating, boolean bool) {
      this.offset = offset;
      this.size = size;
      this.signed = signed;
      this.swap = swap;
      this.floating = floating;
      this.bool = bool;
    }

    /** The member as an integer, widened to 64 bits as the codec would (sign or zero). */
    long bits(ByteBuffer b, int base) {
      int at = base + offset;
      switch (size) {
        case 1: {
          byte x = b.get(at);
          return signed ? x : x & 0xffL;
        }
        case 2: {
          short x = b.getShort(at);
          if (swap) {
            x = Short.reverseBytes(x);
          }
          return signed ? x : x & 0xffffL;
        }
        case 4: {
          int x = b.getInt(at);
          if (swap) {
            x = Integer.reverseBytes(x);
          }
          return signed ? x : x & 0xffffffffL;
        }
        default: {
          long x = b.getLong(at);
          return swap ? Long.reverseBytes(x) : x;
        }
      }
    }

    /** The member as the meter's double. */
    double number(ByteBuffer b, int base) {
      if (floating) {
        long x = bits(b, base);
        return size == 4 ? Float.intBitsToFloat((int) x) : Double.longBitsToDouble(x);
      }
      long x = bits(b, base);
      if (bool) {
        return x != 0 ? 1 : 0;
      }
      // an unsigned 64-bit count above Long.MAX_VALUE: halve, convert, double (exact to 1 ulp)
      return !signed && x < 0 ? (double) (x >>> 1) * 2.0 + (x & 1) : x;
    }
  }

  final Scalar[] values;
  /** The histogram's member: an array of slots (element {@code i} at {@code offset + i * size}) or a scalar count. */
  final @Nullable Scalar histogram;
  final int histogramCount; // array length; 0: a scalar count
  /** Bytes between two CPUs' slots of a per-CPU value, and how many CPUs; one slot otherwise. */
  final int stride;
  final int cpus;

  private RawValues(Scalar[] values, @Nullable Scalar histogram, int histogramCount, int stride, int cpus) {
    this.values = values;
    this.histogram = histogram;
    this.histogramCount = histogramCount;
    this.stride = stride;
    this.cpus = cpus;
  }

  /**
   * The plan for {@code model}'s values, or null if one of them has no plain layout.
   *
   * @param slotCodec the codec of one value (of one CPU's value for a per-CPU map)
   * @param valueSize the bytes of one entry's value in a batch chunk (all CPUs for a per-CPU map)
   * @param perCpu whether the value is one slot per possible CPU
   */
  static @Nullable RawValues of(RecordModel model, Codec<?> slotCodec, int valueSize, boolean perCpu) {
    List<RecordModel.ValueSpec> vs = model.values;
    Scalar[] values = new Scalar[vs.size()];
    for (int i = 0; i < values.length; i++) {
      RecordModel.ValueSpec v = vs.get(i);
      Scalar s = v.accessor == null ? whole(slotCodec) : scalar(v.field);
      if (s == null) {
        return null;
      }
      values[i] = s;
    }
    Scalar hist = null;
    int count = 0;
    RecordModel.HistSpec h = model.histogram;
    if (h != null) {
      Layout.Field f = h.field;
      if (h.array) {
        int element = h.type == long[].class ? 8 : 4;
        if (h.accessor == null || f == null || f.kind() != Layout.Kind.INT || f.count() <= 0
            || f.elementSize() != element) {
          return null;
        }
        // a long[] slot is added as it is; an int[] one zero-extended when unsigned
        hist = new Scalar(f.offset(), element, element == 8 || !h.unsigned, swap(f), false, false);
        count = f.count();
      } else {
        hist = h.accessor == null ? whole(slotCodec) : scalar(f);
        if (hist == null || hist.floating || hist.bool) {
          return null;
        }
      }
    }
    int stride = perCpu ? PerCpuValues.slotSize(slotCodec.byteSize()) : valueSize;
    int cpus = perCpu ? valueSize / stride : 1;
    return new RawValues(values, hist, count, stride, cpus);
  }

  /**
   * A value that is one number as a whole ({@code Codecs.U64}, {@code Codecs.F64}, …): the single
   * member of its codec's layout, read as a record's member would be.
   */
  private static @Nullable Scalar whole(Codec<?> c) {
    Layout l = c.layout();
    return l != null && l.fields().size() == 1 && l.size() == c.byteSize() ? scalar(l.fields().get(0)) : null;
  }

  private static @Nullable Scalar scalar(Layout.@Nullable Field f) {
    if (f == null || f.count() != 0) {
      return null;
    }
    int size = f.elementSize();
    switch (f.kind()) {
      case INT:
        return size == 1 || size == 2 || size == 4 || size == 8
            ? new Scalar(f.offset(), size, f.signed(), swap(f), false, false) : null;
      case FLOAT:
        return size == 4 || size == 8 ? new Scalar(f.offset(), size, true, swap(f), true, false) : null;
      case BOOL:
        return size == 1 ? new Scalar(f.offset(), 1, false, false, false, true) : null;
      default:
        return null; // enum, string, struct: numbers only through the record
    }
  }

  /** A {@code @NetworkOrder} member is big-endian; the chunk buffers are in native order. */
  private static boolean swap(Layout.Field f) {
    return f.networkOrder() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  }
}
