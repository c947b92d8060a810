package io.github.bpfmaps.tools;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.processor.BpfMapProcessor;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfObjectSpec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.maps.BpfKeyedMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records generated from each sample object compile with the processor and pass its BTF check
 * against the same object (the generated {@code @BpfMap} names it), and the generated handles read
 * and write the bytes the C layout has.
 */
class RecordGeneratorTest {
  static final Path SAMPLES = Paths.get("..", "samples", "src", "main", "bpf").toAbsolutePath().normalize();

  static Stream<String> sampleObjects() throws IOException {
    try (Stream<Path> s = Files.list(SAMPLES)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bpf.o")).sorted().toList().stream();
    }
  }

  private static RecordGenerator.Output generate(String object, String pkg) {
    return RecordGenerator.generate(ObjectParser.read(SAMPLES.resolve(object)), object, pkg, true);
  }

  private static Compilation compile(String pkg, RecordGenerator.Output out) {
    return compile(pkg, out, SAMPLES);
  }

  /** Compiles generated files with the processor, which checks them against their object in {@code objects}. */
  static Compilation compile(String pkg, RecordGenerator.Output out, Path objects) {
    List<JavaFileObject> sources = new ArrayList<>();
    out.files().forEach((name, src) -> sources.add(JavaFileObjects.forSourceString(pkg + "." + name, src)));
    return javac().withProcessors(new BpfMapProcessor())
        .withOptions("-Abpfmaps.objectPath=" + objects, "-Xlint:all,-processing", "-Werror")
        .compile(sources);
  }

  @ParameterizedTest
  @MethodSource("sampleObjects")
  void recordsGeneratedFromASampleObjectCompileAndPassTheCheckAgainstIt(String object) {
    String pkg = "gen." + object.replace(".bpf.o", "");
    RecordGenerator.Output out = generate(object, pkg);
    // Every map has a record, or a reason why not.
    assertThat(out.files().size() + out.skipped().size()).isAtLeast(BpfObjectSpec.read(SAMPLES.resolve(object)).maps().size());
    if (out.files().isEmpty()) {
      return;
    }
    Compilation c = compile(pkg, out);
    assertWithMessage("%s", out.files()).about(com.google.testing.compile.CompilationSubject.compilations())
        .that(c).succeededWithoutWarnings();
  }

  @Test
  void structsBecomeRecordsWithCNamesNetworkOrderAndPadding() {
    Map<String, String> flows = generate("flows.bpf.o", "p").files();
    assertThat(flows.get("FlowKey")).contains("@CName(\"flow_key\")\npublic record FlowKey(\n"
        + "    @NetworkOrder @Unsigned int saddr,\n    @NetworkOrder @Unsigned int daddr,\n"
        + "    @NetworkOrder @Unsigned short sport,\n    @NetworkOrder @Unsigned short dport,\n"
        + "    @Unsigned byte proto) {}");
    assertThat(flows.get("Flows")).contains("@BpfMap(name = \"flows\", type = MapType.HASH, maxEntries = 65536, "
        + "pinning = Pinning.BY_NAME,\n    object = \"flows.bpf.o\")\npublic record Flows(FlowKey key, FlowStats value) {}");
    Map<String, String> header = generate("header_counter.bpf.o", "p").files();
    // The header's "__u8 __pad_port[1]" is read back as the @Padding it was written from.
    assertThat(header.get("PacketKey")).contains("    @Unsigned byte proto,\n    @Padding(1) @NetworkOrder @Unsigned short port) {}");
    assertThat(header.get("PacketStats")).contains("@CName(\"last_verdict\") Verdict lastVerdict");
    assertThat(header.get("Verdict")).contains("public enum Verdict {\n  PASSED,\n  DROPPED\n}");
  }

