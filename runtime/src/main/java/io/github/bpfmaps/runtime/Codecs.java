package io.github.bpfmaps.runtime;

import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.spec.Layout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The codecs of primitive keys and values, and raw bytes. Each is a C scalar in host byte order; the
 * signed and unsigned variants hold the same bits and differ only in the layout they report (the BTF
 * check compares signedness).
 *
 * <p>The static helpers below are called by the codecs the processor generates: value checks that
 * throw {@link BpfValueException} naming {@code Record.component}, network-order access, and strings.
 * None of them allocates, except the decoded string.
 */
public final class Codecs {
  private Codecs() {}

  /** {@code __s8}. */
  public static final Codec<Byte> I8 = new ByteCodec(true);
  /** {@code __u8}. */
  public static final Codec<Byte> U8 = new ByteCodec(false);
  /** {@code __s16}. */
  public static final Codec<Short> I16 = new ShortCodec(true);
  /** {@code __u16}. */
  public static final Codec<Short> U16 = new ShortCodec(false);
  /** {@code __s32}. */
  public static final Codec<Integer> I32 = new IntCodec(true);
  /** {@code __u32}. */
  public static final Codec<Integer> U32 = new IntCodec(false);
  /** {@code __s64}. */
  public static final Codec<Long> I64 = new LongCodec(true);
  /** {@code __u64}. */
  public static final Codec<Long> U64 = new LongCodec(false);
  /** {@code float}. */
  public static final Codec<Float> F32 = new FloatCodec();
  /** {@code double}. */
  public static final Codec<Double> F64 = new DoubleCodec();
  /** {@code _Bool}: one byte, 0 or 1. */
  public static final Codec<Boolean> BOOL = new BoolCodec();

