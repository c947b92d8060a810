package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.spec.MapSpec;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor over Java sources shaped exactly as kapt (Kotlin 2.2) stubs a Kotlin
 * {@code data class}: {@code @kotlin.Metadata} on the class, private final fields (with
 * {@code @field:} annotations), a primary constructor (with the default, parameter-targeted
 * annotations), getters {@code getX()} / {@code isX()} (with {@code @get:} annotations), and
 * {@code org.jetbrains.annotations} nullability. Kotlin's own classes are not on this classpath, so
 * small stand-ins for {@code kotlin.Metadata} and the JetBrains annotations are compiled alongside.
 */
class KotlinDataClassTest {
  private static final JavaFileObject METADATA = JavaFileObjects.forSourceLines("kotlin.Metadata",
      "package kotlin;",
      "@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)",
      "public @interface Metadata { int k() default 1; String[] d2() default {}; }");
  private static final JavaFileObject NOT_NULL = JavaFileObjects.forSourceLines(
      "org.jetbrains.annotations.NotNull",
      "package org.jetbrains.annotations;",
      "public @interface NotNull {}");
  private static final JavaFileObject NULLABLE = JavaFileObjects.forSourceLines(
      "org.jetbrains.annotations.Nullable",
      "package org.jetbrains.annotations;",
      "public @interface Nullable {}");

  /** A stub file {@code test.<name>} with the given lines. */
  private static JavaFileObject stub(String name, String... lines) {
    List<String> all = new ArrayList<>();
    all.add("package test;");
    all.add("import io.github.bpfmaps.annotations.*;");
    all.addAll(List.of(lines));
    return JavaFileObjects.forSourceLines("test." + name, all.toArray(new String[0]));
  }

  private static Compilation compile(JavaFileObject... stubs) {
    List<JavaFileObject> all = new ArrayList<>(List.of(METADATA, NOT_NULL, NULLABLE));
    all.addAll(List.of(stubs));
    return Compiled.compile(all.toArray(new JavaFileObject[0]));
  }

  /**
   * {@code data class Probe(@Unsigned val packets: Long, @field:NetworkOrder val port: Short,
   * val isUp: Boolean, @get:Size(4) val name: String)}.
   */
  private static final JavaFileObject PROBE = stub("Probe",
      "@kotlin.Metadata(k = 1)",
      "public final class Probe {",
      "  private final long packets = 0L;",
      "  @NetworkOrder()",
      "  private final short port = 0;",
      "  private final boolean isUp = false;",
      "  @org.jetbrains.annotations.NotNull()",
      "  private final java.lang.String name = null;",
      "  public Probe(@Unsigned() long packets, short port, boolean isUp,",
      "      @org.jetbrains.annotations.NotNull() java.lang.String name) { super(); }",
      "  public final long getPackets() { return 0L; }",
      "  public final short getPort() { return 0; }",
      "  public final boolean isUp() { return false; }",
      "  @Size(value = 4)",
      "  @org.jetbrains.annotations.NotNull()",
      "  public final java.lang.String getName() { return null; }",
      "  public final long component1() { return 0L; }",
      "  public final Probe copy(long packets, short port, boolean isUp, java.lang.String name) {",
      "    return null;",
      "  }",
      "}");

  /** {@code @BpfMap(type = ARRAY, maxEntries = 4) data class ProbeStats(val index: Int, val value: Probe)}. */
  private static final JavaFileObject PROBE_STATS = stub("ProbeStats",
      "@kotlin.Metadata(k = 1)",
      "@BpfMap(type = MapType.ARRAY, maxEntries = 4)",
      "public final class ProbeStats {",
      "  private final int index = 0;",
      "  @org.jetbrains.annotations.NotNull()",
      "  private final Probe value = null;",
      "  public ProbeStats(int index, @org.jetbrains.annotations.NotNull() Probe value) { super(); }",
      "  public final int getIndex() { return 0; }",
      "  @org.jetbrains.annotations.NotNull()",
      "  public final Probe getValue() { return null; }",
      "}");

