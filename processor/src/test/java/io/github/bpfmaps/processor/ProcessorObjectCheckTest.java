package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Records checked against the committed test object {@code src/test/bpf/drift.bpf.o}: the matching
 * ones compile clean; each kind of drift fails (or, for a renamed member, warns) on the component or
 * annotation value it concerns, naming the C member it was compared with.
 */
class ProcessorObjectCheckTest {
  static final Path OBJECTS = Paths.get("src/test/bpf").toAbsolutePath();

  private static final String[] DATAREC = {
    "  record DataRec(@Unsigned long packets, @Unsigned long bytes) {}",
  };
  private static final String[] FLOW_KEY = {
    "  record FlowKey(@NetworkOrder @Unsigned int saddr, @NetworkOrder @Unsigned int daddr,",
    "      @NetworkOrder @Unsigned short sport, @NetworkOrder @Unsigned short dport,",
    "      @Unsigned byte proto) {}",
  };

  /** {@code test.Maps} holding the given lines, with DataRec and FlowKey declared. */
  private static JavaFileObject source(String... body) {
    List<String> lines = new ArrayList<>();
    lines.add("package test;");
    lines.add("import io.github.bpfmaps.annotations.*;");
    lines.add("public final class Maps {");
    lines.addAll(List.of(DATAREC));
    lines.addAll(List.of(FLOW_KEY));
    lines.addAll(List.of(body));
    lines.add("}");
    return JavaFileObjects.forSourceLines("test.Maps", lines.toArray(new String[0]));
  }

  static Compilation compile(JavaFileObject f, String... options) {
    List<String> all = new ArrayList<>(List.of("-Abpfmaps.objectPath=" + OBJECTS));
    all.addAll(List.of(options));
    return javac().withProcessors(new BpfMapProcessor()).withOptions(all).compile(f);
  }

  private static void assertError(JavaFileObject f, String message, String line) {
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(message).inFile(f).onLineContaining(line);
  }

  private static final String SAMPLE_OK =
      "  enum Color { @CValue(1) RED, @CValue(2) GREEN, @CValue(4) BLUE }\n"
      + "  record Inner(@Unsigned int a, int b) {}\n";

