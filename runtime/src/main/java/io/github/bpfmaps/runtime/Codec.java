package io.github.bpfmaps.runtime;

import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.spec.Layout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * Converts a Java value to and from the bytes of its C layout, exactly as the C compiler lays the
 * struct out on the host (natural alignment, padding, host byte order).
 *
 * <p>The buffer methods are the hot path: they use absolute {@link ByteBuffer} access, allocate
 * nothing but the decoded value, and expect the buffer in {@link ByteOrder#nativeOrder()} (the
 * kernel's order for map keys and values). {@link #encode} writes every byte of the value, padding
 * included (as zeros), so a hash key never carries stale bytes.
 *
 * <p>Implementations are immutable and safe to share between threads. The processor generates one
 * per record ({@code <Record>Codec.INSTANCE}); {@link Codecs} has the primitive ones.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {
  /** The C {@code sizeof} of the value, padding included. */
  int byteSize();

  /**
   * Writes {@code value} into {@code buf} at {@code offset}, all {@link #byteSize()} bytes.
   *
   * @throws BpfValueException if the value does not fit its C layout (a string longer than its
   *     {@code @Size}, an array of the wrong length, an unsigned value out of range, a null)
   */
  void encode(T value, ByteBuffer buf, int offset);

  /**
   * Reads a value from {@code buf} at {@code offset}.
   *
   * @throws BpfValueException if the bytes are not a valid value (an enum number no constant has)
   */
  T decode(ByteBuffer buf, int offset);

  /**
   * The C layout of the value, for the BTF checks against a compiled object; null where there is no
   * struct to compare (raw bytes).
   */
  default @Nullable Layout layout() {
    return null;
  }

  /** Encodes into a new array of {@link #byteSize()} bytes. Allocates the array. */
  default byte[] toBytes(T value) {
    byte[] bytes = new byte[byteSize()];
    encode(value, ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0);
    return bytes;
  }

  /**
   * Decodes an array of exactly {@link #byteSize()} bytes.
   *
   * @throws BpfValueException if the array has another length
   */
  default T fromBytes(byte[] bytes) {
    if (bytes.length != byteSize()) {
      throw new BpfValueException(
          "decode", getClass().getSimpleName() + " needs " + byteSize() + " bytes, got " + bytes.length);
    }
    return decode(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0);
  }
}
