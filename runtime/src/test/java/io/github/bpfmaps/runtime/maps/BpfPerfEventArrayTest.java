package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.Asm;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The perf event reader against the running kernel: an XDP program run with {@code
 * BPF_PROG_TEST_RUN} calls {@code bpf_perf_event_output(ctx, &map, BPF_F_CURRENT_CPU, data, n)} on
 * whichever CPU the test thread is pinned to ({@code sched_setaffinity}), so each CPU's ring gets
 * exactly the events run there.
 */
class BpfPerfEventArrayTest {
  static final int BPF_FUNC_PERF_EVENT_OUTPUT = 25;
  static final int XDP = 6;
  static final int[] ONLINE = Bpf.onlineCpus();

  static MapSpec spec() {
    return MapSpec.of("perf_events_t", MapType.PERF_EVENT_ARRAY, 4, 4, Bpf.possibleCpus(), 0);
  }

  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  @AfterEach
  void unpin() {
    pinTo(ONLINE);
  }

  /** Moves this thread to {@code cpus} (a {@code cpu_set_t} of 1024 bits). */
  static void pinTo(int... cpus) {
    ByteBuffer mask = ByteBuffer.allocateDirect(128);
    for (int c : cpus) {
      mask.put(c / 8, (byte) (mask.get(c / 8) | 1 << (c % 8)));
    }
    LibC.sched_setaffinity(0, 128, Scratch.address(mask));
  }

  /**
   * An XDP program that emits {@code words} (each a sign-extended 32-bit immediate stored as a u64)
   * as one {@code 8 * words.length}-byte event on the current CPU, then returns XDP_PASS.
   */
  static int producer(BpfMapHandle map, int... words) {
    int mapFd = map.fd().acquire();
    try {
      Asm a = new Asm().movReg(6, 1);
      int base = -8 * words.length;
      for (int i = 0; i < words.length; i++) {
        a.movImm(1, words[i]).stxDw(10, base + 8 * i, 1);
      }
      byte[] insns = a
          .movReg(1, 6)
          .ldMapFd(2, mapFd)
          .mov32Imm(3, -1) // BPF_F_CURRENT_CPU: 0xffffffff, zero-extended (the upper half is a size)
          .movReg(4, 10).addImm(4, base)
          .movImm(5, 8 * words.length)
          .call(BPF_FUNC_PERF_EVENT_OUTPUT)
          .movImm(0, 2)
          .exit()
          .bytes();
      return BpfSys.progLoad(new ProgLoad().type(XDP).name("perf_producer").insns(insns));
    } finally {
      map.fd().release();
    }
  }

  static void run(int prog, int times) {
    assertEquals(2, BpfSys.progTestRun(prog, new byte[64], 0, times).retval());
  }

  @Test
  void eachCpusEventsArriveInThatCpusRing() {
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open()) {
      int prog = producer(perf, 42);
      try {
        Map<Integer, Integer> expected = new TreeMap<>();
        for (int i = 0; i < ONLINE.length; i++) {
          pinTo(ONLINE[i]);
          run(prog, 3 + i);
          expected.put(ONLINE[i], 3 + i);
        }
        Map<Integer, Integer> got = new TreeMap<>();
        int n = perf.readAvailableRaw((cpu, buf, offset, length) -> {
          assertEquals(12, length, "8 bytes padded by the kernel to 8n + 4");
          assertEquals(42L, buf.getLong(offset));
          got.merge(cpu, 1, Integer::sum);
        });
        assertEquals(expected, got);
        assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(), n);
        assertEquals(0, perf.lost());
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void typedEventsAreDecodedInOrder() {
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open()) {
      int first = producer(perf, 1);
      int second = producer(perf, 2);
      try {
        pinTo(ONLINE[0]);
        run(first, 2);
        run(second, 1);
        run(first, 1);
        List<Long> got = new ArrayList<>();
        assertEquals(4, perf.readAvailable(got::add));
        assertEquals(List.of(1L, 1L, 2L, 1L), got);
        assertEquals(0, perf.readAvailable(v -> { }));
      } finally {
        BpfSys.close(first);
        BpfSys.close(second);
      }
    }
  }

