package io.github.bpfmaps.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One source per mistake: each must fail with its tagged message on the line of the offending
 * element, without a stack trace.
 */
class ProcessorErrorsTest {

  /** A source file {@code test.Maps} holding the given lines inside {@code class Maps}. */
  private static JavaFileObject source(String... body) {
    List<String> lines = new ArrayList<>();
    lines.add("package test;");
    lines.add("import io.github.bpfmaps.annotations.*;");
    lines.add("public final class Maps {");
    lines.addAll(List.of(body));
    lines.add("}");
    return JavaFileObjects.forSourceLines("test.Maps", lines.toArray(new String[0]));
  }

  private static void assertError(JavaFileObject f, String message, String line) {
    Compilation c = Compiled.compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(message).inFile(f).onLineContaining(line);
  }

  @Test
  void arrayKeyMustBeFourBytes() {
    assertError(source(
            "  @BpfMap(type = MapType.ARRAY, maxEntries = 10)",
            "  record XdpStats(",
            "      long key,",
            "      long value) {}"),
        "[BpfMapArrayKey] ARRAY map 'xdp_stats' needs a 4-byte key, but XdpStats.key is long "
            + "(8 bytes); use int",
        "long key");
  }

  @Test
  void perCpuArrayKeyMustBeFourBytes() {
    assertError(source(
            "  @BpfMap(type = MapType.PERCPU_ARRAY, maxEntries = 10)",
            "  record Counters(",
            "      short key,",
            "      long value) {}"),
        "[BpfMapArrayKey] PERCPU_ARRAY map 'counters' needs a 4-byte key", "short key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"QUEUE", "STACK", "BLOOM_FILTER"})
  void keylessMapsHaveExactlyOneComponent(String type) {
    assertError(source(
            "  @BpfMap(type = MapType." + type + ", maxEntries = 128)",
            "  record Events(int key, long value) {}"),
        "[BpfMapKeyless] " + type + " map 'events' has no key, so Events must have exactly one "
            + "component",
        "record Events");
  }

  @Test
  void ringBufSizeMustBeAPowerOfTwoMultipleOfThePageSize() {
    assertError(source(
            "  record Event(long ts) {}",
            "  @BpfMap(type = MapType.RINGBUF,",
            "      maxEntries = 5000)",
            "  record Events(Event value) {}"),
        "[BpfMapRingBufSize] RINGBUF map 'events' has maxEntries = 5000, but a ring buffer's size "
            + "in bytes must be a power of 2 and a multiple of the page size 4096; use 8192",
        "maxEntries = 5000");
  }

  @Test
  void ringBufBelowOnePageIsRefused() {
    assertError(source(
            "  record Event(long ts) {}",
            "  @BpfMap(type = MapType.RINGBUF,",
            "      maxEntries = 1024)",
            "  record Events(Event value) {}"),
        "[BpfMapRingBufSize]", "maxEntries = 1024");
  }

  @Test
  void lpmTrieKeyMustStartWithAFourBytePrefixLength() {
    assertError(source(
            "  record Prefix(byte len, int addr) {}",
            "  @BpfMap(type = MapType.LPM_TRIE, maxEntries = 16, flags = MapFlags.NO_PREALLOC)",
            "  record Routes(",
            "      Prefix key,",
            "      int value) {}"),
        "[BpfMapLpmKey] LPM_TRIE map 'routes' needs a key record that starts with the 4-byte "
            + "prefix length",
        "Prefix key");
  }

  @Test
  void lpmTrieNeedsNoPrealloc() {
    assertError(source(
            "  record Prefix(@Unsigned int prefixLen, @NetworkOrder int addr) {}",
            "  @BpfMap(type = MapType.LPM_TRIE, maxEntries = 16)",
            "  record Routes(Prefix key, int value) {}"),
        "[BpfMapLpmFlags] LPM_TRIE map 'routes' must be created with flags = "
            + "MapFlags.NO_PREALLOC",
        "@BpfMap(type = MapType.LPM_TRIE");
  }

  @Test
  void valueLargerThanKmallocMaxIsRefused() {
    assertError(source(
            "  record Big(@Size(5000000) byte[] data) {}",
            "  @BpfMap(type = MapType.ARRAY, maxEntries = 1)",
            "  record Blobs(int key,",
            "      Big value) {}"),
        "[BpfMapValueSize] ARRAY map 'blobs' has a 5000000-byte value (Blobs.value), larger than "
            + "the kernel's KMALLOC_MAX_SIZE of 4194304 bytes",
        "Big value");
  }

  @Test
  void perCpuValueLargerThanThePerCpuUnitIsRefused() {
    assertError(source(
            "  record Big(@Size(40000) byte[] data) {}",
            "  @BpfMap(type = MapType.PERCPU_HASH, maxEntries = 1)",
            "  record Blobs(int key,",
            "      Big value) {}"),
        "[BpfMapValueSize] PERCPU_HASH map 'blobs' is per-CPU", "Big value");
  }

  @Test
  void hashEntryLargerThanKmallocMaxIsRefused() {
    assertError(source(
            "  record Big(@Size(4194300) byte[] data) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 1)",
            "  record Blobs(",
            "      long key,",
            "      Big value) {}"),
        "[BpfMapKeySize] HASH map 'blobs' has a 8-byte key and a 4194300-byte value",
        "long key");
  }

  @Test
  void maxEntriesMustBePositive() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH,",
            "      maxEntries = 0)",
            "  record Counts(int key, long value) {}"),
        "[BpfMapMaxEntries] HASH map 'counts' has maxEntries = 0", "maxEntries = 0");
  }

  @Test
  void keyMustHaveAtLeastOneByte() {
    assertError(source(
            "  record Empty() {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record Counts(",
            "      Empty key,",
            "      long value) {}"),
        "[BpfMapKeySize] HASH map 'counts' needs a key of at least one byte", "Empty key");
  }

  @Test
  void valueMustHaveAtLeastOneByte() {
    assertError(source(
            "  record Empty() {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record Counts(int key,",
            "      Empty value) {}"),
        "[BpfMapValueSize] HASH map 'counts' needs a value of at least one byte", "Empty value");
  }

  @Test
  void longMapNameIsAWarningThatShowsWhatTheKernelKeeps() {
    JavaFileObject f = source(
        "  @BpfMap(type = MapType.HASH, maxEntries = 4,",
        "      name = \"connections_by_process\")",
        "  record Conns(int key, long value) {}");
    Compilation c = Compiled.compile(f);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[BpfMapNameLength] map name 'connections_by_process' is "
            + "longer than 15 bytes; the kernel keeps only the first 15 and will show "
            + "'connections_by_'")
        .inFile(f).onLineContaining("name = \"connections_by_process\"");
  }

  @Test
  void defaultMapNameTooLongWarnsOnTheRecord() {
    JavaFileObject f = source(
        "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
        "  record ConnectionsByProcess(int key, long value) {}");
    Compilation c = Compiled.compile(f);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("will show 'connections_by_'")
        .inFile(f).onLineContaining("@BpfMap");
  }

  @Test
  void mapNameWithCharactersTheKernelRefusesIsAnError() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH, maxEntries = 4,",
            "      name = \"my-map\")",
            "  record Conns(int key, long value) {}"),
        "[BpfMapName] map name 'my-map' contains '-' at index 2", "name = \"my-map\"");
  }

  @Test
  void declaredValueSizeMustMatchTheLayoutAndSaysWhereThePaddingWent() {
    assertError(source(
            "  record FlowKey(@NetworkOrder int saddr, @NetworkOrder int daddr,",
            "      @NetworkOrder short sport, @NetworkOrder short dport, byte proto) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4,",
            "      valueSize = 13)",
            "  record Seen(int key, FlowKey value) {}"),
        "[BpfMapDeclaredSize] HASH map 'seen' declares valueSize = 13, but Seen.value is 16 bytes "
            + "(3 bytes of padding after FlowKey.proto)",
        "valueSize = 13");
  }

  @Test
  void declaredKeySizeMustMatchTheLayout() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH, maxEntries = 4,",
            "      keySize = 8)",
            "  record Seen(int key, long value) {}"),
        "[BpfMapDeclaredSize] HASH map 'seen' declares keySize = 8, but Seen.key is 4 bytes",
        "keySize = 8");
  }

  @Test
  void unsupportedComponentTypeListsTheSupportedTypes() {
    assertError(source(
            "  record Value(int a,",
            "      java.util.List<Integer> xs) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapUnsupportedType] Value.xs has type List, which has no C layout; supported: byte, "
            + "short, char, int, long, float, double, boolean, enums, records, @Size arrays of "
            + "those, and @Size String",
        "java.util.List<Integer> xs");
  }

  @Test
  void boxedComponentSuggestsThePrimitive() {
    assertError(source(
            "  record Value(",
            "      Integer count) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "(use int: C has no null)", "Integer count");
  }

  @Test
  void arrayWithoutSizeIsAnError() {
    assertError(source(
            "  record Value(",
            "      int[] args) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapMissingSize] Value.args is an array with no length; add @Size(n)", "int[] args");
  }

  @Test
  void stringWithoutSizeIsAnError() {
    assertError(source(
            "  record Value(",
            "      String comm) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapMissingSize] Value.comm is a String with no length", "String comm");
  }

  @Test
  void sizeOnANonArrayIsAnError() {
    assertError(source(
            "  record Value(",
            "      @Size(4) int count) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapSizeNotArray] @Size applies to arrays and Strings, but Value.count is int",
        "@Size(4) int count");
  }

  @Test
  void recursiveRecordIsAnError() {
    assertError(source(
            "  record Node(int v,",
            "      Node next) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Node value) {}"),
        "[BpfMapRecursive] Node.next refers back to Node", "Node next");
  }

  @Test
  void indirectlyRecursiveRecordIsAnError() {
    assertError(source(
            "  record A(int v, B b) {}",
            "  record B(int w,",
            "      @Size(2) A[] as) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, A value) {}"),
        "[BpfMapRecursive] B.as refers back to A", "A[] as");
  }

  @Test
  void duplicateMapNamesAreAnError() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH, maxEntries = 4, name = \"flows\")",
            "  record A(int key, long value) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4,",
            "      name = \"flows\")",
            "  record B(int key, long value) {}"),
        "[BpfMapDuplicateName] map name 'flows' is already used by test.Maps.A",
        "      name = \"flows\")");
  }

  @Test
  void widthOnAFloatIsAnError() {
    assertError(source(
            "  record Value(",
            "      @Width(2) float f) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapWidth] @Width applies to integral and enum components, but Value.f is float",
        "@Width(2) float f");
  }

  @Test
  void widthWiderThanTheJavaTypeIsAnError() {
    assertError(source(
            "  record Value(",
            "      @Width(8) int n) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapWidth] @Width(8) on Value.n is wider than int (4 bytes); use a wider Java type "
            + "(long)",
        "@Width(8) int n");
  }

  @Test
  void widthMustBeACIntegerSize() {
    assertError(source(
            "  record Value(",
            "      @Width(3) int n) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapWidth] @Width(3) on Value.n must be 1, 2, 4 or 8", "@Width(3) int n");
  }

  @Test
  void bpfMapOnAClassIsAnError() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  static final class Flows {}"),
        "[BpfMapNotRecord] @BpfMap applies to records, but Flows is a class", "class Flows");
  }

  @Test
  void keyedMapNeedsTwoComponents() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record Flows(long value) {}"),
        "[BpfMapComponentCount] HASH map 'flows' needs a key and a value, so Flows must have "
            + "exactly two components",
        "record Flows");
  }

  @Test
  void unsignedOnAFloatIsAnError() {
    assertError(source(
            "  record Value(",
            "      @Unsigned double d) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapUnsigned] @Unsigned applies to integral types, but Value.d is double",
        "@Unsigned double d");
  }

  @Test
  void networkOrderOnABooleanIsAnError() {
    assertError(source(
            "  record Value(",
            "      @NetworkOrder boolean b) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapNetworkOrder] @NetworkOrder applies to integral types, but Value.b is boolean",
        "@NetworkOrder boolean b");
  }

  @Test
  void enumValueMustFitItsWidth() {
    assertError(source(
            "  enum Kind { A, @CValue(300) B }",
            "  record Value(",
            "      @Width(1) Kind kind) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapEnumValue] Kind.B = 300 does not fit the 1-byte C field of Value.kind",
        "@Width(1) Kind kind");
  }

  @Test
  void enumConstantsNeedDistinctValues() {
    assertError(source(
            "  enum Kind { A,",
            "      @CValue(0) B }",
            "  record Value(Kind kind) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapEnumValue] Kind.B has the C value 0 of Kind.A", "@CValue(0) B");
  }

  @Test
  void mapTypesThatNeedAnAttachPointAreRefused() {
    assertError(source(
            "  @BpfMap(type = MapType.CGROUP_STORAGE,",
            "      maxEntries = 0)",
            "  record M(long key, long value) {}"),
        "[BpfMapType] CGROUP_STORAGE map 'm' cannot be declared with @BpfMap",
        "type = MapType.CGROUP_STORAGE");
  }

  @Test
  void alignMustBeAPowerOfTwo() {
    assertError(source(
            "  record Value(",
            "      @Align(3) int n) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapAlign] @Align(3) on Value.n must be a positive power of two", "@Align(3) int n");
  }

  @Test
  void paddingMustBePositive() {
    assertError(source(
            "  record Value(",
            "      @Padding(-1) int n) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapPadding] @Padding(-1) on Value.n must be positive", "@Padding(-1) int n");
  }

  @Test
  void privateRecordCannotBeReachedByItsCodec() {
    assertError(source(
            "  private record Value(int n) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapAccess] Value must be visible to its generated codec", "private record Value");
  }

  @Test
  void stringAsAWholeValueMustBeWrappedInARecord() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key,",
            "      @Size(16) String value) {}"),
        "[BpfMapTopLevelType] M.value is String; a whole key or value must be a primitive, a "
            + "record or a @Size byte[]",
        "@Size(16) String value");
  }

  @Test
  void fdArrayValuesMustBeFourBytes() {
    assertError(source(
            "  @BpfMap(type = MapType.PROG_ARRAY, maxEntries = 4)",
            "  record Progs(int key,",
            "      long value) {}"),
        "[BpfMapFdValue] PROG_ARRAY map 'progs' holds file descriptors or ids, so its value must "
            + "be 4 bytes",
        "long value");
  }

  @Test
  void everyErrorOfACompilationIsReportedAtOnce() {
    JavaFileObject f = source(
        "  record Value(",
        "      int[] args,",
        "      @Width(3) int n) {}",
        "  @BpfMap(type = MapType.ARRAY, maxEntries = 0)",
        "  record M(long key, Value value) {}");
    Compilation c = Compiled.compile(f);
    assertThat(c).hadErrorContaining("[BpfMapMissingSize]").inFile(f)
        .onLineContaining("int[] args");
    assertThat(c).hadErrorContaining("[BpfMapWidth]").inFile(f).onLineContaining("@Width(3)");
    assertThat(c).hadErrorContaining("[BpfMapMaxEntries]").inFile(f)
        .onLineContaining("maxEntries = 0");
    assertThat(c).hadErrorContaining("[BpfMapArrayKey]").inFile(f)
        .onLineContaining("record M(long key");
  }

  @Test
  void enumWithoutConstantsIsAnError() {
    assertError(source(
            "  enum Nothing {}",
            "  record Value(",
            "      Nothing n) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapEnumValue] Value.n is the enum Nothing, which has no constants", "Nothing n");
  }

  @Test
  void anUnexpectedExceptionBecomesATaggedErrorOnTheRecord() {
    JavaFileObject f = source(
        "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
        "  record Crashy(int key, long value) {}");
    Compilation c = com.google.testing.compile.Compiler.javac()
        .withProcessors(new BpfMapProcessor(e -> {
          throw new IllegalStateException("boom");
        }))
        .compile(f);
    assertThat(c).hadErrorContaining("[BpfMapInternal] the bpfmaps processor failed on Crashy "
            + "with java.lang.IllegalStateException: boom")
        .inFile(f).onLineContaining("record Crashy");
  }

  @Test
  void aMissingTypeIsLeftToJavacWithoutASecondMessage() {
    JavaFileObject f = source(
        "  record Value(",
        "      NoSuchType t) {}",
        "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
        "  record M(int key, Value value) {}");
    Compilation c = Compiled.compile(f);
    assertThat(c).hadErrorContaining("cannot find symbol").inFile(f)
        .onLineContaining("NoSuchType t");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void genericRecordsHaveNoSingleLayout() {
    assertError(source(
            "  record Box<T>(int n) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Box<String> value) {}"),
        "[BpfMapGeneric] Box has type parameters", "record Box<T>");
  }

  @Test
  void networkOrderOnAWholeKeyAsksForARecord() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(",
            "      @NetworkOrder int key, long value) {}"),
        "[BpfMapTopLevelAnnotation] M.key is a whole key or value, where only @Unsigned applies",
        "@NetworkOrder int key");
  }

  @Test
  void widthOnARecordComponentIsMisplaced() {
    assertError(source(
            "  record Inner(int n) {}",
            "  record Value(",
            "      @Width(2) Inner inner) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapAnnotationMisplaced] @Width does not apply to a record, but Value.inner has it",
        "@Width(2) Inner inner");
  }

  @Test
  void sizeMustBePositive() {
    assertError(source(
            "  record Value(",
            "      @Size(0) long[] xs) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
            "  record M(int key, Value value) {}"),
        "[BpfMapSize] @Size(0) on Value.xs must be positive", "@Size(0) long[] xs");
  }

  @Test
  void lpmTrieKeyDataIsLimitedTo256Bytes() {
    assertError(source(
            "  record Prefix(@Unsigned int prefixLen, @Size(300) byte[] data) {}",
            "  @BpfMap(type = MapType.LPM_TRIE, maxEntries = 16, flags = MapFlags.NO_PREALLOC)",
            "  record Routes(",
            "      Prefix key, int value) {}"),
        "[BpfMapLpmKey] LPM_TRIE map 'routes' has 300 bytes of key data", "Prefix key");
  }

  @Test
  void flagsTheKernelRefusesAreReportedOnTheFlags() {
    assertError(source(
            "  @BpfMap(type = MapType.ARRAY, maxEntries = 4,",
            "      flags = MapFlags.NO_PREALLOC)",
            "  record M(int key, long value) {}"),
        "[BpfMapFlags] ARRAY map 'm' has flags 0x1 that the kernel refuses for this type",
        "flags = MapFlags.NO_PREALLOC");
  }
}
