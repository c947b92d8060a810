package io.github.bpfmaps.elf;

import io.github.bpfmaps.errors.BpfObjectFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Bounds-checked little-endian reads from a window of a byte array. Every read past the window
 * throws {@link BpfObjectFormatException} naming the file and section the window belongs to.
 */
final class ByteReader {
  private final byte[] bytes;
  private final int start;
  private final int length;
  private final String file;
  private final @Nullable String section;

  ByteReader(byte[] bytes, int start, int length, String file, @Nullable String section) {
    if (start < 0 || length < 0 || start > bytes.length - length) {
      throw new BpfObjectFormatException(
          file, section, "data at offset " + start + " of length " + length + " lies past the end of "
              + bytes.length + " bytes");
    }
    this.bytes = bytes;
    this.start = start;
    this.length = length;
    this.file = file;
    this.section = section;
  }

  static ByteReader of(byte[] bytes, String file, @Nullable String section) {
    return new ByteReader(bytes, 0, bytes.length, file, section);
  }

  int length() {
    return length;
  }

  String file() {
    return file;
  }

  @Nullable String section() {
    return section;
  }

  /** A window of this window, named after {@code newSection}. */
  ByteReader slice(long offset, long len, @Nullable String newSection) {
    check(offset, len, newSection == null ? "data" : "section data");
    return new ByteReader(bytes, start + (int) offset, (int) len, file, newSection);
  }

  /** The same bytes, reported under another section name. */
  ByteReader named(@Nullable String newSection) {
    return new ByteReader(bytes, start, length, file, newSection);
  }

  int u8(long offset) {
    check(offset, 1, "byte");
    return bytes[start + (int) offset] & 0xff;
  }

  int u16(long offset) {
    check(offset, 2, "16-bit value");
    int p = start + (int) offset;
    return (bytes[p] & 0xff) | (bytes[p + 1] & 0xff) << 8;
  }

  int i32(long offset) {
    check(offset, 4, "32-bit value");
    int p = start + (int) offset;
    return (bytes[p] & 0xff) | (bytes[p + 1] & 0xff) << 8 | (bytes[p + 2] & 0xff) << 16
        | (bytes[p + 3] & 0xff) << 24;
  }

  long u32(long offset) {
    return i32(offset) & 0xffffffffL;
  }

  long i64(long offset) {
    check(offset, 8, "64-bit value");
    return (i32(offset) & 0xffffffffL) | ((long) i32(offset + 4)) << 32;
  }

  byte[] bytes(long offset, long len) {
    check(offset, len, "data");
    int p = start + (int) offset;
    return Arrays.copyOfRange(bytes, p, p + (int) len);
  }

  /** The NUL-terminated string at {@code offset}; the terminator must lie inside the window. */
  String cString(long offset, String what) {
    return cString(offset, what, Integer.MAX_VALUE);
  }

  /**
   * The NUL-terminated string at {@code offset}, at most {@code maxLength} bytes before the NUL.
   * The limit stops records that all name one huge string from costing a scan and a copy each.
   */
  String cString(long offset, String what, int maxLength) {
    if (offset < 0 || offset >= length) {
      throw error(what + " offset " + offset + " is outside the " + length + "-byte string table");
    }
    int p = start + (int) offset;
    int end = p;
    int limit = start + length;
    while (end < limit && bytes[end] != 0 && end - p <= maxLength) {
      end++;
    }
    if (end - p > maxLength) {
      throw error(what + " at offset " + offset + " is longer than " + maxLength + " bytes");
    }
    if (end == limit) {
      throw error(what + " at offset " + offset + " is not NUL-terminated");
    }
    return new String(bytes, p, end - p, StandardCharsets.UTF_8);
  }

  BpfObjectFormatException error(String message) {
    return new BpfObjectFormatException(file, section, message);
  }

  private void check(long offset, long len, String what) {
    if (offset < 0 || len < 0 || offset > length - len) {
      throw error(
          (section == null ? "" : "truncated: ") + what + " at offset " + offset + " (" + len
              + " bytes) lies past the end of " + length + " bytes");
    }
  }
}