  @Test
  void recordsWrappingAroundTheRingEndAreReassembled() {
    // 24-byte records (8 header + 4 size + 12 raw) in a 4096-byte ring: every 171st straddles the end.
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64)
        .open(PerfOptions.defaults().pages(1).cpus(ONLINE[0]))) {
      int prog = producer(perf, 0x5eed);
      try {
        pinTo(ONLINE[0]);
        long total = 0;
        for (int round = 0; round < 10; round++) {
          run(prog, 100);
          total += perf.readAvailable(v -> assertEquals(0x5eedL, v));
        }
        assertEquals(1000, total);
        assertEquals(0, perf.lost());
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void samplesThatDidNotFitAreCountedAsLost() {
    AtomicLong heard = new AtomicLong();
    List<Integer> heardOn = Collections.synchronizedList(new ArrayList<>());
    PerfOptions small = PerfOptions.defaults().pages(1).cpus(ONLINE[0]).onLost((cpu, count) -> {
      heard.addAndGet(count);
      heardOn.add(cpu);
    });
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open(small)) {
      int prog = producer(perf, 7);
      try {
        pinTo(ONLINE[0]);
        run(prog, 1000); // 24 KB of records for a 4 KB ring, nobody reading
        int first = perf.readAvailable(v -> assertEquals(7L, v));
        assertTrue(first > 0 && first < 1000, "delivered " + first);
        run(prog, 1); // the kernel writes PERF_RECORD_LOST with the next sample that fits
        int second = perf.readAvailable(v -> assertEquals(7L, v));
        assertEquals(1, second);
        assertEquals(1000 - first, perf.lost(), "every sample is either delivered or counted lost");
        assertEquals(1000 - first, perf.lost(ONLINE[0]));
        assertEquals(Map.of(ONLINE[0], (long) (1000 - first)), perf.lostPerCpu());
        assertEquals(1000 - first, heard.get());
        assertTrue(heardOn.stream().allMatch(c -> c == ONLINE[0]), heardOn.toString());
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void variableLengthEventsHandTheirTrailingBytesOver() {
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open()) {
      int prog = producer(perf, 3, 100, 200); // fixed part 3, then two u64 of trailing data
      try {
        pinTo(ONLINE[0]);
        run(prog, 2);
        List<String> got = new ArrayList<>();
        int n = perf.pollWithTrailing(Duration.ofSeconds(5), (fixed, buf, offset, length) ->
            got.add(fixed + ":" + buf.getLong(offset) + "," + buf.getLong(offset + 8) + "/" + length));
        assertEquals(2, n);
        assertEquals(List.of("3:100,200/20", "3:100,200/20"), got, "28 raw bytes: 24 written + 4 padding");
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void aSampleShorterThanTheEventIsReportedAfterTheRestAreDelivered() {
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.bytes(16)).open()) {
      int shortOne = producer(perf, 1);
      int goodOne = producer(perf, 1, 2);
      try {
        pinTo(ONLINE[0]);
        run(goodOne, 1);
        run(shortOne, 1);
        run(goodOne, 2);
        List<byte[]> got = new ArrayList<>();
        BpfValueException e = assertThrows(BpfValueException.class, () -> perf.readAvailable(got::add));
        assertEquals(3, got.size(), "the good events on either side were delivered");
        String m = e.getMessage();
        assertTrue(m.contains("'perf_events_t'") && m.contains("CPU " + ONLINE[0])
            && m.contains("ring position 32") && m.contains("length 12"), m);
        assertEquals(0, perf.readAvailable(v -> { }), "the bad record was passed, not stuck");
      } finally {
        BpfSys.close(shortOne);
        BpfSys.close(goodOne);
      }
    }
  }

  @Test
  void pollWaitsForTheTimeoutThenWakesWhenAProgramEmits() throws Exception {
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open()) {
      long t0 = System.nanoTime();
      assertEquals(0, perf.poll(Duration.ofMillis(100), v -> {
        throw new AssertionError("no event expected");
      }));
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(waited >= 90 && waited < 2000, "waited " + waited + " ms");

      int prog = producer(perf, 9);
      try {
        List<Long> got = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> perf.poll(Duration.ofSeconds(10), got::add));
        long t1 = System.nanoTime();
        reader.start();
        Thread.sleep(50);
        run(prog, 1);
        reader.join(10_000);
        assertEquals(List.of(9L), got);
        assertTrue((System.nanoTime() - t1) / 1_000_000 < 5000, "woke too late");
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void closeReleasesEveryRingAndTheMapEntries() {
    Set<String> before = KernelTests.runtimeFds();
    var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open();
    Set<String> during = KernelTests.newFdsSince(before);
    assertEquals(ONLINE.length, during.stream().filter(f -> f.contains("perf_event")).count(), during.toString());
    perf.close();
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
    assertThrows(io.github.bpfmaps.errors.BpfClosedException.class, () -> perf.readAvailable(v -> { }));
  }

  @Test
  void theRawPathAllocatesNothingPerEvent() {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
        "no allocation counter in this JVM");
    var threads = (com.sun.management.ThreadMXBean) bean;
    threads.setThreadAllocatedMemoryEnabled(true);
    long[] sum = new long[1];
    RawHandlerSum handler = new RawHandlerSum(sum);
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64)
        .open(PerfOptions.defaults().pages(64).cpus(ONLINE[0]))) {
      int prog = producer(perf, 3);
      try {
        pinTo(ONLINE[0]);
        for (int round = 0; round < 20; round++) { // warm up: JIT
          run(prog, 5000);
          perf.readAvailableRaw(handler);
        }
        run(prog, 5000);
        sum[0] = 0;
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        int n = perf.readAvailableRaw(handler);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(5000, n);
        assertEquals(3L * 5000, sum[0]);
        assertTrue(allocated < 500, "allocated " + allocated + " bytes for 5000 events (one read)");
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  /** A raw handler that sums the first u64 of each sample. */
  static final class RawHandlerSum implements BpfPerfEventArray.RawHandler {
    final long[] sum;

    RawHandlerSum(long[] sum) {
      this.sum = sum;
    }

    @Override
    public void accept(int cpu, ByteBuffer buf, int offset, int length) {
      sum[0] += buf.getLong(offset);
    }
  }

  @Test
  void readingBeforeOpenSaysToOpenFirst() {
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> perf.readAvailable(v -> { }));
      assertTrue(e.getMessage().contains("open()"), e.getMessage());
      perf.open();
      assertThrows(IllegalStateException.class, perf::open);
    }
  }

  @Test
  void ringSizesMustBePowersOfTwoAndCpusMustFitTheMap() {
    IllegalArgumentException pages = assertThrows(IllegalArgumentException.class,
        () -> PerfOptions.defaults().pages(3));
    assertTrue(pages.getMessage().contains("power of two") && pages.getMessage().contains("use 4"),
        pages.getMessage());
    MapSpec one = MapSpec.of("perf_one_t", MapType.PERF_EVENT_ARRAY, 4, 4, 1, 0);
    try (var perf = new BpfPerfEventArray<>(MapFd.create(one), one, Codecs.U64)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> perf.open(PerfOptions.defaults().cpus(1)));
      assertTrue(e.getMessage().contains("max_entries 1") && e.getMessage().contains("CPU 1"), e.getMessage());
    }
  }

  @Test
  void theMapIsWhatBpftoolShows() {
    KernelTests.needBpftool();
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> shown =
          (Map<String, Object>) KernelTests.bpftoolJson("map", "show", "id", String.valueOf(perf.id()));
      assertEquals("perf_event_array", shown.get("type"));
      assertEquals(Bpf.possibleCpus(), ((Number) shown.get("max_entries")).intValue());
    }
  }
}