  @Test
  void matchingRecordsCompileCleanAgainstTheObject() {
    JavaFileObject f = source(
        SAMPLE_OK,
        "  @BpfMap(type = MapType.ARRAY, maxEntries = 16, object = \"drift.bpf.o\")",
        "  record Stats(@Unsigned int index, DataRec value) {}",
        "  @BpfMap(type = MapType.HASH, maxEntries = 1024, flags = MapFlags.NO_PREALLOC,",
        "      pinning = Pinning.BY_NAME, object = \"drift.bpf.o\")",
        "  record Flows(FlowKey key, DataRec value) {}",
        "  record Sample(@Unsigned int pid, int delta, @Size(16) String comm,",
        "      @Unsigned @Size(4) short[] ports, Inner inner, Color color) {}",
        "  @BpfMap(type = MapType.HASH, maxEntries = 128, object = \"drift.bpf.o\")",
        "  record Samples(@Unsigned int pid, Sample value) {}");
    Compilation c = compile(f);
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void aMemberOfAnotherSizeFailsOnThatComponent() {
    assertError(source(
            "  record Narrow(@Unsigned long packets, @Unsigned int bytes) {}",
            "  @BpfMap(type = MapType.ARRAY, maxEntries = 16, name = \"stats\", object = \"drift.bpf.o\")",
            "  record Stats(@Unsigned int index, Narrow value) {}"),
        "[BpfMapBtfSize] value.bytes: Java @Unsigned int at offset 8, C __u64 bytes at offset 8: "
            + "__u64 is 8 bytes in C, 4 in Java (map 'stats' of drift.bpf.o)",
        "@Unsigned int bytes");
  }

  @Test
  void aMemberAtAnotherOffsetFailsOnThatComponent() {
    assertError(source(
            SAMPLE_OK,
            "  record Sample(@Unsigned int pid, @Padding(4) int delta, @Size(12) String comm,",
            "      @Unsigned @Size(4) short[] ports, Inner inner, Color color) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 128, object = \"drift.bpf.o\")",
            "  record Samples(@Unsigned int pid, Sample value) {}"),
        "[BpfMapBtfOffset] value.delta: Java int at offset 8, C __s32 delta at offset 4: at offset 4 "
            + "in C, 8 in Java",
        "@Padding(4) int delta");
  }

  @Test
  void anArrayOfAnotherLengthFailsOnThatComponent() {
    assertError(source(
            SAMPLE_OK,
            "  record Sample(@Unsigned int pid, int delta, @Size(16) String comm,",
            "      @Unsigned @Size(3) short[] ports, @Padding(2) Inner inner, Color color) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 128, object = \"drift.bpf.o\")",
            "  record Samples(@Unsigned int pid, Sample value) {}"),
        "[BpfMapBtfArrayLength] value.ports: Java @Size(3) @Unsigned short[] at offset 24, C __u16[4] "
            + "ports at offset 24: an array of 4 in C, an array of 3 in Java",
        "@Unsigned @Size(3) short[] ports");
  }

  @Test
  void aSignedComponentForAnUnsignedMemberFailsOnThatComponent() {
    assertError(source(
            SAMPLE_OK,
            "  record Sample(int pid, int delta, @Size(16) String comm,",
            "      @Unsigned @Size(4) short[] ports, Inner inner, Color color) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 128, object = \"drift.bpf.o\")",
            "  record Samples(@Unsigned int pid, Sample value) {}"),
        "[BpfMapBtfSignedness] value.pid: Java int at offset 0, C __u32 pid at offset 0: C __u32 is "
            + "unsigned, Java is signed; mark it @Unsigned",
        "record Sample(int pid");
  }

  @Test
  void aDriftInANestedRecordFailsOnTheNestedComponent() {
    assertError(source(
            "  enum Color { @CValue(1) RED, @CValue(2) GREEN, @CValue(4) BLUE }",
            "  record Inner(@Unsigned int a,",
            "      @Unsigned int b) {}",
            "  record Sample(@Unsigned int pid, int delta, @Size(16) String comm,",
            "      @Unsigned @Size(4) short[] ports, Inner inner, Color color) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 128, object = \"drift.bpf.o\")",
            "  record Samples(@Unsigned int pid, Sample value) {}"),
        "[BpfMapBtfSignedness] value.inner.b: Java @Unsigned int at offset 4, C __s32 b at offset 4",
        "@Unsigned int b)");
  }

  @Test
  void anEnumConstantWithAnotherValueFailsOnTheEnumComponent() {
    assertError(source(
            "  enum Color { @CValue(1) RED, @CValue(3) GREEN, @CValue(4) BLUE }",
            "  record Inner(@Unsigned int a, int b) {}",
            "  record Sample(@Unsigned int pid, int delta, @Size(16) String comm,",
            "      @Unsigned @Size(4) short[] ports, Inner inner,",
            "      Color color) {}",
            "  @BpfMap(type = MapType.HASH, maxEntries = 128, object = \"drift.bpf.o\")",
            "  record Samples(@Unsigned int pid, Sample value) {}"),
        "[BpfMapBtfEnumValue] value.color: Java GREEN = 3, C GREEN = 2; use @CValue(2) (map 'samples' of "
            + "drift.bpf.o)",
        "Color color)");
  }

  /** A ring buffer's C definition has no record type: the build says what it could not check. */
  @Test
  void aRingBufferRecordWithAnObjectGetsANoteThatItsLayoutIsNotChecked() {
    java.nio.file.Path samples = java.nio.file.Paths.get("..", "samples", "src", "main", "bpf").toAbsolutePath();
    JavaFileObject f = source(
        "  record Event(@Unsigned int pid, @Unsigned long ts) {}",
        "  @BpfMap(type = MapType.RINGBUF, maxEntries = 65536, object = \"events.bpf.o\")",
        "  record Events(Event value) {}");
    Compilation c = javac().withProcessors(new BpfMapProcessor())
        .withOptions("-Abpfmaps.objectPath=" + samples).compile(f);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("[BpfMapBtfRingBufRecord] map 'events' of events.bpf.o is a ring buffer")
        .inFile(f).onLineContaining("record Events");
  }

  /** objectFile is object without the Kotlin keyword: the same check runs. */
  @Test
  void objectFileChecksTheObjectAsObjectDoes() {
    assertError(source(
            "  @BpfMap(type = MapType.ARRAY, objectFile = \"drift.bpf.o\",",
            "      maxEntries = 32)",
            "  record Stats(@Unsigned int index, DataRec value) {}"),
        "[BpfMapBtfMaxEntries] max_entries: Java 32, C 16 (map 'stats' of drift.bpf.o); use maxEntries = 16",
        "maxEntries = 32");
  }

  @Test
  void objectAndObjectFileNamingDifferentObjectsFail() {
    assertError(source(
            "  @BpfMap(type = MapType.ARRAY, maxEntries = 16, object = \"drift.bpf.o\",",
            "      objectFile = \"other.bpf.o\")",
            "  record Stats(@Unsigned int index, DataRec value) {}"),
        "[BpfMapObject] object = \"drift.bpf.o\" and objectFile = \"other.bpf.o\" name different objects",
        "objectFile = \"other.bpf.o\"");
  }

  @Test
  void anotherMapTypeFailsOnTheTypeValue() {
    assertError(source(
            "  @BpfMap(type = MapType.PERCPU_ARRAY, maxEntries = 16, object = \"drift.bpf.o\")",
            "  record Stats(@Unsigned int index, DataRec value) {}"),
        "[BpfMapBtfMapType] type: Java PERCPU_ARRAY, C ARRAY (map 'stats' of "
            + "drift.bpf.o); use type = MapType.ARRAY",
        "type = MapType.PERCPU_ARRAY");
  }

  @Test
  void otherMaxEntriesFailOnTheMaxEntriesValue() {
    assertError(source(
            "  @BpfMap(type = MapType.ARRAY, object = \"drift.bpf.o\",",
            "      maxEntries = 32)",
            "  record Stats(@Unsigned int index, DataRec value) {}"),
        "[BpfMapBtfMaxEntries] max_entries: Java 32, C 16 (map 'stats' of drift.bpf.o); use maxEntries = 16",
        "maxEntries = 32");
  }

  @Test
  void flagsLeftAtTheDefaultFailWhenTheObjectSetsThem() {
    assertError(source(
            "  @BpfMap(type = MapType.HASH, maxEntries = 1024, pinning = Pinning.BY_NAME,",
            "      object = \"drift.bpf.o\")",
            "  record Flows(FlowKey key, DataRec value) {}"),
        "[BpfMapBtfFlags] map_flags: Java 0x0, C 0x1 (map 'flows' of drift.bpf.o); use flags = 0x1",
        "@BpfMap(type = MapType.HASH");
  }

  @Test
  void aMapTheObjectDoesNotDeclareFailsOnTheAnnotation() {
    assertError(source(
            "  @BpfMap(type = MapType.ARRAY, maxEntries = 16, object = \"drift.bpf.o\")",
            "  record Counters(@Unsigned int index, DataRec value) {}"),
        "[BpfMapBtfMissingMap] drift.bpf.o declares no map 'counters'; it declares stats, samples, flows",
        "@BpfMap(type = MapType.ARRAY, maxEntries = 16");
  }

  @Test
  void aMemberWithAnotherCNameAtTheSameOffsetOnlyWarns() {
    JavaFileObject f = source(
        "  record Renamed(@Unsigned long packetCount, @Unsigned long bytes) {}",
        "  @BpfMap(type = MapType.ARRAY, maxEntries = 16, name = \"stats\", object = \"drift.bpf.o\")",
        "  record Stats(@Unsigned int index, Renamed value) {}");
    Compilation c = compile(f);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[BpfMapBtfName] value.packetCount: Java @Unsigned long at offset 0, "
            + "C __u64 packets at offset 0: C struct datarec has no member 'packet_count'; the member at its "
            + "offset is 'packets'; add @CName(\"packets\") or rename it")
        .inFile(f).onLineContaining("long packetCount");
  }

