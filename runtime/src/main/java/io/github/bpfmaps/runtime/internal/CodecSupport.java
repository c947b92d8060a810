package io.github.bpfmaps.runtime.internal;

import io.github.bpfmaps.errors.BpfValueException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * What the codecs the processor generates call: value checks that throw {@link BpfValueException}
 * naming {@code Record.component}, zeroed padding, network-order access and fixed-size UTF-8 strings.
 *
 * <p><b>For generated code only; no compatibility promise.</b> It is public because generated codecs
 * live in the users' packages; its methods may change in any release, together with the processor
 * that emits the calls. Hand-written code uses {@link io.github.bpfmaps.runtime.Codecs} and the
 * generated {@code <Record>Codec}s instead. None of these methods allocates, except the decoded
 * string and the returned exception.
 */
public final class CodecSupport {
  private CodecSupport() {}

  /**
   * Throws if {@code value} is null; C has no null, so every component must be present.
   *
   * @param where {@code Record.component}
   */
  public static void requireNonNull(@Nullable Object value, String where) {
    if (value == null) {
      throw new BpfValueException("encode", where + " is null; C has no null, give it a value");
    }
  }

  /** As {@link #requireNonNull(Object, String)} for element {@code index} of an array component. */
  public static void requireNonNull(@Nullable Object value, String where, int index) {
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
  public static void checkString(@Nullable String value, int size, String where) {
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
}
