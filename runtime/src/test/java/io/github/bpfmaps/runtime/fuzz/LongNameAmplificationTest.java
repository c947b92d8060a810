package io.github.bpfmaps.runtime.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.runtime.BpfObjectFormatException;
import io.github.bpfmaps.runtime.elf.Btf;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Names are NUL-terminated offsets into a string table, so many small records can all name one
 * long string. Read naively, each record scans and copies the whole string: a few MiB of input
 * become gigabytes and minutes. Too large for the fuzzer's inputs to stumble on.
 */
class LongNameAmplificationTest {
  private static final int TYPES = 100_000;
  private static final int NAME = 1 << 20;

  /** BTF of {@code TYPES} INT types, all named by one string of {@code NAME} bytes. */
  private static byte[] manyTypesNamedByOneLongString() {
    int typeLen = TYPES * 16;
    int strLen = NAME + 2;
    ByteBuffer b = ByteBuffer.allocate(24 + typeLen + strLen).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) Btf.MAGIC).put((byte) 1).put((byte) 0).putInt(24);
    b.putInt(0).putInt(typeLen).putInt(typeLen).putInt(strLen);
    for (int i = 0; i < TYPES; i++) {
      b.putInt(1).putInt(1 << 24 /* INT */).putInt(4).putInt(32); // 4-byte, 32-bit INT named at 1
    }
    byte[] name = new byte[NAME];
    Arrays.fill(name, (byte) 'a');
    b.put((byte) 0).put(name).put((byte) 0);
    return b.array();
  }

  @Test
  void typesNamedByOneHugeStringAreRefusedQuicklyWithoutCopyingItPerType() {
    byte[] btf = manyTypesNamedByOneLongString();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    BpfObjectFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
      BpfObjectFormatException thrown = assertThrows(BpfObjectFormatException.class,
          () -> Btf.parse(btf, "long-names.btf"));
      long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
      assertTrue(allocated < 16L * btf.length, "allocated " + allocated + " bytes for " + btf.length);
      return thrown;
    });
    assertEquals(".BTF", e.section());
    assertTrue(e.getMessage().contains("type [1]") && e.getMessage().contains("longer than"), e.getMessage());
  }
}
