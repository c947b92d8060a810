package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A pinned map keeps every acknowledged write when its writer dies mid-write: a child JVM writes to
 * the pin and acknowledges each write on stdout, the test kills it with SIGKILL, then reads the pin
 * (and a second writer starts again where the first stopped, and is killed too). Every key holds its
 * last acknowledged write or the one in flight at the kill, never an older one, and every value's
 * checksum matches (no torn values).
 */
class PinnedDataSurvivesKillTest {
  private static final int WRITERS = 3;

  @Test
  void everyAcknowledgedWriteToAPinnedMapSurvivesSigkillOfItsWriterIntact() throws Exception {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Path dir = KernelTests.pinDir();
    try {
      Path pin = dir.resolve(PinnedWriterChild.SPEC.name());
      long next = 0;
      long acked = -1;
      for (int run = 0; run < WRITERS; run++) {
        long last = writeUntilKilled(pin, next);
        assertTrue(last >= next, "writer " + run + " acknowledged nothing");
        acked = last;
        verify(pin, acked);
        next = acked + 1; // the write in flight at the kill may or may not be there; redo it
      }
      System.out.printf("pinned map: %d writers killed with SIGKILL, %d acknowledged writes kept%n",
          WRITERS, acked + 1);
    } finally {
      KernelTests.deleteTree(dir);
    }
  }

  /**
   * Starts a writer at {@code from}, kills it at a random moment, returns its last ack. The acks go
   * to a file: {@code Process.destroyForcibly} closes the pipes, and what was written before the kill
   * must still be read.
   */
  private static long writeUntilKilled(Path pin, long from) throws Exception {
    Path acks = Files.createTempFile("bpfmaps-acks", ".txt");
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), PinnedWriterChild.class.getName(),
          pin.toString(), Long.toString(from))
          .redirectOutput(acks.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(acks, StandardCharsets.US_ASCII).contains("ack ")) {
        assertTrue(p.isAlive() && System.nanoTime() < deadline, "the writer did not start writing");
        Thread.sleep(10);
      }
      Thread.sleep(100 + ThreadLocalRandom.current().nextInt(300));
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no Cleaner
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(128 + 9, p.exitValue(), "killed by SIGKILL");
      long last = from - 1;
      for (String line : Files.readAllLines(acks, StandardCharsets.US_ASCII)) {
        last = ack(line, last); // a line cut by the kill is not an ack
      }
      return last;
    } finally {
      Files.deleteIfExists(acks);
    }
  }

  private static long ack(String line, long last) {
    if (!line.startsWith("ack ")) {
      return last;
    }
    try {
      long n = Long.parseLong(line.substring(4));
      assertEquals(last + 1, n, "acks are in order");
      return n;
    } catch (NumberFormatException cut) {
      return last;
    }
  }

  private static void verify(Path pin, long acked) {
    int keys = PinnedWriterChild.KEYS;
    try (BpfHashMap<Integer, byte[]> map = new BpfHashMap<>(MapFd.openPinned(pin, PinnedWriterChild.SPEC),
        PinnedWriterChild.SPEC, Codecs.U32, Codecs.bytes(PinnedWriterChild.VALUE_SIZE))) {
      Map<Integer, byte[]> all = map.toMap();
      for (Map.Entry<Integer, byte[]> e : all.entrySet()) {
        long seq = PinnedWriterChild.check(e.getValue());
        assertTrue(seq >= 0, "key " + e.getKey() + " holds a torn or foreign value");
        assertEquals(e.getKey().longValue(), seq % keys, "key " + e.getKey() + " holds write " + seq);
      }
      long inFlight = acked + 1;
      for (int k = 0; k < keys && k <= acked; k++) {
        long lastAckedForKey = acked - Math.floorMod(acked - k, keys);
        byte[] v = all.get(k);
        assertNotNull(v, "key " + k + " lost its acknowledged write " + lastAckedForKey);
        long seq = PinnedWriterChild.check(v);
        assertTrue(seq == lastAckedForKey || (seq == inFlight && inFlight % keys == k),
            "key " + k + " holds write " + seq + ", but the last acknowledged one is " + lastAckedForKey);
      }
    }
  }
}
