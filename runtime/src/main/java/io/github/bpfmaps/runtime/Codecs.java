package io.github.bpfmaps.runtime;

import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.spec.Layout;
import java.nio.ByteBuffer;

/**
 * The codecs of primitive keys and values, and raw bytes. Each is a C scalar in host byte order; the
 * signed and unsigned variants hold the same bits and differ only in the layout they report (the BTF
 * check compares signedness).
 *
 * <p>The codecs of records are generated ({@code <Record>Codec.INSTANCE}); what those call lives in
 * {@code io.github.bpfmaps.runtime.internal}, which is not API.
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
