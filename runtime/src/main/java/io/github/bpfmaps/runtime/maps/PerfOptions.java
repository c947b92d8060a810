package io.github.bpfmaps.runtime.maps;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * How {@link BpfPerfEventArray#open(PerfOptions)} sets up its per-CPU rings: the ring size, when the
 * kernel wakes a waiting reader, which CPUs get a ring, and who hears about lost samples. Immutable;
 * each {@code with}-style method returns a copy. No system call, no validation against the kernel
 * until {@code open}.
 */
public final class PerfOptions {
  private static final PerfOptions DEFAULTS = new PerfOptions(8, 1, 0, null, null);

  private final int pages;
  private final int wakeupEvents;
  private final int watermarkBytes;
  private final int @Nullable [] cpus;
  private final BpfPerfEventArray.@Nullable LostHandler lostHandler;

  private PerfOptions(int pages, int wakeupEvents, int watermarkBytes, int @Nullable [] cpus,
      BpfPerfEventArray.@Nullable LostHandler lostHandler) {
    this.pages = pages;
    this.wakeupEvents = wakeupEvents;
    this.watermarkBytes = watermarkBytes;
    this.cpus = cpus;
    this.lostHandler = lostHandler;
  }

  /**
   * 8 data pages per CPU (32 KiB with 4 KiB pages), a wakeup after every sample, a ring on every
   * online CPU, lost samples counted but not delivered.
   */
  public static PerfOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The data area of each CPU's ring, in pages: a power of two ({@code perf_mmap()} in {@code
   * kernel/events/core.c} refuses anything else with EINVAL). One metadata page is mapped in front.
   *
   * @throws IllegalArgumentException if {@code pages} is not a positive power of two
   */
  public PerfOptions pages(int pages) {
    if (pages <= 0 || Integer.bitCount(pages) != 1) {
      throw new IllegalArgumentException("a perf ring's data area must be a power of two pages (1, 2, 4, 8, ...),"
          + " as perf_mmap() in kernel/events/core.c requires, but " + pages + " was asked for; use "
          + (pages <= 0 ? 1 : Integer.highestOneBit(pages) << 1));
    }
    return new PerfOptions(pages, wakeupEvents, watermarkBytes, cpus, lostHandler);
  }

  /**
   * Wake a waiting reader after this many samples ({@code wakeup_events}); 1 gives the lowest latency,
   * larger values fewer wakeups at high rates. Clears a watermark set before.
   *
   * @throws IllegalArgumentException if {@code events} is not positive
   */
  public PerfOptions wakeupEvents(int events) {
    if (events <= 0) {
      throw new IllegalArgumentException("wakeupEvents must be at least 1, but was " + events);
    }
    return new PerfOptions(pages, events, 0, cpus, lostHandler);
  }

  /**
   * Wake a waiting reader once this many bytes are in a ring ({@code watermark = 1, wakeup_watermark});
   * replaces {@link #wakeupEvents}. Must be less than the data area, or the reader would never wake
   * before the ring is full (checked at {@code open}).
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public PerfOptions watermarkBytes(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("watermarkBytes must be at least 1, but was " + bytes);
    }
    return new PerfOptions(pages, 0, bytes, cpus, lostHandler);
  }

  /**
   * Open rings on these CPUs only (each must be online and below the map's {@code max_entries});
   * events a program emits on another CPU are dropped by the kernel ({@code bpf_perf_event_output}
   * returns ENOENT there).
   *
   * @throws IllegalArgumentException for an empty list or a negative id
   */
  public PerfOptions cpus(int... cpus) {
    if (cpus.length == 0) {
      throw new IllegalArgumentException("cpus: name at least one CPU");
    }
    for (int c : cpus) {
      if (c < 0) {
        throw new IllegalArgumentException("cpus: CPU ids are non-negative, got " + c);
      }
    }
    int[] copy = Arrays.stream(cpus).distinct().sorted().toArray();
    return new PerfOptions(pages, wakeupEvents, watermarkBytes, copy, lostHandler);
  }

  /**
   * Also tell {@code handler} about each {@code PERF_RECORD_LOST} as it is read, on the reading
   * thread; the counts stay visible in {@link BpfPerfEventArray#lost()} either way.
   */
  public PerfOptions onLost(BpfPerfEventArray.LostHandler handler) {
    return new PerfOptions(pages, wakeupEvents, watermarkBytes, cpus, handler);
  }

  /** Data pages per ring. */
  public int pages() {
    return pages;
  }

  /** Samples per wakeup; 0 when a watermark is set. */
  public int wakeupEvents() {
    return wakeupEvents;
  }

  /** Bytes per wakeup; 0 when {@link #wakeupEvents()} applies. */
  public int watermarkBytes() {
    return watermarkBytes;
  }

  /** The chosen CPUs, ascending; null for every online CPU. A copy. */
  public int @Nullable [] cpus() {
    return cpus == null ? null : cpus.clone();
  }

  /** The lost-sample handler, or null. */
  public BpfPerfEventArray.@Nullable LostHandler lostHandler() {
    return lostHandler;
  }

  @Override
  public String toString() {
    return "PerfOptions[pages=" + pages + (watermarkBytes > 0 ? ", watermarkBytes=" + watermarkBytes
        : ", wakeupEvents=" + wakeupEvents) + ", cpus=" + (cpus == null ? "online" : Arrays.toString(cpus)) + "]";
  }
}