  @Test
  void enumsKeepTheirValuesStringsAndNestedRecordsRoundTrip() throws IOException {
    Path drift = Paths.get("..", "processor", "src", "test", "bpf").toAbsolutePath().normalize();
    RecordGenerator.Output out;
    out = RecordGenerator.generate(ObjectParser.read(drift.resolve("drift.bpf.o")), "drift.bpf.o", "d", true);
    assertThat(out.files().get("Color")).contains("@CName(\"color\")\npublic enum Color {\n  @CValue(1) RED,\n"
        + "  @CValue(2) GREEN,\n  @CValue(4) BLUE\n}");
    assertThat(out.files().get("Sample")).contains("    @Size(16) String comm,\n    @Size(4) @Unsigned short[] ports,\n"
        + "    Inner inner,\n    Color color) {}");
    assertThat(out.files().get("Inner")).contains("    @Unsigned int a,\n    int b) {}");
    assertThat(compile("d", out, drift)).succeededWithoutWarnings();
  }

  @Test
  void globalDataAndBitfieldsAreSkippedWithAReason() {
    RecordGenerator.Output out = generate("global_config.bpf.o", "p");
    assertThat(out.skipped()).contains("map 'global_c.rodata': global data (.rodata) is read and written through "
        + "BpfObjectSpec variables, not a record");
    Path kinds = Paths.get("..", "runtime", "src", "test", "bpf", "btf_kinds.bpf.o").toAbsolutePath().normalize();
    RecordGenerator.Output k = RecordGenerator.generate(ObjectParser.read(kinds), "btf_kinds.bpf.o", "k", true);
    assertThat(k.skipped()).contains("map 'kinds_map': struct kinds has the bitfield 'low'");
    assertThat(k.files()).doesNotContainKey("Kinds");
  }