  /** Raw bytes of a fixed length {@code n}; encoding another length is refused. */
  public static Codec<byte[]> bytes(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("byte codec length must be positive, got " + n);
    }
    return new BytesCodec(n);
  }

  // ---- Helpers for generated codecs. Public because generated code lives in user packages. ----

  /**
   * Throws if {@code value} is null; C has no null, so every component must be present.
   *
   * @param where {@code Record.component}
   */
  public static void requireNonNull(Object value, String where) {
    if (value == null) {
      throw new BpfValueException("encode", where + " is null; C has no null, give it a value");
    }
  }

  /** As {@link #requireNonNull(Object, String)} for element {@code index} of an array component. */
  public static void requireNonNull(Object value, String where, int index) {
    if (value == null) {
      throw new BpfValueException(
          "encode", where + "[" + index + "] is null; C has no null, give it a value");
    }
  }

  /**
   * Throws unless {@code value} fits a C integer of {@code width} bytes ({@code @Width}), unsigned
   * ({@code 0 .. 2^(8*width)-1}) or signed ({@code -2^(8*width-1) .. 2^(8*width-1)-1}).
   */
  public static void checkRange(long value, int width, boolean unsigned, String where) {
    if (!fits(value, width, unsigned)) {
      throw new BpfValueException("encode", where + " = " + value + " does not fit its "
          + width + "-byte " + (unsigned ? "unsigned" : "signed") + " C field (" + range(width, unsigned)
          + ")");
    }
  }

  /** As {@link #checkRange(long, int, boolean, String)} for element {@code index} of an array. */
  public static void checkRange(long value, int width, boolean unsigned, String where, int index) {
    if (!fits(value, width, unsigned)) {
      checkRange(value, width, unsigned, where + "[" + index + "]");
    }
  }

  private static boolean fits(long value, int width, boolean unsigned) {
    if (width >= 8) {
      return true;
    }
    int bits = width * 8;
    return unsigned
        ? value >= 0 && value < (1L << bits)
        : value >= -(1L << (bits - 1)) && value < (1L << (bits - 1));
  }

  private static String range(int width, boolean unsigned) {
    int bits = width * 8;
    return unsigned
        ? "0.." + ((1L << bits) - 1)
        : -(1L << (bits - 1)) + ".." + ((1L << (bits - 1)) - 1);
  }

  /** Throws unless an array component has exactly its {@code @Size} length. */
  public static void checkLength(int length, int size, String where) {
    if (length != size) {
      throw new BpfValueException("encode", where + " has " + length + " elements, but its C array"
          + " has exactly " + size + " (@Size(" + size + "))");
    }
  }

  /**
   * Throws if {@code value} is null or longer than {@code size} bytes in UTF-8. A string of exactly
   * {@code size} bytes fits: the C side reads {@code char[size]} with no NUL, as {@code bpf_probe_read_str}
   * users do with fixed fields.
   */
  public static void checkString(String value, int size, String where) {
    requireNonNull(value, where);
    int bytes = utf8Length(value);
    if (bytes > size) {
      throw new BpfValueException("encode", where + " is " + bytes + " bytes in UTF-8, but its C "
          + "field is char[" + size + "] (@Size(" + size + ")); shorten it");
    }
  }

  /** The length of {@code s} in UTF-8, counting an unpaired surrogate as '?' as the JDK encoder does. */
  public static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Writes {@code s} as UTF-8 into {@code char[size]} at {@code offset} and fills the rest with NUL
   * bytes, without allocating. The caller has checked the length with {@link #checkString}.
   */
  public static void putString(ByteBuffer buf, int offset, int size, String s) {
    int p = offset;
    int end = offset + size;
    for (int i = 0; i < s.length() && p < end; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf.put(p++, (byte) c);
      } else if (c < 0x800) {
        buf.put(p++, (byte) (0xC0 | (c >> 6)));
        buf.put(p++, (byte) (0x80 | (c & 0x3F)));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf.put(p++, (byte) (0xF0 | (cp >> 18)));
        buf.put(p++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
        buf.put(p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
        buf.put(p++, (byte) (0x80 | (cp & 0x3F)));
      } else if (Character.isSurrogate(c)) {
        buf.put(p++, (byte) '?');
      } else {
        buf.put(p++, (byte) (0xE0 | (c >> 12)));
        buf.put(p++, (byte) (0x80 | ((c >> 6) & 0x3F)));
        buf.put(p++, (byte) (0x80 | (c & 0x3F)));
      }
    }
    zero(buf, p, end - p);
  }

  /**
   * Reads a NUL-padded UTF-8 {@code char[size]}: the bytes up to the first NUL, or all of them.
   * Allocates the string (and a scratch array when the buffer has no accessible array).
   */
  public static String getString(ByteBuffer buf, int offset, int size) {
    int len = 0;
    while (len < size && buf.get(offset + len) != 0) {
      len++;
    }
    if (buf.hasArray()) {
      return new String(buf.array(), buf.arrayOffset() + offset, len, StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[len];
    buf.get(offset, bytes, 0, len);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Writes {@code length} zero bytes: padding is always zero so hash keys compare equal. */
  public static void zero(ByteBuffer buf, int offset, int length) {
    int p = offset;
    int end = offset + length;
    for (; p + 8 <= end; p += 8) {
      buf.putLong(p, 0L);
    }
    for (; p < end; p++) {
      buf.put(p, (byte) 0);
    }
  }

  /** Writes a {@code __be16}, whatever the buffer's order. */
  public static void putShortBE(ByteBuffer buf, int offset, short value) {
    buf.putShort(offset, buf.order() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes(value));
  }

  /** Writes a {@code __be32}, whatever the buffer's order. */
  public static void putIntBE(ByteBuffer buf, int offset, int value) {
    buf.putInt(offset, buf.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value));
  }

  /** Writes a {@code __be64}, whatever the buffer's order. */
  public static void putLongBE(ByteBuffer buf, int offset, long value) {
    buf.putLong(offset, buf.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value));
  }

  /** Reads a {@code __be16}, whatever the buffer's order. */
  public static short getShortBE(ByteBuffer buf, int offset) {
    short v = buf.getShort(offset);
    return buf.order() == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v);
  }

  /** Reads a {@code __be32}, whatever the buffer's order. */
  public static int getIntBE(ByteBuffer buf, int offset) {
    int v = buf.getInt(offset);
    return buf.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
  }

  /** Reads a {@code __be64}, whatever the buffer's order. */
  public static long getLongBE(ByteBuffer buf, int offset) {
    long v = buf.getLong(offset);
    return buf.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
  }

  /**
   * The error for an enum number that no constant has, to be thrown by the decoder.
   *
   * @param where {@code Record.component}
   * @param enumName the enum's simple name
   */
  public static BpfValueException unknownEnum(String where, String enumName, long value) {
    return new BpfValueException("decode", where + " holds " + value + ", which no constant of "
        + enumName + " has (@CValue or ordinal); add the constant or check the C side");
  }

  private static Layout scalar(String cName, int size, Layout.Kind kind, boolean signed) {
    return new Layout(cName, size, size, java.util.List.of(
        new Layout.Field("value", "value", 0, size, 0, kind, signed, false, null)));
  }

  private static <T> T nonNull(T value, String codec) {
    if (value == null) {
      throw new BpfValueException("encode", codec + " cannot encode null");
    }
    return value;
  }

  private static final class ByteCodec implements Codec<Byte> {
    private final Layout layout;

    ByteCodec(boolean signed) {
      layout = scalar(signed ? "__s8" : "__u8", 1, Layout.Kind.INT, signed);
    }

    @Override public int byteSize() { return 1; }
    @Override public void encode(Byte v, ByteBuffer b, int o) { b.put(o, nonNull(v, layout.cName())); }
    @Override public Byte decode(ByteBuffer b, int o) { return b.get(o); }
    @Override public Layout layout() { return layout; }
  }

  private static final class ShortCodec implements Codec<Short> {
    private final Layout layout;

    ShortCodec(boolean signed) {
      layout = scalar(signed ? "__s16" : "__u16", 2, Layout.Kind.INT, signed);
    }

    @Override public int byteSize() { return 2; }
    @Override public void encode(Short v, ByteBuffer b, int o) { b.putShort(o, nonNull(v, layout.cName())); }
    @Override public Short decode(ByteBuffer b, int o) { return b.getShort(o); }
    @Override public Layout layout() { return layout; }
  }

  private static final class IntCodec implements Codec<Integer> {
    private final Layout layout;

    IntCodec(boolean signed) {
      layout = scalar(signed ? "__s32" : "__u32", 4, Layout.Kind.INT, signed);
    }

    @Override public int byteSize() { return 4; }
    @Override public void encode(Integer v, ByteBuffer b, int o) { b.putInt(o, nonNull(v, layout.cName())); }
    @Override public Integer decode(ByteBuffer b, int o) { return b.getInt(o); }
    @Override public Layout layout() { return layout; }
  }

  private static final class LongCodec implements Codec<Long> {
    private final Layout layout;

    LongCodec(boolean signed) {
      layout = scalar(signed ? "__s64" : "__u64", 8, Layout.Kind.INT, signed);
    }

    @Override public int byteSize() { return 8; }
    @Override public void encode(Long v, ByteBuffer b, int o) { b.putLong(o, nonNull(v, layout.cName())); }
    @Override public Long decode(ByteBuffer b, int o) { return b.getLong(o); }
    @Override public Layout layout() { return layout; }
  }

  private static final class FloatCodec implements Codec<Float> {
    private final Layout layout = scalar("float", 4, Layout.Kind.FLOAT, true);

    @Override public int byteSize() { return 4; }
    @Override public void encode(Float v, ByteBuffer b, int o) { b.putFloat(o, nonNull(v, "float")); }
    @Override public Float decode(ByteBuffer b, int o) { return b.getFloat(o); }
    @Override public Layout layout() { return layout; }
  }

  private static final class DoubleCodec implements Codec<Double> {
    private final Layout layout = scalar("double", 8, Layout.Kind.FLOAT, true);

    @Override public int byteSize() { return 8; }
    @Override public void encode(Double v, ByteBuffer b, int o) { b.putDouble(o, nonNull(v, "double")); }
    @Override public Double decode(ByteBuffer b, int o) { return b.getDouble(o); }
    @Override public Layout layout() { return layout; }
  }

  private static final class BoolCodec implements Codec<Boolean> {
    private final Layout layout = scalar("_Bool", 1, Layout.Kind.BOOL, false);

    @Override public int byteSize() { return 1; }
    @Override public void encode(Boolean v, ByteBuffer b, int o) { b.put(o, nonNull(v, "_Bool") ? (byte) 1 : 0); }
    @Override public Boolean decode(ByteBuffer b, int o) { return b.get(o) != 0; }
    @Override public Layout layout() { return layout; }
  }

  private static final class BytesCodec implements Codec<byte[]> {
    private final int n;

    BytesCodec(int n) {
      this.n = n;
    }

    @Override public int byteSize() { return n; }

    @Override
    public void encode(byte[] v, ByteBuffer b, int o) {
      if (nonNull(v, "bytes(" + n + ")").length != n) {
        throw new BpfValueException("encode", "bytes(" + n + ") needs " + n + " bytes, got " + v.length);
      }
      b.put(o, v, 0, n);
    }

    @Override
    public byte[] decode(ByteBuffer b, int o) {
      byte[] out = new byte[n];
      b.get(o, out, 0, n);
      return out;
    }
  }
}
