package io.github.bpfmaps.micrometer;

import io.github.bpfmaps.annotations.metrics.Bucket;
import io.github.bpfmaps.annotations.metrics.Counter;
import io.github.bpfmaps.annotations.metrics.Gauge;
import io.github.bpfmaps.annotations.metrics.Histogram;
import io.github.bpfmaps.annotations.metrics.Tag;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.Layout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the annotations of a map's entry record say: which key components are tags (and how they are
 * written), which one is a histogram slot, which value components are counters, gauges or a
 * histogram. Built once per binder by reflection; the scrape then only calls accessors.
 */
final class RecordModel {
  /** A key component that becomes a tag. */
  static final class TagSpec {
    final String name;
    final @Nullable MethodHandle accessor; // null: the whole key
    final Class<?> type;
    final Tag.Format format;
    final String[] names;
    final Layout.@Nullable Field field; // null: no layout (a primitive key)
    final boolean signed;

    TagSpec(String name, @Nullable MethodHandle accessor, Class<?> type, Tag.Format format,
        String[] names, Layout.@Nullable Field field, boolean signed) {
      this.name = name;
      this.accessor = accessor;
      this.type = type;
      this.format = format;
      this.names = names;
      this.field = field;
      this.signed = signed;
    }
  }

  /** A value component exported as a counter or gauge. */
  static final class ValueSpec {
    final String meterName;
    final String description;
    final String baseUnit;
    final boolean gauge;
    final @Nullable MethodHandle accessor; // null: the whole value
    final boolean unsigned;

    ValueSpec(String meterName, String description, String baseUnit, boolean gauge,
        @Nullable MethodHandle accessor, boolean unsigned) {
      this.meterName = meterName;
      this.description = description;
      this.baseUnit = baseUnit;
      this.gauge = gauge;
      this.accessor = accessor;
      this.unsigned = unsigned;
    }
  }

  /** The histogram: from an array value component, or a scalar count with a {@link Bucket} key. */
  static final class HistSpec {
    final String meterName;
    final String description;
    final String baseUnit;
    final int bucketMin;
    final int bucketMax;
    final double multiplier;
    final @Nullable MethodHandle accessor; // null: the whole value
    final boolean array;
    final boolean unsigned;

    HistSpec(String meterName, String description, String baseUnit, int bucketMin, int bucketMax,
        double multiplier, @Nullable MethodHandle accessor, boolean array, boolean unsigned) {
      this.meterName = meterName;
      this.description = description;
      this.baseUnit = baseUnit;
      this.bucketMin = bucketMin;
      this.bucketMax = bucketMax;
      this.multiplier = multiplier;
      this.accessor = accessor;
      this.array = array;
      this.unsigned = unsigned;
    }

    /** Whether the histogram is a Micrometer Timer: its base unit is seconds. */
    boolean timer() {
      return baseUnit.equals("seconds");
    }

    /** The upper bounds {@code 2^i * multiplier}, {@code i} from {@link #bucketMin} to {@link #bucketMax}. */
    double[] bounds() {
      double[] b = new double[bucketMax - bucketMin + 1];
      for (int i = 0; i < b.length; i++) {
        b[i] = Math.scalb(1.0, bucketMin + i) * multiplier;
      }
      return b;
    }
  }

  final String mapName;
  final List<TagSpec> tags;
  final @Nullable MethodHandle bucketAccessor; // the @Bucket key component; null: none or the whole key
  final boolean bucketIsKey;
  final List<ValueSpec> values;
  final @Nullable HistSpec histogram;

  private RecordModel(String mapName, List<TagSpec> tags, @Nullable MethodHandle bucketAccessor,
      boolean bucketIsKey, List<ValueSpec> values, @Nullable HistSpec histogram) {
    this.mapName = mapName;
    this.tags = List.copyOf(tags);
    this.bucketAccessor = bucketAccessor;
    this.bucketIsKey = bucketIsKey;
    this.values = List.copyOf(values);
    this.histogram = histogram;
  }

