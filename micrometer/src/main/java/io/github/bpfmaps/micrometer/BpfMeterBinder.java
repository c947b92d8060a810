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
 * <p><b>Cost of a read.</b> One batch read of the map; for each entry, the counters (and histogram
 * slots) are read straight from the chunk's bytes at their layout offsets (no record is decoded,
 * nothing is boxed), the key is found by its raw bytes in a table that a scrape of an unchanged map
 * reads in the kernel's own order (see {@code KeyTable}), and its series' sums are one flat array.
 * So a scrape allocates nothing for keys it has seen; the tags of a key are decoded and formatted
 * only the first time. On a 100,000-entry hash it costs about as much as the plain batch read
 * (benchmarks/RESULTS.md). Memory: {@code key size + 12} bytes per map entry (bounded by {@code
 * max_entries}), and per series its meters and one slot of sums.
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
  /** Reads the numbers from the chunk's bytes; null: decode each value and call its accessors. */
  private final @Nullable RawValues raw;

  private @Nullable MeterRegistry registry;
  private @Nullable BpfKeyedMap<ChunkPlace, ?> view;
  private final KeyTable keys;
  private final Map<List<String>, Series> series = new HashMap<>();
  /**
   * The series by number, and their sums at the last read: series {@code i} owns {@code
   * sums[i * sumStride]} (the generation of the read that last reset it, so a series is cleared
   * the first time a read reaches it, in the same cache line as its sums) and the {@code values}
   * after it. Flat, so that adding an entry to its series touches one array, not an object and its
   * array; numbers are reused after a series is removed.
   */
  private Series[] byId = new Series[16];
  private double[] sums;
  private final int sumStride;
  private int[] freeIds = new int[16];
  private int freeCount;
  private int nextId;
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
    this.raw = RawValues.of(model, slot, map.valueCodec().byteSize(), perCpu);
    this.keys = new KeyTable(map.spec().keySize());
    this.sumStride = model.values.size() + 1;
    this.sums = new double[16 * sumStride];
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
    BpfKeyedMap<ChunkPlace, ?> v = new BpfKeyedMap(map.fd().dup(), map.spec(), new ChunkPlace(map.spec().keySize()),
        raw != null ? new ChunkPlace(map.valueCodec().byteSize()) : map.valueCodec());
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
    BpfKeyedMap<ChunkPlace, ?> v = view;
    if (v == null || closed) {
      throw new IllegalStateException("binder of map '" + mapName + "' is " + (closed ? "closed" : "not bound"));
    }
    int gen = ++generation;
    if (gen == 0) {
      gen = generation = 1; // 0 is the stamp of a series no read has reset yet
    }
    int g = gen;
    long[] counts = new long[2];
    keys.rewind();
    v.forEachEntry((k, value) -> {
      counts[0]++;
      int slot = keys.find(k.buf, k.offset);
      int id;
      if (slot < 0) {
        slot = keys.insert(slot, g, -1, -1);
        id = resolve(slot);
      } else {
        id = keys.series(slot);
        if (id < 0 && series.size() < options.maxSeries) {
          id = resolve(slot); // refused earlier, and there is room now
        } else {
          keys.set(slot, g, id);
        }
      }
      if (id < 0) {
        counts[1]++;
        return;
      }
      double[] sm = sums;
      int at = id * sumStride;
      if (sm[at] != g) {
        sm[at] = g;
        Arrays.fill(sm, at + 1, at + sumStride, 0);
        if (model.histogram != null) { // the Series object only then: it is a cache miss of its own
          long[] sl = byId[id].slots;
          if (sl != null) {
            Arrays.fill(sl, 0);
          }
        }
      }
      if (value instanceof ChunkPlace va) {
        accumulateRaw(id, keys.bucket(slot), va.buf, va.offset);
      } else {
        accumulate(id, keys.bucket(slot), value);
      }
    });
    entries = counts[0];
    dropped = counts[1];
    keys.retain(gen);
    MeterRegistry r = registry();
    for (int id = 0; id < nextId; id++) {
      Series s = byId[id];
      if (s == null) {
        continue;
      }
      if (sums[id * sumStride] != gen) {
        removeSeries(s, r);
      } else if (s.summary != null) {
        s.recordGrowth(model.histogram);
      }
    }
    reads++;
    lastRead = System.nanoTime();
  }

  /** Takes a series out of the registry and frees its number; its meters keep the last sums. */
  private void removeSeries(Series s, MeterRegistry r) {
    series.remove(s.tagValues);
    s.remove(r);
    s.frozen = Arrays.copyOfRange(sums, s.id * sumStride + 1, (s.id + 1) * sumStride);
    byId[s.id] = null;
    if (freeCount == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, freeCount * 2);
    }
    freeIds[freeCount++] = s.id;
  }

  /** A number for a new series: a freed one, else the next, the arrays grown to hold it. */
  private int newId() {
    if (freeCount > 0) {
      return freeIds[--freeCount];
    }
    int id = nextId++;
    if (id == byId.length) {
      byId = Arrays.copyOf(byId, id * 2);
      sums = Arrays.copyOf(sums, id * 2 * sumStride);
    }
    return id;
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

  /**
   * Decodes the tags of the key in {@code slot} (once per key), finds or creates its series, and
   * stamps the slot with the current read; returns the series number, or -1 if the series limit
   * refused it.
   */
  private int resolve(int slot) {
    byte[] bytes = keys.bytes(slot);
    Object key = null;
    try {
      key = keyCodec.decode(ByteBuffer.wrap(bytes).order(order), 0);
    } catch (BpfValueException e) {
      // An enum number no constant has (the BPF side knows a newer enum): the tags are read from
      // the raw bytes below, as numbers.
    }
    List<String> tagValues = new ArrayList<>(model.tags.size());
    for (RecordModel.TagSpec t : model.tags) {
      tagValues.add(key == null ? rawTag(t, bytes) : tag(t, component(t.accessor, key)));
    }
    if (model.hasBucket()) {
      Object b = key == null ? null
          : model.bucketIsKey ? RecordModel.kotlinUnsignedAsNumber(key)
          : component(model.bucketAccessor, key);
      keys.setBucket(slot, b instanceof Number n ? (int) Math.min(Integer.MAX_VALUE, Math.max(0, n.longValue())) : -1);
    }
    Series s = series.get(tagValues);
    if (s == null) {
      if (series.size() >= options.maxSeries) {
        keys.set(slot, generation, -1);
        return -1;
      }
      int id = newId();
      sums[id * sumStride] = 0; // not reset by any read yet
      s = new Series(id, List.copyOf(tagValues), model, options, registry(), this);
      byId[id] = s;
      series.put(s.tagValues, s);
    }
    keys.set(slot, generation, s.id);
    return s.id;
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

  private void accumulate(int id, int bucket, Object value) {
    if (perCpu) {
      for (Object slot : (List<?>) value) {
        accumulateOne(id, bucket, slot);
      }
    } else {
      accumulateOne(id, bucket, value);
    }
  }

  private void accumulateOne(int id, int bucket, Object value) {
    List<RecordModel.ValueSpec> vs = model.values;
    double[] sm = sums;
    int base = id * sumStride + 1;
    for (int i = 0; i < vs.size(); i++) {
      RecordModel.ValueSpec v = vs.get(i);
      sm[base + i] += number(component(v.accessor, value), v.unsigned);
    }
    RecordModel.HistSpec h = model.histogram;
    long[] slots = byId[id].slots;
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
      int slot = bucket < 0 || bucket >= slots.length ? slots.length - 1 : bucket;
      // an unsigned __u32 count is zero-extended, as RawValues reads it
      slots[slot] += c instanceof Integer i && h.unsigned ? Integer.toUnsignedLong(i) : ((Number) c).longValue();
    }
  }

  /** {@link #accumulate} from the value's bytes in the chunk: no record, no boxing. */
  private void accumulateRaw(int id, int bucket, ByteBuffer b, int base) {
    RawValues rv = raw;
    if (rv == null) {
      throw new IllegalStateException("no raw plan");
    }
    double[] sm = sums;
    int sb = id * sumStride + 1;
    RawValues.Scalar[] fields = rv.values;
    RawValues.Scalar h = rv.histogram;
    long[] slots = h == null ? null : byId[id].slots;
    for (int cpu = 0; cpu < rv.cpus; cpu++) {
      int at = base + cpu * rv.stride;
      for (int i = 0; i < fields.length; i++) {
        sm[sb + i] += fields[i].number(b, at);
      }
      if (h == null || slots == null) {
        continue;
      }
      if (rv.histogramCount > 0) {
        for (int i = 0; i < rv.histogramCount; i++) {
          slots[Math.min(i, slots.length - 1)] += h.bits(b, at + i * h.size);
        }
      } else {
        int slot = bucket < 0 || bucket >= slots.length ? slots.length - 1 : bucket;
        slots[slot] += h.bits(b, at);
      }
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

  /** A meter's number: its series' sum at the last read (the final one for a removed series). */
  private double value(Series s, int at) {
    double[] f = s.frozen;
    return f != null ? f[at] : sums[s.id * sumStride + 1 + at];
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
    Arrays.fill(byId, null);
    BpfKeyedMap<ChunkPlace, ?> v = view;
    if (v != null) {
      v.close();
    }
  }

  /**
   * Not a decoded key or value but where it is: the chunk buffer and offset of the entry being
   * visited, valid only during the callback (the batch walk decodes key and value, then calls back),
   * so that an entry the binder has seen costs no allocation.
   */
  private static final class ChunkPlace implements Codec<ChunkPlace> {
    private final int size;
    ByteBuffer buf = ByteBuffer.allocate(0);
    int offset;

    ChunkPlace(int size) {
      this.size = size;
    }

    @Override
    public int byteSize() {
      return size;
    }

    @Override
    public void encode(ChunkPlace value, ByteBuffer buf, int offset) {
      throw new UnsupportedOperationException("the metrics binder never writes the map");
    }

    @Override
    public ChunkPlace decode(ByteBuffer buf, int offset) {
      this.buf = buf;
      this.offset = offset;
      return this;
    }
  }

  /** One tag set: its accumulated values at the last read and its meters. */
  static final class Series {
    final int id;
    final List<String> tagValues;
    double @Nullable [] frozen; // the sums when the series was removed
    final long @Nullable [] slots;
    final long @Nullable [] recorded;
    final @Nullable Meter summary;
    final @Nullable DoubleConsumer recorder;
    final double @Nullable [] bounds;
    final List<Meter> meters = new ArrayList<>();
    Series(int id, List<String> tagValues, RecordModel model, BpfMetrics.Options options,
        MeterRegistry registry, BpfMeterBinder binder) {
      this.id = id;
      this.tagValues = tagValues;
      List<io.micrometer.core.instrument.Tag> tl = new ArrayList<>();
      for (int i = 0; i < tagValues.size(); i++) {
        tl.add(io.micrometer.core.instrument.Tag.of(model.tags.get(i).name, tagValues.get(i)));
      }
      Tags tags = Tags.of(tl);
      for (int i = 0; i < model.values.size(); i++) {
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
