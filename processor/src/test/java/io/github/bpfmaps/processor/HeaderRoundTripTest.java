package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.BtfLayoutCheck;
import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.spec.Layout;
import io.github.bpfmaps.spec.ObjectMapSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header the processor writes with {@code -Abpfmaps.header=true} compiles with clang, and the
 * object built from it passes the BTF check against the very records it came from: one source of
 * truth, both ways.
 */
class HeaderRoundTripTest {
  private static final JavaFileObject RECORDS = JavaFileObjects.forSourceLines("hdr.Maps",
      "package hdr;",
      "import io.github.bpfmaps.annotations.*;",
      "public final class Maps {",
      "  public enum Verdict { PASS, DROP, @CValue(-1) FAILED }",
      "  public enum Small { A, B }",
      "  public record Inner(@Unsigned short a, @Width(1) Small small, @Padding(1) byte b) {}",
      "  @Packed public record Tight(@Unsigned byte tag, @Unsigned int value) {}",
      "  @Align(16) public record Wide(long x) {}",
      "  @CName(\"flow_key\") public record Key(@NetworkOrder @Unsigned int addr,",
      "      @NetworkOrder @Unsigned short port, @Unsigned byte proto) {}",
      "  public record Value(@Unsigned long packets, double rate, boolean seen, char letter, @Unsigned byte lastTtl,",
      "      @CName(\"last_verdict\") Verdict verdict, @Size(8) String name, @Size(3) Inner[] inners,",
      "      Tight tight, @Unsigned @Size(2) int[] pair, Wide wide) {}",
      "  @BpfMap(type = MapType.HASH, maxEntries = 64, flags = MapFlags.NO_PREALLOC,",
      "      pinning = Pinning.BY_NAME)",
      "  public record Flows(Key key, Value value) {}",
      "  @BpfMap(type = MapType.ARRAY, maxEntries = 4)",
      "  public record Totals(@Unsigned int index, @Unsigned long value) {}",
      "  @BpfMap(type = MapType.QUEUE, maxEntries = 16)",
      "  public record Lengths(@Unsigned int value) {}",
      "  @BpfMap(type = MapType.RINGBUF, maxEntries = 4096)",
      "  public record Events(Key value) {}",
      "}");

  static String header(Compilation c, String name) throws IOException {
    Optional<JavaFileObject> h = c.generatedFile(StandardLocation.SOURCE_OUTPUT, name);
    assertThat(h.isPresent()).isTrue();
    return h.get().getCharContent(true).toString();
  }

  @Test
  void theHeaderIsWrittenOnlyWhenAsked() {
    Compilation c = Compiled.compile(RECORDS);
    assertThat(c).succeeded();
    assertThat(c.generatedFile(StandardLocation.SOURCE_OUTPUT, "hdr_maps.h").isPresent()).isFalse();
  }

  @Test
  void theHeaderGoesToGeneratedSourcesNotIntoTheJar() {
    Compilation c = javac().withProcessors(new BpfMapProcessor()).withOptions("-Abpfmaps.header=true")
        .compile(RECORDS);
    assertThat(c).succeeded();
    assertThat(c.generatedFile(StandardLocation.CLASS_OUTPUT, "hdr_maps.h").isPresent()).isFalse();
    assertThat(c.generatedFile(StandardLocation.SOURCE_OUTPUT, "hdr_maps.h").isPresent()).isTrue();
  }

  @Test
  void theHeaderDirOptionChoosesTheDirectory(@TempDir Path dir) throws IOException {
    Path headers = dir.resolve("generated-sources/bpf-headers");
    Compilation c = javac().withProcessors(new BpfMapProcessor())
        .withOptions("-Abpfmaps.headerDir=" + headers).compile(RECORDS);
    assertThat(c).succeeded();
    assertThat(Files.readString(headers.resolve("hdr_maps.h"))).contains("struct flow_key {");
    assertThat(c.generatedFile(StandardLocation.CLASS_OUTPUT, "hdr_maps.h").isPresent()).isFalse();
  }

