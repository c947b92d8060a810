package io.github.bpfmaps.micrometer;

import io.github.bpfmaps.annotations.metrics.Bucket;
import io.github.bpfmaps.annotations.metrics.Counter;
import io.github.bpfmaps.annotations.metrics.Gauge;
import io.github.bpfmaps.annotations.metrics.Histogram;
import io.github.bpfmaps.annotations.metrics.Tag;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.spec.Layout;
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
    if (!isEntryClass(entry)) {
      throw new IllegalArgumentException(entry.getName() + " is neither a record nor a Kotlin data class;"
          + " bind the map with the @BpfMap class that declares it");
    }
    List<Part> rc = parts(entry);
    if (rc.size() != 2) {
      throw new IllegalArgumentException("[BpfMetrics] " + entry.getSimpleName() + " has " + rc.size()
          + " components; metrics need a keyed map (key, value)");
    }
    String where = entry.getSimpleName();
    List<TagSpec> tags = new ArrayList<>();
    MethodHandle bucket = null;
    boolean bucketIsKey = false;
    Part key = rc.get(0);
    if (isEntryClass(key.type())) {
      Layout layout = keyCodec.layout();
      List<Part> kp = parts(key.type());
      for (int i = 0; i < kp.size(); i++) {
        Part c = kp.get(i);
        Layout.Field f = field(layout, i);
        if (c.element().isAnnotationPresent(Bucket.class)) {
          if (bucket != null) {
            throw new IllegalArgumentException("[BpfMetrics] " + key.type().getSimpleName() + "." + c.name()
                + ": a second @Bucket component; a key has one slot number");
          }
          bucket = c.accessor();
        }
        Tag t = c.element().getAnnotation(Tag.class);
        if (t != null) {
          tags.add(new TagSpec(t.value().isEmpty() ? c.name() : t.value(), c.accessor(), c.type(),
              t.format(), t.names(), f, f == null ? true : f.signed()));
        }
      }
    } else {
      if (key.element().isAnnotationPresent(Bucket.class)) {
        bucketIsKey = true;
      }
      Tag t = key.element().getAnnotation(Tag.class);
      if (t != null) {
        tags.add(new TagSpec(t.value().isEmpty() ? key.name() : t.value(), null, key.type(),
            t.format(), t.names(), null, !unsignedCodec(keyCodec)));
      }
    }

    List<ValueSpec> values = new ArrayList<>();
    HistSpec hist = null;
    Part value = rc.get(1);
    List<Member> members = new ArrayList<>();
    Layout valueLayout = valueSlotCodec.layout();
    if (isEntryClass(value.type())) {
      List<Part> vp = parts(value.type());
      for (int i = 0; i < vp.size(); i++) {
        Part c = vp.get(i);
        Layout.Field f = field(valueLayout, i);
        members.add(new Member(c.element(), c.name(), c.type(), c.accessor(), f == null || !f.signed(), f));
      }
    } else {
      members.add(new Member(value.element(), value.name(), value.type(), null, unsignedCodec(valueSlotCodec), null));
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
          Layout.Field f = m.field;
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
      @Nullable MethodHandle accessor, boolean unsigned, Layout.@Nullable Field field) {}

  /** A component: where its annotations are, its name, type and accessor. */
  private record Part(AnnotatedElement element, String name, Class<?> type, MethodHandle accessor) {}

  /** A Java record, or a Kotlin data class (component1 … componentN, the primary constructor). */
  static boolean isEntryClass(Class<?> c) {
    return c.isRecord() || componentCount(c) > 0;
  }

  private static int componentCount(Class<?> c) {
    int n = 0;
    while (componentMethod(c, n + 1) != null) {
      n++;
    }
    return n;
  }

  /**
   * {@code componentN()} of a Kotlin data class, or null. A property of a value class (UInt,
   * ULong ...) has a mangled one, {@code component1-pVg5ArA()}, returning the underlying
   * primitive (the raw bits of the unsigned value).
   */
  private static @Nullable Method componentMethod(Class<?> c, int n) {
    try {
      return c.getMethod("component" + n);
    } catch (NoSuchMethodException e) {
      String mangled = "component" + n + "-";
      for (Method m : c.getMethods()) {
        if (m.getName().startsWith(mangled) && m.getParameterCount() == 0) {
          return m;
        }
      }
      return null;
    }
  }

  /**
   * A whole key or value of Kotlin's UByte..ULong (a {@code kotlin.UInt} box, not a
   * {@link Number}) as the Java number of the same bits, so that it is counted and tagged as the
   * unsigned number it is; any other value unchanged. Its {@code toString} is the unsigned decimal.
   */
  static Object kotlinUnsignedAsNumber(Object v) {
    switch (v.getClass().getName()) {
      case "kotlin.UByte": return (byte) Integer.parseInt(v.toString());
      case "kotlin.UShort": return (short) Integer.parseInt(v.toString());
      case "kotlin.UInt": return Integer.parseUnsignedInt(v.toString());
      case "kotlin.ULong": return Long.parseUnsignedLong(v.toString());
      default: return v;
    }
  }

  /**
   * The components in declaration order. For a Kotlin data class the annotations are on the
   * primary constructor's parameters (Kotlin's default target for an annotation on a {@code val}
   * parameter when PARAMETER is allowed), the accessors are {@code componentN()}, and the names come
   * from the properties' getters where they can be matched, else {@code componentN}.
   */
  private static List<Part> parts(Class<?> c) {
    List<Part> out = new ArrayList<>();
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        out.add(new Part(rc, rc.getName(), rc.getType(), accessor(rc.getAccessor(), c.getName() + "." + rc.getName())));
      }
      return out;
    }
    int n = componentCount(c);
    Method[] comps = new Method[n];
    Class<?>[] types = new Class<?>[n];
    for (int i = 0; i < n; i++) {
      comps[i] = java.util.Objects.requireNonNull(componentMethod(c, i + 1));
      types[i] = comps[i].getReturnType();
    }
    java.lang.reflect.Constructor<?> ctor;
    try {
      ctor = markerConstructor(c, types);
      if (ctor == null) {
        ctor = c.getDeclaredConstructor(types);
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("[BpfMetrics] " + c.getName() + " has component1..component" + n
          + " but no constructor taking them; is it a Kotlin data class?", e);
    }
    java.lang.reflect.Parameter[] params = ctor.getParameters();
    for (int i = 0; i < n; i++) {
      String name = params[i].isNamePresent() ? params[i].getName() : "component" + (i + 1);
      out.add(new Part(params[i], name, types[i], accessor(comps[i], c.getName() + "." + name)));
    }
    return out;
  }

  /**
   * The public synthetic twin {@code (types..., DefaultConstructorMarker)} Kotlin adds beside the
   * private primary constructor of a class with value-class (UInt ...) properties, or null. The
   * property annotations are readable through its parameters; the private constructor's show none
   * to reflection.
   */
  private static java.lang.reflect.@Nullable Constructor<?> markerConstructor(Class<?> c, Class<?>[] types) {
    for (java.lang.reflect.Constructor<?> k : c.getDeclaredConstructors()) {
      Class<?>[] p = k.getParameterTypes();
      if (p.length == types.length + 1
          && p[types.length].getName().equals("kotlin.jvm.internal.DefaultConstructorMarker")
          && java.util.Arrays.equals(types, java.util.Arrays.copyOf(p, types.length))) {
        return k;
      }
    }
    return null;
  }

  private static String orElse(String s, String fallback) {
    return s.isEmpty() ? fallback : s;
  }

  /** The layout's i-th member: members are in declaration order, as the components are. */
  private static Layout.@Nullable Field field(@Nullable Layout layout, int i) {
    return layout == null || i >= layout.fields().size() ? null : layout.fields().get(i);
  }

  /** The primitive codecs know their signedness; a raw or record codec is treated as unsigned. */
  private static boolean unsignedCodec(Codec<?> c) {
    return !(c == Codecs.I8 || c == Codecs.I16 || c == Codecs.I32 || c == Codecs.I64
        || c == Codecs.F32 || c == Codecs.F64);
  }

  /** The accessor as {@code (Object) -> Object}; records need not be public. */
  private static MethodHandle accessor(Method m, String what) {
    try {
      m.setAccessible(true);
    } catch (RuntimeException e) {
      // a public accessor of an exported package needs no access check
    }
    try {
      return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("[BpfMetrics] cannot read " + what + ": " + e.getMessage()
          + "; make the record public or open its package", e);
    }
  }
}