  @Test
  void aCNameMakesTheNamesAgree() {
    Compilation c = compile(source(
        "  record Renamed(@CName(\"packets\") @Unsigned long packetCount, @Unsigned long bytes) {}",
        "  @BpfMap(type = MapType.ARRAY, maxEntries = 16, name = \"stats\", object = \"drift.bpf.o\")",
        "  record Stats(@Unsigned int index, Renamed value) {}"));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void aPinningThatDiffersOnlyWarns() {
    Compilation c = compile(source(
        "  @BpfMap(type = MapType.HASH, maxEntries = 1024, flags = MapFlags.NO_PREALLOC,",
        "      object = \"drift.bpf.o\")",
        "  record Flows(FlowKey key, DataRec value) {}"));
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[BpfMapBtfPinning] pinning: Java NONE, C LIBBPF_PIN_BY_NAME");
  }

  @Test
  void aMissingObjectFailsOnTheObjectValue() {
    assertError(source(
            "  @BpfMap(type = MapType.ARRAY, maxEntries = 16,",
            "      object = \"nowhere.bpf.o\")",
            "  record Stats(@Unsigned int index, DataRec value) {}"),
        "[BpfMapBtfObject] cannot check Stats against BPF object 'nowhere.bpf.o': not found in "
            + OBJECTS,
        "object = \"nowhere.bpf.o\"");
  }

  @Test
  void aFileThatIsNotAnObjectFailsOnTheObjectValue() {
    assertError(source(
            "  @BpfMap(type = MapType.ARRAY, maxEntries = 16,",
            "      object = \"drift.bpf.c\")",
            "  record Stats(@Unsigned int index, DataRec value) {}"),
        "[BpfMapBtfObject] cannot check Stats against BPF object 'drift.bpf.c': it cannot be read",
        "object = \"drift.bpf.c\"");
  }

  @Test
  void theObjectOptionChecksEveryMapAndAcceptsAnAbsolutePath() {
    JavaFileObject f = source(
        "  @BpfMap(type = MapType.ARRAY,",
        "      maxEntries = 15)",
        "  record Stats(@Unsigned int index, DataRec value) {}");
    Compilation c = javac().withProcessors(new BpfMapProcessor())
        .withOptions("-Abpfmaps.object=" + OBJECTS.resolve("drift.bpf.o")).compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BpfMapBtfMaxEntries] max_entries: Java 15, C 16")
        .inFile(f).onLineContaining("maxEntries = 15");
  }

  @Test
  void withoutAnObjectNothingIsChecked() {
    Compilation c = Compiled.compile(source(
        "  @BpfMap(type = MapType.ARRAY, maxEntries = 15)",
        "  record Stats(@Unsigned int index, DataRec value) {}"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c.warnings()).isEmpty();
  }
}