  @Test
  void theHeaderDeclaresTheStructsEnumsAndMapsOfThePackage() throws IOException {
    Compilation c = javac().withProcessors(new BpfMapProcessor()).withOptions("-Abpfmaps.header=true")
        .compile(RECORDS);
    assertThat(c).succeededWithoutWarnings();
    String h = header(c, "hdr_maps.h");
    assertThat(h).contains("#pragma once\n");
    assertThat(h).contains("enum maps_verdict {\n\tPASS = 0,\n\tDROP = 1,\n\tFAILED = -1,\n};");
    // C names as C code spells them, from the Java names unless @CName says otherwise.
    assertThat(h).contains("struct value {\n");
    assertThat(h).contains("\t__u8 last_ttl;\n");
    assertThat(h).contains("struct flow_key {\n\t__be32 addr;\n\t__be16 port;\n\t__u8 proto;\n};");
    assertThat(h).contains("\t__u8 small;\n\t__u8 __pad_b[1];\n\t__s8 b;\n");
    assertThat(h).contains("} __attribute__((packed));");
    assertThat(h).contains("} __attribute__((aligned(16)));");
    assertThat(h).contains("\tenum maps_verdict last_verdict;\n\tchar name[8];\n\tstruct inner inners[3];\n");
    assertThat(h).contains("struct {\n\t__uint(type, BPF_MAP_TYPE_HASH);\n\t__uint(max_entries, 64);\n"
        + "\t__type(key, struct flow_key);\n\t__type(value, struct value);\n\t__uint(map_flags, 0x1);\n"
        + "\t__uint(pinning, LIBBPF_PIN_BY_NAME);\n} flows SEC(\".maps\");");
    assertThat(h).contains("struct {\n\t__uint(type, BPF_MAP_TYPE_RINGBUF);\n\t__uint(max_entries, 4096);\n"
        + "} events SEC(\".maps\");");
  }

  @Test
  void anObjectBuiltFromTheHeaderPassesTheCheckAgainstTheRecords(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(clangWorks(), "clang is not on the PATH (or cannot compile for -target bpf); "
        + "the header round trip needs it");
    Compilation c = javac().withProcessors(new BpfMapProcessor()).withOptions("-Abpfmaps.header=true")
        .compile(RECORDS);
    assertThat(c).succeeded();
    Files.writeString(dir.resolve("hdr_maps.h"), header(c, "hdr_maps.h"));
    Path src = dir.resolve("roundtrip.bpf.c");
    Files.writeString(src, "#include \"hdr_maps.h\"\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");
    Path obj = dir.resolve("roundtrip.bpf.o");
    Run r = run(dir, "clang", "-O2", "-g", "-target", "bpf", "-Wall", "-Werror",
        "-I/usr/include/" + arch() + "-linux-gnu", "-c", src.toString(), "-o", obj.toString());
    assertThat(r.output).isEmpty();

    ParsedObject o = ObjectParser.read(obj);
    List<String> names = new ArrayList<>();
    o.maps().forEach(m -> names.add(m.name()));
    assertThat(names).containsAtLeast("flows", "totals", "lengths", "events");
    ObjectMapSpec flows = o.named(o.maps(), ObjectMapSpec::name, "flows", "map", "");
    assertThat(flows.type()).isEqualTo(MapType.HASH);
    // The generated codec's LAYOUT, the run-time side of the check, agrees too.
    Compiled compiled = Compiled.of(RECORDS);
    Layout value = (Layout) compiled.load("hdr.Maps_ValueCodec").getField("LAYOUT").get(null);
    assertThat(BtfLayoutCheck.compare(o.btf(), flows.valueTypeId(), value, "value")).isEmpty();
    Compilation checked = javac().withProcessors(new BpfMapProcessor())
        .withOptions("-Abpfmaps.object=" + obj).compile(RECORDS);
    assertThat(checked).succeededWithoutWarnings();
  }

  static String arch() {
    String a = System.getProperty("os.arch");
    return a.equals("amd64") ? "x86_64" : a.equals("aarch64") ? "aarch64" : a;
  }

  static boolean clangWorks() {
    try {
      return run(Path.of("."), "clang", "--version").exit == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  record Run(int exit, String output) {}

  static Run run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    if (p.exitValue() != 0 && !command[1].equals("--version")) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }
    return new Run(p.exitValue(), out);
  }
}