  @Test
  void dataClassStubGetsCodecAndMapThatReadAnnotationsFromFieldParameterAndGetter()
      throws Exception {
    // The stubs' bodies return defaults, so the round trip runs against a real class of the same
    // shape, compiled from the same sources but with working bodies.
    Compiled c = Compiled.of(METADATA, NOT_NULL, NULLABLE, stub("Probe",
        "@kotlin.Metadata(k = 1)",
        "public final class Probe {",
        "  private final long packets;",
        "  @NetworkOrder()",
        "  private final short port;",
        "  private final boolean isUp;",
        "  private final java.lang.String name;",
        "  public Probe(@Unsigned() long packets, short port, boolean isUp, java.lang.String name) {",
        "    this.packets = packets; this.port = port; this.isUp = isUp; this.name = name;",
        "  }",
        "  public final long getPackets() { return packets; }",
        "  public final short getPort() { return port; }",
        "  public final boolean isUp() { return isUp; }",
        "  @Size(value = 4)",
        "  public final java.lang.String getName() { return name; }",
        "}"), PROBE_STATS);
    Class<?> probe = c.load("test.Probe");
    Constructor<?> make = probe.getConstructor(long.class, short.class, boolean.class,
        String.class);
    Object value = make.newInstance(-1L, (short) 0x1234, true, "eth0");

    @SuppressWarnings("unchecked")
    Codec<Object> codec = (Codec<Object>) c.load("test.ProbeCodec").getField("INSTANCE").get(null);
    // u64 packets @0, __be16 port @8, _Bool isUp @10, char name[4] @11, tail padding to 16.
    assertThat(codec.byteSize()).isEqualTo(16);
    byte[] bytes = codec.toBytes(value);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    assertThat(buf.getLong(0)).isEqualTo(-1L);
    assertThat(bytes[8]).isEqualTo((byte) 0x12); // network order from the @field: annotation
    assertThat(bytes[9]).isEqualTo((byte) 0x34);
    assertThat(bytes[10]).isEqualTo((byte) 1);
    assertThat(new String(bytes, 11, 4, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("eth0");

    Object back = codec.fromBytes(bytes);
    assertThat(probe.getMethod("getPackets").invoke(back)).isEqualTo(-1L);
    assertThat(probe.getMethod("getPort").invoke(back)).isEqualTo((short) 0x1234);
    assertThat(probe.getMethod("isUp").invoke(back)).isEqualTo(true);
    assertThat(probe.getMethod("getName").invoke(back)).isEqualTo("eth0");
    // @Unsigned came from the constructor parameter: the layout says __u64.
    assertThat(codec.layout().toString()).contains("packets");

    MapSpec spec = (MapSpec) c.load("test.ProbeStatsMap").getField("SPEC").get(null);
    assertThat(spec.name()).isEqualTo("probe_stats");
    assertThat(spec.keySize()).isEqualTo(4);
    assertThat(spec.valueSize()).isEqualTo(16);
  }

  @Test
  void stubShapedSourcesCompileWithGeneratedFiles() {
    Compilation c = compile(PROBE, PROBE_STATS);
    assertThat(c).succeeded();
    assertThat(c).generatedSourceFile("test.ProbeCodec").contentsAsUtf8String()
        .contains("value.getPackets()");
    assertThat(c).generatedSourceFile("test.ProbeCodec").contentsAsUtf8String()
        .contains("value.isUp()");
    assertThat(c).generatedSourceFile("test.ProbeCodec").contentsAsUtf8String()
        .contains("new Probe(");
    assertThat(c).generatedSourceFile("test.ProbeStatsMap").contentsAsUtf8String()
        .contains("extends BpfArrayMap<Probe>");
  }

  @Test
  void unsignedFromConstructorParameterMakesTheMemberUnsigned() throws ReflectiveOperationException {
    Compiled c = Compiled.of(METADATA, NOT_NULL, NULLABLE, PROBE, PROBE_STATS);
    Codec<?> codec = (Codec<?>) c.load("test.ProbeCodec").getField("INSTANCE").get(null);
    // The layout (what bind compares with BTF) records signedness per member: packets is __u64
    // (@Unsigned on the constructor parameter), port __be16 (@NetworkOrder on the field).
    var packets = codec.layout().fields().get(0);
    assertThat(List.of(packets.name(), packets.offset(), packets.signed(), packets.networkOrder()))
        .containsExactly("packets", 0, false, false).inOrder();
    var port = codec.layout().fields().get(1);
    assertThat(List.of(port.name(), port.offset(), port.signed(), port.networkOrder()))
        .containsExactly("port", 8, true, true).inOrder();
  }

  @Test
  void dataClassNeedsConstructorTakingEveryFieldInOrder() {
    // data class Flows(val key: Int, val value: Long) { val extra: Long = 0 } has a field that is
    // not in the primary constructor, so no decoded value could be built.
    JavaFileObject f = stub("Flows",
        "@kotlin.Metadata(k = 1)",
        "@BpfMap(type = MapType.HASH, maxEntries = 4)",
        "public final class Flows {",
        "  private final int key = 0;",
        "  private final long value = 0L;",
        "  private final long extra = 0L;",
        "  public Flows(int key, long value) { super(); }",
        "  public final int getKey() { return 0; }",
        "  public final long getValue() { return 0L; }",
        "  public final long getExtra() { return 0L; }",
        "}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BpfMapDataClassConstructor] Flows has no constructor "
        + "taking all of its fields in order (key, value, extra)").inFile(f)
        .onLineContaining("class Flows");
  }

  @Test
  void constructorWithFieldsInAnotherOrderIsRefused() {
    JavaFileObject f = stub("Flows",
        "@kotlin.Metadata(k = 1)",
        "@BpfMap(type = MapType.HASH, maxEntries = 4)",
        "public final class Flows {",
        "  private final int key = 0;",
        "  private final int value = 0;",
        "  public Flows(int value, int key) { super(); }",
        "  public final int getKey() { return 0; }",
        "  public final int getValue() { return 0; }",
        "}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BpfMapDataClassConstructor] Flows has no constructor")
        .inFile(f).onLineContaining("class Flows");
  }

  @Test
  void unsignedValueClassPropertyIsRefusedWithAHint() {
    // data class Counter(val index: Int, val hits: UInt): kapt keeps only the private synthetic
    // constructor and drops the mangled getter getHits-pVg5ArA. Without metadata strings the
    // shape alone says it is a UInt; the first reason is that, not "the constructor is private".
    JavaFileObject f = stub("Counter",
        "@kotlin.Metadata(k = 1)",
        "@BpfMap(type = MapType.ARRAY, maxEntries = 4)",
        "public final class Counter {",
        "  private final int index = 0;",
        "  private final int hits = 0;",
        "  private Counter(int index, int hits) { super(); }",
        "  public final int getIndex() { return 0; }",
        "}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BpfMapKotlinUnsigned] Counter.hits is a UInt, a Kotlin "
        + "value class whose getter and constructor Java cannot call").inFile(f)
        .onLineContaining("int hits = 0");
    assertThat(c).hadErrorContaining("declare it as @Unsigned val hits: Int");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void unsignedPropertiesNamedInTheMetadataGetACodecThroughMethodHandles()
      throws java.io.IOException {
    // data class Pkt(val ttl: UByte, val sport: UShort, val hits: UInt, val bytes: ULong,
    // val plain: Int): kapt's stub has no getter for the unsigned ones and only a private
    // constructor; the metadata's string table names each mangled getter.
    JavaFileObject pkt = stub("Pkt",
        "@kotlin.Metadata(k = 1, d2 = {\"Lkotlin/UByte;\", \"Lkotlin/UShort;\", "
            + "\"Lkotlin/UInt;\", \"Lkotlin/ULong;\", \"getTtl-w2LRezQ\", "
            + "\"getSport-Mh2AYeg\", \"getHits-pVg5ArA\", \"getBytes-s-VKNKU\", \"plain\"})",
        "public final class Pkt {",
        "  private final byte ttl = 0;",
        "  private final short sport = 0;",
        "  private final int hits = 0;",
        "  private final long bytes = 0L;",
        "  private final int plain = 0;",
        "  private Pkt(byte ttl, short sport, int hits, long bytes, int plain) { super(); }",
        "  public final int getPlain() { return 0; }",
        "}");
    JavaFileObject map = stub("Pkts",
        "@kotlin.Metadata(k = 1)",
        "@BpfMap(type = MapType.ARRAY, maxEntries = 4)",
        "public final class Pkts {",
        "  private final int index = 0;",
        "  private final Pkt value = null;",
        "  public Pkts(int index, Pkt value) { super(); }",
        "  public final int getIndex() { return 0; }",
        "  public final Pkt getValue() { return null; }",
        "}");
    Compilation c = compile(pkt, map);
    assertThat(c).succeeded();
    String codec = c.generatedSourceFile("test.PktCodec").orElseThrow().getCharContent(true)
        .toString();
    for (String mangled : List.of("getTtl-w2LRezQ", "getSport-Mh2AYeg", "getHits-pVg5ArA",
        "getBytes-s-VKNKU")) {
      org.junit.jupiter.api.Assertions.assertTrue(codec.contains("\"" + mangled + "\""), mangled);
    }
    org.junit.jupiter.api.Assertions.assertTrue(codec.contains("value.getPlain()"), codec);
    org.junit.jupiter.api.Assertions.assertTrue(
        codec.contains("\"kotlin.jvm.internal.DefaultConstructorMarker\""), codec);
    // The members are unsigned without @Unsigned: __u8, __u16, __u32, __u64; plain stays __s32.
    // (The codec's class cannot be loaded here: its static initialiser looks up the mangled
    // getters, which a stub cannot declare. So the generated LAYOUT is read as text, in either
    // spelling: the Field constructor's signed argument, or the named factory.)
    for (String member : List.of("ttl", "sport", "hits", "bytes")) {
      org.junit.jupiter.api.Assertions.assertTrue(
          codec.matches("(?s).*(\"" + member + "\", \"" + member + "\", \\d+, \\d+, 0, "
              + "[\\w.]*INT, false|unsignedInt\\(\"" + member + "\").*"),
          member + " unsigned in " + codec);
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        codec.matches("(?s).*(\"plain\", \"plain\", \\d+, 4, 0, [\\w.]*INT, true"
            + "|\\bsignedInt\\(\"plain\").*"), "plain signed in " + codec);
  }

  /**
   * {@code @BpfMap(type = HASH, maxEntries = 16) data class Counts(val port: UInt, val bytes: ULong)}
   * as kapt stubs it: no getters for the two value-class properties, a private constructor, and
   * the mangled getters in the metadata.
   */
  private static final JavaFileObject COUNTS = stub("Counts",
      "@kotlin.Metadata(k = 1, d2 = {\"Lkotlin/UInt;\", \"Lkotlin/ULong;\", "
          + "\"getPort-pVg5ArA\", \"getBytes-s-VKNKU\"})",
      "@BpfMap(type = MapType.HASH, maxEntries = 16)",
      "public final class Counts {",
      "  private final int port = 0;",
      "  private final long bytes = 0L;",
      "  private Counts(int port, long bytes) { super(); }",
      "}");

  /** Stand-ins for Kotlin's boxes and bpfmaps-kotlin's codecs, which are not on this class path. */
  private static final JavaFileObject[] KOTLIN_CODECS = {
      JavaFileObjects.forSourceLines("kotlin.UInt", "package kotlin;",
          "public final class UInt {}"),
      JavaFileObjects.forSourceLines("kotlin.ULong", "package kotlin;",
          "public final class ULong {}"),
      JavaFileObjects.forSourceLines("io.github.bpfmaps.kotlin.UIntCodec",
          "package io.github.bpfmaps.kotlin;",
          "public final class UIntCodec {",
          "  public static final io.github.bpfmaps.runtime.Codec<kotlin.UInt> INSTANCE = null;",
          "}"),
      JavaFileObjects.forSourceLines("io.github.bpfmaps.kotlin.ULongCodec",
          "package io.github.bpfmaps.kotlin;",
          "public final class ULongCodec {",
          "  public static final io.github.bpfmaps.runtime.Codec<kotlin.ULong> INSTANCE = null;",
          "}")};

  @Test
  void unsignedKeyAndValueMakeAHandleOfKotlinsUnsignedTypes() throws java.io.IOException {
    List<JavaFileObject> sources = new ArrayList<>(List.of(KOTLIN_CODECS));
    sources.add(COUNTS);
    Compilation c = compile(sources.toArray(new JavaFileObject[0]));
    assertThat(c).succeeded();
    String handle = c.generatedSourceFile("test.CountsMap").orElseThrow().getCharContent(true)
        .toString();
    // A Kotlin caller then writes counts[443u] = 5_000_000_000uL, no toInt() and 0xffff.
    org.junit.jupiter.api.Assertions.assertTrue(
        handle.contains("extends BpfHashMap<UInt, ULong>"), handle);
    org.junit.jupiter.api.Assertions.assertTrue(
        handle.contains("super(fd, SPEC, UIntCodec.INSTANCE, ULongCodec.INSTANCE)"), handle);
    org.junit.jupiter.api.Assertions.assertTrue(
        handle.contains("bpfObject.bindMap(SPEC, UIntCodec.INSTANCE, ULongCodec.INSTANCE)"), handle);
    // No struct: the key and value are scalars, so no codec of the record's own is written.
    org.junit.jupiter.api.Assertions.assertFalse(c.generatedSourceFile("test.CountsCodec")
        .isPresent());
  }

  @Test
  void unsignedKeyWithoutTheKotlinModuleSaysWhichDependencyIsMissing() {
    Compilation c = compile(COUNTS);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BpfMapKotlinUnsigned] Counts.port is a UInt, so CountsMap "
        + "takes and returns UInt through io.github.bpfmaps.kotlin.UIntCodec, which is not on the "
        + "class path; add the dependency io.github.bpfmaps:bpfmaps-kotlin").inFile(COUNTS)
        .onLineContaining("int port = 0");
    assertThat(c).hadErrorContaining("Counts.bytes is a ULong");
  }

  @Test
  void unsignedArrayIndexNeedsNoKotlinCodec() {
    // An ARRAY handle takes an int index, not the key type: data class Slots(val slot: UInt,
    // val value: Long) compiles without bpfmaps-kotlin.
    JavaFileObject f = stub("Slots",
        "@kotlin.Metadata(k = 1, d2 = {\"Lkotlin/UInt;\", \"getSlot-pVg5ArA\"})",
        "@BpfMap(type = MapType.ARRAY, maxEntries = 4)",
        "public final class Slots {",
        "  private final int slot = 0;",
        "  private final long value = 0L;",
        "  private Slots(int slot, long value) { super(); }",
        "  public final long getValue() { return 0L; }",
        "}");
    Compilation c = compile(f);
    assertThat(c).succeeded();
    assertThat(c).generatedSourceFile("test.SlotsMap").contentsAsUtf8String()
        .contains("extends BpfArrayMap<Long>");
  }

  @Test
  void nullablePropertyIsRefusedInKotlinTerms() {
    JavaFileObject f = stub("Totals",
        "@kotlin.Metadata(k = 1)",
        "@BpfMap(type = MapType.ARRAY, maxEntries = 4)",
        "public final class Totals {",
        "  private final int index = 0;",
        "  private final Sum value = null;",
        "  public Totals(int index, Sum value) { super(); }",
        "  public final int getIndex() { return 0; }",
        "  public final Sum getValue() { return null; }",
        "}",
        "@kotlin.Metadata(k = 1)",
        "final class Sum {",
        "  @org.jetbrains.annotations.Nullable()",
        "  private final java.lang.Long bytes = null;",
        "  public Sum(@org.jetbrains.annotations.Nullable() java.lang.Long bytes) { super(); }",
        "  @org.jetbrains.annotations.Nullable()",
        "  public final java.lang.Long getBytes() { return null; }",
        "}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BpfMapUnsupportedType] Sum.bytes has type Long, which has "
        + "no C layout (a nullable Long?; use Long: C has no null)").inFile(f)
        .onLineContaining("java.lang.Long bytes = null");
  }

  @Test
  void javaClassWithoutKotlinMetadataIsStillNotAMap() {
    JavaFileObject f = stub("Flows",
        "@BpfMap(type = MapType.HASH, maxEntries = 4)",
        "public final class Flows {",
        "  private final int key = 0;",
        "  private final int value = 0;",
        "  public Flows(int key, int value) { super(); }",
        "  public final int getKey() { return 0; }",
        "  public final int getValue() { return 0; }",
        "}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BpfMapNotRecord] @BpfMap applies to records, but Flows is "
        + "a class").inFile(f).onLineContaining("class Flows");
  }

  @Test
  void kotlinAbstractClassUsedAsValueIsRefused() {
    JavaFileObject f = stub("Flows",
        "@kotlin.Metadata(k = 1)",
        "@BpfMap(type = MapType.HASH, maxEntries = 4)",
        "public final class Flows {",
        "  private final int key = 0;",
        "  private final Shape value = null;",
        "  public Flows(int key, Shape value) { super(); }",
        "  public final int getKey() { return 0; }",
        "  public final Shape getValue() { return null; }",
        "}",
        "@kotlin.Metadata(k = 1)",
        "abstract class Shape {}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BpfMapNotDataClass] Shape is an abstract class").inFile(f)
        .onLineContaining("abstract class Shape");
  }
}
