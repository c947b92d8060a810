package io.github.bpfmaps.micrometer;

import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.maps.BpfKeyedMap;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Binds typed BPF maps and programs to a Micrometer {@link MeterRegistry}.
 *
 * <pre>{@code
 * @BpfMap(type = MapType.ARRAY, maxEntries = 5)
 * record XdpStats(@Tag(value = "action", names = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
 *     "XDP_REDIRECT"}) @Unsigned int key, DataRec value) {}
 * record DataRec(@Counter(value = "xdp.packets") @Unsigned long packets,
 *                @Counter(value = "xdp", baseUnit = "bytes") @Unsigned long bytes) {}
 *
 * try (BpfMeterBinder b = BpfMetrics.bind(registry, XdpStatsMap.bind(obj))) { ... }
 * }</pre>
 */
public final class BpfMetrics {
  private BpfMetrics() {}

  /**
   * Binds {@code map}, whose entry record is found by the generated handle's name ({@code
   * XdpStatsMap} → {@code XdpStats} in the same package), with default options.
   *
   * @throws IllegalArgumentException if the record cannot be found or its annotations make no sense
   * @throws io.github.bpfmaps.errors.BpfException if the map cannot be read
   */
  public static BpfMeterBinder bind(MeterRegistry registry, BpfKeyedMap<?, ?> map) {
    return bind(registry, map, entryRecordOf(map), o -> {});
  }

  /**
   * Binds {@code map} whose entries {@code entryRecord} (the {@code @BpfMap} record: key, value)
   * declares, with options; the map is read once now, then at scrape time.
   *
   * @throws IllegalArgumentException if the annotations make no sense (the message names the component)
   * @throws io.github.bpfmaps.errors.BpfException if the map cannot be read
   */
  public static BpfMeterBinder bind(MeterRegistry registry, BpfKeyedMap<?, ?> map, Class<?> entryRecord,
      Consumer<Options> options) {
    Options o = new Options();
    options.accept(o);
    BpfMeterBinder b = new BpfMeterBinder(map, entryRecord, o);
    try {
      b.bindTo(registry);
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
    return b;
  }

  /**
   * A binder not yet bound, for {@code MeterBinder} users (Spring Boot registers every {@code
   * MeterBinder} bean): call {@link BpfMeterBinder#bindTo} once.
   */
  public static BpfMeterBinder binder(BpfKeyedMap<?, ?> map, Class<?> entryRecord, Consumer<Options> options) {
    Options o = new Options();
    options.accept(o);
    return new BpfMeterBinder(map, entryRecord, o);
  }

  /**
   * Exports the kernel's run count and run time of {@code programs} as the counters {@code
   * bpf.program.runs} and {@code bpf.program.run.time} (seconds), tagged with the program's name and
   * type, and keeps run-time statistics switched on ({@code BPF_ENABLE_STATS}) until the returned
   * binder is closed.
   *
   * @throws io.github.bpfmaps.errors.BpfSyscallException if statistics cannot be switched on
   *     (EPERM without CAP_SYS_ADMIN)
   */
  public static BpfProgramMeters bindPrograms(MeterRegistry registry, Collection<BpfProgram> programs) {
    return new BpfProgramMeters(registry, programs, Duration.ofSeconds(1));
  }

  /** Finds the {@code @BpfMap} record of a generated handle: {@code p.XdpStatsMap} → {@code p.XdpStats}. */
  static Class<?> entryRecordOf(BpfKeyedMap<?, ?> map) {
    String handle = map.getClass().getName();
    if (!handle.endsWith("Map")) {
      throw new IllegalArgumentException("map '" + map.name() + "' has handle " + handle
          + ", not a generated <Record>Map; pass the @BpfMap record to BpfMetrics.bind");
    }
    String base = handle.substring(0, handle.length() - 3);
    int dot = base.lastIndexOf('.');
    String[] candidates = {base, base.substring(0, dot + 1) + base.substring(dot + 1).replace('_', '$')};
    for (String c : candidates) {
      try {
        Class<?> k = Class.forName(c, false, map.getClass().getClassLoader());
        if (RecordModel.isEntryClass(k)) {
          return k;
        }
      } catch (ClassNotFoundException e) {
        // try the next spelling
      }
    }
    throw new IllegalArgumentException("no record " + base + " for the handle " + handle + " of map '"
        + map.name() + "'; pass the @BpfMap record to BpfMetrics.bind");
  }

  /** How a map is exported. */
  public static final class Options {
    String prefix = "";
    int maxSeries = 10_000;
    Duration maxAge = Duration.ofSeconds(1);

    Options() {}

    /**
     * A prefix for every meter name of the map ({@code ebpf_exporter} gives ebpf_exporter's names);
     * empty by default.
     */
    public Options prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /**
     * The most series (distinct tag sets) the map may produce; entries over it are counted in
     * {@code bpfmaps.metrics.dropped.series} instead. 10,000 by default.
     */
    public Options maxSeries(int maxSeries) {
      if (maxSeries < 1) {
        throw new IllegalArgumentException("maxSeries must be at least 1, got " + maxSeries);
      }
      this.maxSeries = maxSeries;
      return this;
    }

    /**
     * How old the snapshot may be before a meter read reads the map again; one second by default
     * (shorter than any scrape interval, longer than one scrape).
     */
    public Options maxAge(Duration maxAge) {
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("maxAge must not be negative, got " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    String name(String meterName) {
      return prefix.isEmpty() ? meterName : prefix + "." + meterName;
    }
  }
}