  @Test
  void theCommandWritesTheFilesUnderThePackageDirectory(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = BpfMapsTool.run(new String[] {"gen", "--object", SAMPLES.resolve("xdp_counter.bpf.o").toString(),
        "--package", "com.example.xdp", "--out", dir.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(0);
    Path rec = dir.resolve("com/example/xdp/XdpStats.java");
    assertThat(Files.readString(rec)).contains("public record XdpStats(@Unsigned int key, Datarec value) {}");
    assertThat(Files.exists(dir.resolve("com/example/xdp/Datarec.java"))).isTrue();
  }

  @Test
  void theCommandExplainsItsUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = BpfMapsTool.run(new String[] {"gen", "--object", "x.o"}, System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("gen needs --object, --package and --out");
  }

  @Test
  void helpPrintsTheUsageAndEveryOptionAndSucceeds() {
    for (String[] args : new String[][] {{"--help"}, {"gen", "--help"}}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status = BpfMapsTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      assertThat(status).isEqualTo(0);
      String text = out.toString(StandardCharsets.UTF_8);
      assertThat(text).contains("usage: java -jar bpfmaps-tools.jar gen --object");
      assertThat(text).contains("--no-object-attribute");
    }
  }

  /** Loads classes from a compilation's output. */
  private static final class Loader extends ClassLoader {
    private final Compilation c;

    Loader(Compilation c) {
      super(RecordGeneratorTest.class.getClassLoader());
      this.c = c;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      Optional<JavaFileObject> f = c.generatedFile(StandardLocation.CLASS_OUTPUT, name.replace('.', '/') + ".class");
      if (f.isEmpty()) {
        throw new ClassNotFoundException(name);
      }
      try (InputStream in = f.get().openInputStream()) {
        byte[] b = in.readAllBytes();
        return defineClass(name, b, 0, b.length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The classes of the records generated from a sample object, compiled and checked. */
  private static Loader compiled(String object, String pkg) {
    Compilation c = compile(pkg, generate(object, pkg));
    assertThat(c).succeeded();
    return new Loader(c);
  }

  private static Object newRecord(Class<?> type, Object... values) throws ReflectiveOperationException {
    RecordComponent[] rc = type.getRecordComponents();
    Class<?>[] types = new Class<?>[rc.length];
    for (int i = 0; i < rc.length; i++) {
      types[i] = rc[i].getType();
    }
    return type.getDeclaredConstructor(types).newInstance(values);
  }

  /**
   * Creates the map from the generated {@code SPEC} ({@code <Record>Map.create()}), writes a record
   * through the generated handle and reads the raw bytes through a second handle on the same map, then
   * the other way round.
   */
  @SuppressWarnings("unchecked")
  private static void assertHandleMatchesCBytes(Loader l, String mapClass, Object key, Object value, byte[] cKey,
      byte[] cValue, byte[] otherCValue, Object otherValue) throws Exception {
    Object created = l.loadClass(mapClass).getMethod("create").invoke(null);
    try (BpfKeyedMap<Object, Object> typed = (BpfKeyedMap<Object, Object>) created;
        BpfKeyedMap<byte[], byte[]> raw = new BpfKeyedMap<>(typed.fd().dup(), typed.spec(),
            Codecs.bytes(cKey.length), Codecs.bytes(cValue.length))) {
      typed.set(key, value);
      assertThat(raw.get(cKey)).isEqualTo(cValue);
      raw.set(cKey, otherCValue);
      assertThat(typed.get(key)).isEqualTo(otherValue);
    }
  }

  @Test
  void generatedHandlesWriteAndReadTheBytesOfTheCLayout() throws Exception {
    Assumptions.assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Loader l = compiled("flows.bpf.o", "gen.flows");
    Class<?> flowKey = l.loadClass("gen.flows.FlowKey");
    Class<?> flowStats = l.loadClass("gen.flows.FlowStats");
    // 10.0.0.1 → 10.0.0.2, 80 → 443, TCP, as the C program stores it: addresses and ports big-endian,
    // 3 bytes of tail padding, counters little-endian.
    assertHandleMatchesCBytes(l, "gen.flows.FlowsMap",
        newRecord(flowKey, 0x0a000001, 0x0a000002, (short) 80, (short) 443, (byte) 6),
        newRecord(flowStats, 3L, 180L),
        new byte[] {10, 0, 0, 1, 10, 0, 0, 2, 0, 80, 1, (byte) 0xbb, 6, 0, 0, 0},
        new byte[] {3, 0, 0, 0, 0, 0, 0, 0, (byte) 180, 0, 0, 0, 0, 0, 0, 0},
        new byte[] {4, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0},
        newRecord(flowStats, 4L, 257L));

    Loader h = compiled("header_counter.bpf.o", "gen.hc");
    Class<?> packetKey = h.loadClass("gen.hc.PacketKey");
    Class<?> packetStats = h.loadClass("gen.hc.PacketStats");
    Class<?> verdict = h.loadClass("gen.hc.Verdict");
    Object dropped = verdict.getEnumConstants()[1];
    Object passed = verdict.getEnumConstants()[0];
    // UDP to port 53: the explicit pad byte is zero; the enum is 4 bytes, then 4 of tail padding.
    assertHandleMatchesCBytes(h, "gen.hc.PacketCountsMap",
        newRecord(packetKey, (byte) 17, (short) 53),
        newRecord(packetStats, 2L, 100L, dropped),
        new byte[] {17, 0, 0, 53},
        new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
        new byte[] {5, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        newRecord(packetStats, 5L, 512L, passed));
  }

  @Test
  void aGeneratedHandleBindsToTheLoadedObjectAndReadsWhatItsProgramWrote() throws Exception {
    Assumptions.assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Loader l = compiled("xdp_counter.bpf.o", "gen.xdp");
    Class<?> map = l.loadClass("gen.xdp.XdpStatsMap");
    Class<?> datarec = l.loadClass("gen.xdp.Datarec");
    try (BpfObject obj = BpfObject.load(SAMPLES.resolve("xdp_counter.bpf.o"));
        BpfKeyedMap<?, ?> stats = (BpfKeyedMap<?, ?>) map.getMethod("bind", BpfObject.class).invoke(null, obj)) {
      // xdp_count counts every frame under XDP_PASS (2), whatever it holds.
      assertThat(obj.program("xdp_count").testRun(new byte[64], 1).retval()).isEqualTo(2);
      assertThat(obj.program("xdp_count").testRun(new byte[100], 1).retval()).isEqualTo(2);
      java.lang.reflect.Method get = stats.getClass().getMethod("getAt", int.class);
      assertThat(get.invoke(stats, 2)).isEqualTo(newRecord(datarec, 2L, 164L));
      assertThat(get.invoke(stats, 1)).isEqualTo(newRecord(datarec, 0L, 0L));
    }
  }
}
