package io.github.bpfmaps.runtime.reliability;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.spec.MapSpec;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The writer of {@link PinnedDataSurvivesKillTest}: opens (or creates and pins) the map at the path
 * it is given and writes entry after entry, starting at the given sequence number, printing {@code
 * ack N} after each write returned (a write syscall per ack, so that it survives the kill). It runs until it is killed.
 *
 * <p>Write {@code n} goes to key {@code n % KEYS}, so later writes replace earlier ones; its value is
 * {@link #value(long)}: the sequence number, words derived from it, and a checksum over them.
 */
public final class PinnedWriterChild {
  private PinnedWriterChild() {}

  /** Keys in use; smaller than the map, so that every write is a create or a replace. */
  static final int KEYS = 512;
  static final int VALUE_SIZE = 64;
  static final MapSpec SPEC = MapSpec.of("rel_survivor", MapType.HASH, 4, VALUE_SIZE, 1024, 0);

  public static void main(String[] args) {
    Path pin = Path.of(args[0]);
    long seq = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    try (BpfHashMap<Integer, byte[]> map = new BpfHashMap<>(
        MapFd.createOrOpenPinned(SPEC, pin.getParent()), SPEC, Codecs.U32, Codecs.bytes(VALUE_SIZE))) {
      for (;; seq++) {
        map.set((int) (seq % KEYS), value(seq));
        out.println("ack " + seq);
        out.flush();
      }
    }
  }

  /** Sequence number, six words derived from it, and a checksum of the seven. */
  static byte[] value(long seq) {
    ByteBuffer b = ByteBuffer.allocate(VALUE_SIZE).order(ByteOrder.nativeOrder());
    long sum = 0;
    for (int i = 0; i < 7; i++) {
      long w = i == 0 ? seq : seq * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L;
      b.putLong(i * 8, w);
      sum = Long.rotateLeft(sum, 7) ^ w;
    }
    b.putLong(56, sum);
    return b.array();
  }

  /** The sequence number a value carries, or -1 if any word or the checksum does not match it. */
  static long check(byte[] value) {
    long seq = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong(0);
    return Arrays.equals(value, value(seq)) ? seq : -1;
  }
}
