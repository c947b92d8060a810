package io.github.bpfmaps.runtime.maps;

import com.sun.jna.LastErrorException;
import io.github.bpfmaps.runtime.sys.LibC;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the readers and writers of shared kernel rings have in common: the record header bits of
 * {@code include/uapi/linux/bpf.h} ({@code BPF_RINGBUF_*}), ordered views of native-order words in
 * a mapped {@code ByteBuffer}, and quiet clean-up for error and close paths. Used by {@link
 * BpfUserRingBuf} and {@link BpfPerfEventArray} ({@link BpfRingBuf} keeps its own copy for now).
 */
final class RingMemory {
  private RingMemory() {}

  /** {@code BPF_RINGBUF_BUSY_BIT}: the record is reserved and not yet committed. */
  static final int BUSY = 1 << 31;
  /** {@code BPF_RINGBUF_DISCARD_BIT}: the consumer skips the record. */
  static final int DISCARD = 1 << 30;
  /** {@code BPF_RINGBUF_HDR_SZ}: the length word and 4 unused bytes before each record. */
  static final int HEADER = 8;
  /** 64-bit words of a mapped buffer, with acquire/release access. */
  static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  /** 32-bit words of a mapped buffer, with acquire/release access. */
  static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  /** {@code munmap} if mapped; never throws (only bad arguments make it fail). */
  static void unmapQuietly(long address, long length) {
    if (address != 0) {
      try {
        LibC.munmap(address, length);
      } catch (LastErrorException ignored) {
        // nothing to recover on a clean-up path
      }
    }
  }

  /** {@code close} if open; never throws ({@code close(2)} releases the fd even when it fails). */
  static void closeQuietly(int fd) {
    if (fd >= 0) {
      try {
        LibC.close(fd);
      } catch (LastErrorException ignored) {
        // the fd is released anyway
      }
    }
  }
}
