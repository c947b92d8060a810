package io.github.bpfmaps.micrometer;

import io.github.bpfmaps.annotations.metrics.Tag;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.maps.BpfKeyedMap;
import io.github.bpfmaps.runtime.maps.BpfPerCpuArrayMap;
import io.github.bpfmaps.runtime.maps.BpfPerCpuHashMap;
import io.github.bpfmaps.spec.Layout;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One map's meters: the counters, gauges and histogram its record's annotations declare, one series
 * per distinct tag set, read from the map at scrape time.
 *
 * <p><b>When the map is read.</b> Never in the background: the first meter read after the snapshot
 * is older than {@link BpfMetrics.Options#maxAge} (one second by default) reads the whole map with
 * {@code BPF_MAP_LOOKUP_BATCH}, one system call per chunk of up to 4096 entries, and every meter of
 * the scrape then answers from that one snapshot. The {@code bpfmaps.metrics.entries} gauge is
 * registered first, so a Prometheus scrape reads the map before any of the series; {@link
 * #refresh()} reads it now, for registries that do not read meters in registration order.
 *
 * <p><b>Cost of a read.</b> One batch read of the map (with decoded values), one hash lookup per
 * entry on the key's raw bytes; the tags of a key are formatted only the first time the key is
 * seen. Memory: one small object per map entry (bounded by {@code max_entries}) and one per series.
 *
 * <p><b>Series.</b> Key components without {@code @Tag} are summed away; per-CPU values are summed
 * over the CPUs. A key that disappears from the map takes its series away (its meters are removed
 * from the registry) once no other key has its tags. At most {@link BpfMetrics.Options#maxSeries}
 * series exist: entries over the limit are not exported and counted in the gauge {@code
 * bpfmaps.metrics.dropped.series} (Prometheus {@code bpfmaps_metrics_dropped_series{map=...}}), so
 * memory never grows with a runaway key space.
 *
 * <p><b>Histograms</b> are Micrometer {@code DistributionSummary}s whose service-level objectives are
 * the {@code 2^i * multiplier} bounds; each read records the slots' growth since the previous one
 * (at the slot's upper bound), so the exported bucket counts equal the map's and the cost of a read
 * grows with the number of new events (one Micrometer {@code record} call each). A slot that shrinks (the map was cleared)
 * counts as a reset: its new count is recorded again.
 *
 * <p>{@link #close()} removes every meter and closes the binder's fd of the map (the map handle stays
 * the caller's). Thread-safe: reads are serialized on the binder.
 */
public final class BpfMeterBinder implements MeterBinder, AutoCloseable {
  private final BpfKeyedMap<?, ?> map;
  private final RecordModel model;
  private final BpfMetrics.Options options;
  private final String mapName;
  private final Codec<?> keyCodec;
  private final boolean perCpu;
  private final ByteOrder order = ByteOrder.nativeOrder();

  private @Nullable MeterRegistry registry;
  private @Nullable BpfKeyedMap<KeyRef, ?> view;
  private final KeyRef probe;
  private final Map<KeyRef, KeyRef> keys = new HashMap<>();
  private final Map<List<String>, Series> series = new HashMap<>();
  private final List<Meter> ownMeters = new ArrayList<>();
  private int generation;
  private long lastRead = Long.MIN_VALUE;
  private long entries;
  private long dropped;
  private long reads;
  private @Nullable RuntimeException lastError;
  private boolean closed;

  BpfMeterBinder(BpfKeyedMap<?, ?> map, Class<?> entryRecord, BpfMetrics.Options options) {
    this.map = map;
    this.options = options;
    this.mapName = map.name();
    this.keyCodec = map.keyCodec();
    this.perCpu = map instanceof BpfPerCpuHashMap || map instanceof BpfPerCpuArrayMap;
    Codec<?> slot = map instanceof BpfPerCpuHashMap<?, ?> h ? h.slotCodec()
        : map instanceof BpfPerCpuArrayMap<?> a ? a.slotCodec() : map.valueCodec();
    this.model = RecordModel.of(entryRecord, mapName, keyCodec, slot);
    this.probe = new KeyRef(new byte[map.spec().keySize()]);
  }

  /**
   * Registers this map's meters with {@code registry} (and reads the map once, so the series exist
   * before the first scrape). A binder binds to one registry.
   *
   * @throws IllegalStateException if already bound or closed
   * @throws BpfException if the map cannot be read
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (closed || this.registry != null) {
      throw new IllegalStateException("binder of map '" + mapName + "' is " + (closed ? "closed" : "already bound"));
    }
    this.registry = registry;
    Tags mapTag = Tags.of("map", mapName);
    // Registered first: a registry that reads meters in order reads the map before the series.
    ownMeters.add(Gauge.builder("bpfmaps.metrics.entries", this, b -> b.readIfStale().entries)
        .description("Entries of the map at the last read").tags(mapTag).strongReference(true)
        .register(registry));
    ownMeters.add(Gauge.builder("bpfmaps.metrics.dropped.series", this, b -> b.readIfStale().dropped)
        .description("Map entries not exported at the last read because their tag set was over the"
            + " series limit (" + options.maxSeries + ")")
        .tags(mapTag).strongReference(true).register(registry));
    ownMeters.add(FunctionCounter.builder("bpfmaps.metrics.reads", this, b -> b.reads)
        .description("Batch reads of the map by the metrics binder").tags(mapTag).register(registry));
    @SuppressWarnings({"unchecked", "rawtypes"})
    BpfKeyedMap<KeyRef, ?> v = new BpfKeyedMap(map.fd().dup(), map.spec(), new RawKeyCodec(), map.valueCodec());
    this.view = v;
    refresh();
  }

  /** The map's name. */
  public String mapName() {
    return mapName;
  }

  /** How many series (distinct tag sets) exist now. */
  public synchronized int seriesCount() {
    return series.size();
  }

  /** Map entries not exported at the last read because of the series limit. */
  public synchronized long droppedEntries() {
    return dropped;
  }

  /**
   * Reads the map now (one batch read) and updates every series. Normally not needed: meters read
   * the map when their snapshot is stale.
   *
   * @throws BpfException if the map cannot be read
   * @throws IllegalStateException if not bound or closed
   */
  public synchronized void refresh() {
    BpfKeyedMap<KeyRef, ?> v = view;
    if (v == null || closed) {
      throw new IllegalStateException("binder of map '" + mapName + "' is " + (closed ? "closed" : "not bound"));
    }
    int gen = ++generation;
    long[] counts = new long[2];
    v.forEachEntry((k, value) -> {
      counts[0]++;
      KeyRef ref = keys.get(k);
      if (ref == null) {
        ref = new KeyRef(k.bytes.clone());
        keys.put(ref, ref);
        resolve(ref);
      } else if (ref.series == null && series.size() < options.maxSeries) {
        resolve(ref); // refused earlier, and there is room now
      }
      ref.generation = gen;
      Series s = ref.series;
      if (s == null) {
        counts[1]++;
        return;
      }
      if (s.generation != gen) {
        s.generation = gen;
        Arrays.fill(s.values, 0);
        if (s.slots != null) {
          Arrays.fill(s.slots, 0);
        }
      }
      accumulate(s, ref, value);
    });
    entries = counts[0];
    dropped = counts[1];
    keys.values().removeIf(r -> r.generation != gen);
    for (Iterator<Series> it = series.values().iterator(); it.hasNext(); ) {
      Series s = it.next();
      if (s.generation != gen) {
        it.remove();
        s.remove(registry());
      } else if (s.summary != null) {
        s.recordGrowth(model.histogram);
      }
    }
    reads++;
    lastRead = System.nanoTime();
  }

  /** The snapshot, read again if older than the configured age; a failed read keeps the last one. */
  private BpfMeterBinder readIfStale() {
    synchronized (this) {
      if (closed || view == null) {
        return this;
      }
      if (System.nanoTime() - lastRead >= options.maxAge.toNanos()) {
        try {
          refresh();
          lastError = null;
        } catch (RuntimeException e) {
          // A scrape must not fail as a whole because one map could not be read; the entries
          // gauge keeps the last value and lastError() says why.
          lastError = e;
          lastRead = System.nanoTime();
        }
      }
      return this;
    }
  }

  /** The error of the last failed read at scrape time, null if it succeeded. */
  public synchronized @Nullable RuntimeException lastError() {
    return lastError;
  }

  private MeterRegistry registry() {
    MeterRegistry r = registry;
    if (r == null) {
      throw new IllegalStateException("not bound");
    }
    return r;
  }

  /** Decodes the key's tags (once per key) and finds or creates its series. */
  private void resolve(KeyRef ref) {
    Object key = null;
    try {
      key = keyCodec.decode(ByteBuffer.wrap(ref.bytes).order(order), 0);
    } catch (BpfValueException e) {
      // An enum number no constant has (the BPF side knows a newer enum): the tags are read from
      // the raw bytes below, as numbers.
    }
    List<String> tagValues = new ArrayList<>(model.tags.size());
    for (RecordModel.TagSpec t : model.tags) {
      tagValues.add(key == null ? rawTag(t, ref.bytes) : tag(t, component(t.accessor, key)));
    }
    if (model.hasBucket()) {
      Object b = key == null ? null
          : model.bucketIsKey ? RecordModel.kotlinUnsignedAsNumber(key)
          : component(model.bucketAccessor, key);
      ref.slot = b instanceof Number n ? (int) Math.min(Integer.MAX_VALUE, Math.max(0, n.longValue())) : -1;
    }
    Series s = series.get(tagValues);
    if (s == null) {
      if (series.size() >= options.maxSeries) {
        ref.series = null;
        return;
      }
      s = new Series(tagValues, model, options, registry(), this);
      series.put(List.copyOf(tagValues), s);
    }
    ref.series = s;
  }

  private static Object component(java.lang.invoke.@Nullable MethodHandle accessor, Object owner) {
    if (accessor == null) {
      return RecordModel.kotlinUnsignedAsNumber(owner);
    }
    try {
      return (Object) accessor.invokeExact(owner);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private String tag(RecordModel.TagSpec t, Object v) {
    if (v instanceof Enum<?> e) {
      return e.name();
    }
    if (v instanceof String s) {
      return TagFormats.printable(s);
    }
    if (v instanceof byte[] b) {
      return t.format == Tag.Format.HEX ? TagFormats.hex(b) : TagFormats.ip(b);
    }
    if (v instanceof Boolean || v instanceof Float || v instanceof Double) {
      return v.toString();
    }
    if (v instanceof Number n) {
      int width = t.field != null ? t.field.elementSize() : width(v);
      return TagFormats.number(n.longValue(), width, t.signed, format(t, width), t.names);
    }
    return String.valueOf(v);
  }

  private static int width(Object v) {
    return v instanceof Byte ? 1 : v instanceof Short ? 2 : v instanceof Integer ? 4 : 8;
  }

  /** A tag read from the key's bytes when the key could not be decoded: the field as a number. */
  private String rawTag(RecordModel.TagSpec t, byte[] bytes) {
    Layout.Field f = t.field;
    if (f == null || f.kind() == Layout.Kind.STRING || f.kind() == Layout.Kind.STRUCT || f.count() > 0
        || f.elementSize() > 8) {
      return TagFormats.hex(f == null ? bytes : Arrays.copyOfRange(bytes, f.offset(), f.offset() + f.byteSize()));
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(f.networkOrder() ? ByteOrder.BIG_ENDIAN : order);
    long v;
    switch (f.elementSize()) {
      case 1: v = b.get(f.offset()); break;
      case 2: v = b.getShort(f.offset()); break;
      case 4: v = b.getInt(f.offset()); break;
      default: v = b.getLong(f.offset()); break;
    }
    return TagFormats.number(v, f.elementSize(), f.signed(), format(t, f.elementSize()), t.names);
  }

  /** {@code AUTO} on a 4-byte {@code @NetworkOrder} integer is an IPv4 address (saddr, daddr). */
  private static Tag.Format format(RecordModel.TagSpec t, int width) {
    if (t.format == Tag.Format.AUTO && t.field != null && t.field.networkOrder() && width == 4) {
      return Tag.Format.IPV4;
    }
    return t.format;
  }

  private void accumulate(Series s, KeyRef ref, Object value) {
    if (perCpu) {
      for (Object slot : (List<?>) value) {
        accumulateOne(s, ref, slot);
      }
    } else {
      accumulateOne(s, ref, value);
    }
  }

  private void accumulateOne(Series s, KeyRef ref, Object value) {
    List<RecordModel.ValueSpec> vs = model.values;
    for (int i = 0; i < vs.size(); i++) {
      RecordModel.ValueSpec v = vs.get(i);
      s.values[i] += number(component(v.accessor, value), v.unsigned);
    }
    RecordModel.HistSpec h = model.histogram;
    long[] slots = s.slots;
    if (h == null || slots == null) {
      return;
    }
    Object c = component(h.accessor, value);
    if (h.array) {
      if (c instanceof long[] a) {
        for (int i = 0; i < a.length; i++) {
          slots[Math.min(i, slots.length - 1)] += a[i];
        }
      } else if (c instanceof int[] a) {
        for (int i = 0; i < a.length; i++) {
          slots[Math.min(i, slots.length - 1)] += h.unsigned ? Integer.toUnsignedLong(a[i]) : a[i];
        }
      }
    } else {
      // a slot past bucketMax, or one that could not be decoded, counts in +Inf only
      int slot = ref.slot < 0 || ref.slot >= slots.length ? slots.length - 1 : ref.slot;
      slots[slot] += ((Number) c).longValue();
    }
  }

  private static double number(Object v, boolean unsigned) {
    if (v instanceof Long l) {
      long x = l;
      return unsigned && x < 0 ? (double) (x >>> 1) * 2.0 + (x & 1) : x;
    }
    if (v instanceof Integer i) {
      return unsigned ? Integer.toUnsignedLong(i) : i;
    }
    if (v instanceof Short s) {
      return unsigned ? Short.toUnsignedInt(s) : s;
    }
    if (v instanceof Byte b) {
      return unsigned ? Byte.toUnsignedInt(b) : b;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return Double.NaN;
  }

  private double value(Series s, int at) {
    return s.values[at];
  }

  /** Removes every meter of this map from the registry and closes the binder's fd. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    MeterRegistry r = registry;
    if (r != null) {
      for (Series s : series.values()) {
        s.remove(r);
      }
      for (Meter m : ownMeters) {
        r.remove(m);
      }
    }
    series.clear();
    keys.clear();
    BpfKeyedMap<KeyRef, ?> v = view;
    if (v != null) {
      v.close();
    }
  }

  /** A key's raw bytes, with the tags and series it resolved to. */
  static final class KeyRef {
    final byte[] bytes;
    int hash;
    int generation;
    int slot = -1;
    @Nullable Series series;

    KeyRef(byte[] bytes) {
      this.bytes = bytes;
      this.hash = hash(bytes);
    }

    /**
     * FNV-1a over the bytes, then a 64-bit finalizer: {@link Arrays#hashCode(byte[])} of short keys
     * that differ in a few bytes (an address and a port) collides so often that HashMap's tree bins
     * made a scrape of 100,000 keys several times slower than the batch read itself.
     */
    static int hash(byte[] b) {
      long h = 0xcbf29ce484222325L;
      for (byte x : b) {
        h = (h ^ (x & 0xff)) * 0x100000001b3L;
      }
      h ^= h >>> 33;
      h *= 0xff51afd7ed558ccdL;
      h ^= h >>> 33;
      return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof KeyRef k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Copies each key into the binder's probe: no allocation for keys already known. */
  private final class RawKeyCodec implements Codec<KeyRef> {
    @Override
    public int byteSize() {
      return probe.bytes.length;
    }

    @Override
    public void encode(KeyRef value, ByteBuffer buf, int offset) {
      buf.put(offset, value.bytes);
    }

    @Override
    public KeyRef decode(ByteBuffer buf, int offset) {
      buf.get(offset, probe.bytes);
      probe.hash = KeyRef.hash(probe.bytes);
      return probe;
    }
  }

  /** One tag set: its accumulated values at the last read and its meters. */
  static final class Series {
    final double[] values;
    final long @Nullable [] slots;
    final long @Nullable [] recorded;
    final @Nullable Meter summary;
    final @Nullable DoubleConsumer recorder;
    final double @Nullable [] bounds;
    final List<Meter> meters = new ArrayList<>();
    int generation;

    Series(List<String> tagValues, RecordModel model, BpfMetrics.Options options, MeterRegistry registry,
        BpfMeterBinder binder) {
      List<io.micrometer.core.instrument.Tag> tl = new ArrayList<>();
      for (int i = 0; i < tagValues.size(); i++) {
        tl.add(io.micrometer.core.instrument.Tag.of(model.tags.get(i).name, tagValues.get(i)));
      }
      Tags tags = Tags.of(tl);
      values = new double[model.values.size()];
      for (int i = 0; i < values.length; i++) {
        RecordModel.ValueSpec v = model.values.get(i);
        int at = i;
        String name = options.name(v.meterName);
        if (v.gauge) {
          Gauge.Builder<Series> b = Gauge.builder(name, this, s -> binder.readIfStale().value(s, at))
              .tags(tags).strongReference(true);
          meters.add(describe(b, v.description, v.baseUnit).register(registry));
        } else {
          FunctionCounter.Builder<Series> b = FunctionCounter.builder(name, this,
              s -> binder.readIfStale().value(s, at)).tags(tags);
          if (!v.description.isEmpty()) {
            b.description(v.description);
          }
          if (!v.baseUnit.isEmpty()) {
            b.baseUnit(v.baseUnit);
          }
          meters.add(b.register(registry));
        }
      }
      RecordModel.HistSpec h = model.histogram;
      if (h != null) {
        bounds = h.bounds();
        // one slot per bucket, plus one for "above bucketMax" (counted in +Inf only)
        slots = new long[h.bucketMax + 2];
        recorded = new long[slots.length];
        String name = options.name(h.meterName);
        if (h.timer()) {
          // Micrometer's histograms count whole numbers (a summary records ceil(value)), so
          // sub-unit bounds (microseconds in seconds) are kept as a Timer's nanoseconds, which
          // Prometheus and OTLP export in seconds: 2^i µs is an exact number of nanoseconds.
          Duration[] slo = new Duration[bounds.length];
          for (int i = 0; i < bounds.length; i++) {
            slo[i] = Duration.ofNanos(Math.round(bounds[i] * 1e9));
          }
          Timer.Builder b = Timer.builder(name).tags(tags).serviceLevelObjectives(slo)
              .publishPercentileHistogram(false).minimumExpectedValue(slo[0])
              .maximumExpectedValue(slo[slo.length - 1].multipliedBy(2));
          if (!h.description.isEmpty()) {
            b.description(h.description);
          }
          Timer t = b.register(registry);
          summary = t;
          recorder = v -> t.record(Math.round(v * 1e9), TimeUnit.NANOSECONDS);
        } else {
          DistributionSummary.Builder b = DistributionSummary.builder(name)
              .tags(tags).serviceLevelObjectives(bounds).publishPercentileHistogram(false)
              // Micrometer clamps recorded values into [minimum, maximum] expected (1.0 by default).
              .minimumExpectedValue(bounds[0]).maximumExpectedValue(bounds[bounds.length - 1] * 2);
          if (!h.description.isEmpty()) {
            b.description(h.description);
          }
          if (!h.baseUnit.isEmpty()) {
            b.baseUnit(h.baseUnit);
          }
          DistributionSummary d = b.register(registry);
          summary = d;
          recorder = d::record;
        }
        meters.add(summary);
      } else {
        bounds = null;
        slots = null;
        recorded = null;
        summary = null;
        recorder = null;
      }
    }

    private static Gauge.Builder<Series> describe(Gauge.Builder<Series> b, String description, String unit) {
      if (!description.isEmpty()) {
        b.description(description);
      }
      if (!unit.isEmpty()) {
        b.baseUnit(unit);
      }
      return b;
    }

    /** Records each slot's growth since the last read at the slot's upper bound. */
    void recordGrowth(RecordModel.@Nullable HistSpec h) {
      long[] sl = slots;
      long[] rec = recorded;
      double[] bd = bounds;
      DoubleConsumer sum = recorder;
      if (h == null || sl == null || rec == null || bd == null || sum == null) {
        return;
      }
      for (int i = 0; i < sl.length; i++) {
        long grow = sl[i] >= rec[i] ? sl[i] - rec[i] : sl[i]; // shrunk: the map was reset
        if (grow == 0) {
          continue;
        }
        double at = i > h.bucketMax ? bd[bd.length - 1] * 2 : bd[Math.max(0, i - h.bucketMin)];
        for (long n = 0; n < grow; n++) {
          sum.accept(at);
        }
        rec[i] = sl[i];
      }
    }

    void remove(MeterRegistry registry) {
      for (Meter m : meters) {
        registry.remove(m);
      }
      meters.clear();
    }
  }

  @Override
  public String toString() {
    return "BpfMeterBinder[" + mapName + ", " + series.size() + " series]";
  }

}