  boolean hasBucket() {
    return bucketAccessor != null || bucketIsKey;
  }

  /**
   * Reads the annotations of {@code entry} (the {@code @BpfMap} record: component 0 the key,
   * component 1 the value).
   *
   * @throws IllegalArgumentException naming the record and component when the annotations make no
   *     sense (a histogram on a non-array without a bucket key, two buckets, nothing to export)
   */
  static RecordModel of(Class<?> entry, String mapName, Codec<?> keyCodec, Codec<?> valueSlotCodec) {
    if (!entry.isRecord()) {
      throw new IllegalArgumentException(entry.getName() + " is not a record; bind the map with the"
          + " @BpfMap record that declares it");
    }
    RecordComponent[] rc = entry.getRecordComponents();
    if (rc.length != 2) {
      throw new IllegalArgumentException("[BpfMetrics] " + entry.getSimpleName() + " has " + rc.length
          + " components; metrics need a keyed map (key, value)");
    }
    String where = entry.getSimpleName();
    List<TagSpec> tags = new ArrayList<>();
    MethodHandle bucket = null;
    boolean bucketIsKey = false;
    RecordComponent key = rc[0];
    if (key.getType().isRecord()) {
      Layout layout = keyCodec.layout();
      for (RecordComponent c : key.getType().getRecordComponents()) {
        Layout.Field f = field(layout, c.getName());
        if (c.isAnnotationPresent(Bucket.class)) {
          if (bucket != null) {
            throw new IllegalArgumentException("[BpfMetrics] " + key.getType().getSimpleName() + "." + c.getName()
                + ": a second @Bucket component; a key has one slot number");
          }
          bucket = accessor(c);
        }
        Tag t = c.getAnnotation(Tag.class);
        if (t != null) {
          tags.add(new TagSpec(t.value().isEmpty() ? c.getName() : t.value(), accessor(c), c.getType(),
              t.format(), t.names(), f, f == null ? true : f.signed()));
        }
      }
    } else {
      if (key.isAnnotationPresent(Bucket.class)) {
        bucketIsKey = true;
      }
      Tag t = key.getAnnotation(Tag.class);
      if (t != null) {
        tags.add(new TagSpec(t.value().isEmpty() ? key.getName() : t.value(), null, key.getType(),
            t.format(), t.names(), null, !unsignedCodec(keyCodec)));
      }
    }

    List<ValueSpec> values = new ArrayList<>();
    HistSpec hist = null;
    RecordComponent value = rc[1];
    List<Member> members = new ArrayList<>();
    if (value.getType().isRecord()) {
      Layout layout = valueSlotCodec.layout();
      for (RecordComponent c : value.getType().getRecordComponents()) {
        Layout.Field f = field(layout, c.getName());
        members.add(new Member(c, c.getName(), c.getType(), accessor(c), f == null || !f.signed()));
      }
    } else {
      members.add(new Member(value, value.getName(), value.getType(), null, unsignedCodec(valueSlotCodec)));
    }
    for (Member m : members) {
      Counter counter = m.element.getAnnotation(Counter.class);
      Gauge gauge = m.element.getAnnotation(Gauge.class);
      Histogram h = m.element.getAnnotation(Histogram.class);
      String defaultName = mapName + "." + m.name;
      if (counter != null) {
        values.add(new ValueSpec(orElse(counter.value(), defaultName), counter.description(),
            counter.baseUnit(), false, m.accessor, m.unsigned));
      }
      if (gauge != null) {
        values.add(new ValueSpec(orElse(gauge.value(), defaultName), gauge.description(),
            gauge.baseUnit(), true, m.accessor, m.unsigned));
      }
      if (h != null) {
        if (hist != null) {
          throw new IllegalArgumentException("[BpfMetrics] " + where + "." + m.name
              + ": a second @Histogram; a map has one histogram");
        }
        boolean array = m.type == long[].class || m.type == int[].class;
        boolean scalar = m.type == long.class || m.type == int.class || m.type == Long.class
            || m.type == Integer.class;
        if (!array && !scalar) {
          throw new IllegalArgumentException("[BpfMetrics] " + where + "." + m.name
              + ": @Histogram needs a long[] or int[] of slot counts, or a long count with a @Bucket key"
              + " component; it is " + m.type.getSimpleName());
        }
        boolean hasBucket = bucket != null || bucketIsKey;
        if (scalar && !hasBucket) {
          throw new IllegalArgumentException("[BpfMetrics] " + where + "." + m.name
              + ": @Histogram on a single count needs a key component marked @Bucket holding the slot;"
              + " or make the value a @Size(n) long[] of slots");
        }
        if (array && hasBucket) {
          throw new IllegalArgumentException("[BpfMetrics] " + where + "." + m.name
              + ": @Histogram on an array of slots, but the key also has a @Bucket; use one or the other");
        }
        int max = h.bucketMax();
        if (max < 0) {
          Layout.Field f = field(valueSlotCodec.layout(), m.name);
          max = array && f != null ? f.count() - 1 : 63;
          if (array && f == null) {
            max = valueSlotCodec.byteSize() / (m.type == long[].class ? 8 : 4) - 1;
          }
        }
        if (h.bucketMin() < 0 || max < h.bucketMin() || max > 1023) {
          throw new IllegalArgumentException("[BpfMetrics] " + where + "." + m.name + ": buckets "
              + h.bucketMin() + ".." + max + " are not a range of slots 0..1023");
        }
        hist = new HistSpec(orElse(h.value(), mapName), h.description(), h.baseUnit(), h.bucketMin(),
            max, h.multiplier(), m.accessor, array, m.unsigned);
      }
    }
    if (hist != null && !hist.timer()) {
      for (double b : hist.bounds()) {
        if (b != Math.rint(b)) {
          throw new IllegalArgumentException("[BpfMetrics] " + where + ": @Histogram bound " + b
              + " is not a whole number; Micrometer's histograms count whole numbers, so fractional"
              + " bounds need baseUnit = \"seconds\" (exported through a Timer) or a larger multiplier");
        }
      }
    }
    if (values.isEmpty() && hist == null) {
      throw new IllegalArgumentException("[BpfMetrics] " + where + ": no value component is marked"
          + " @Counter, @Gauge or @Histogram, so the map has nothing to export");
    }
    if (hist == null && (bucket != null || bucketIsKey)) {
      throw new IllegalArgumentException("[BpfMetrics] " + where + ": the key has a @Bucket but no"
          + " value component is a @Histogram");
    }
    return new RecordModel(mapName, tags, bucket, bucketIsKey, values, hist);
  }

  private record Member(AnnotatedElement element, String name, Class<?> type,
      @Nullable MethodHandle accessor, boolean unsigned) {}

  private static String orElse(String s, String fallback) {
    return s.isEmpty() ? fallback : s;
  }

  private static Layout.@Nullable Field field(@Nullable Layout layout, String name) {
    if (layout == null) {
      return null;
    }
    for (Layout.Field f : layout.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** The primitive codecs know their signedness; a raw or record codec is treated as unsigned. */
  private static boolean unsignedCodec(Codec<?> c) {
    return !(c == Codecs.I8 || c == Codecs.I16 || c == Codecs.I32 || c == Codecs.I64
        || c == Codecs.F32 || c == Codecs.F64);
  }

  /** The accessor as {@code (Object) -> Object}; records need not be public. */
  private static MethodHandle accessor(RecordComponent c) {
    Method m = c.getAccessor();
    try {
      m.setAccessible(true);
    } catch (RuntimeException e) {
      // a public accessor of an exported package needs no access check
    }
    try {
      return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("[BpfMetrics] cannot read " + c.getDeclaringRecord().getName()
          + "." + c.getName() + ": " + e.getMessage() + "; make the record public or open its package", e);
    }
  }
}
