package io.github.bpfmaps.tools;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.processor.BpfMapProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records → header (processor) → object (clang) → records (gen) → check against the object: the
 * records gen writes back describe the same bytes as the ones the header came from.
 */
class FullCircleTest {
  private static final JavaFileObject RECORDS = JavaFileObjects.forSourceLines("circle.Maps",
      "package circle;",
      "import io.github.bpfmaps.annotations.*;",
      "public final class Maps {",
      "  public enum Verdict { PASS, DROP, @CValue(-1) FAILED }",
      "  @CName(\"key\") public record Key(@Unsigned byte proto, @Padding(1) @NetworkOrder @Unsigned short port) {}",
      "  @CName(\"stats\") public record Stats(@Unsigned long packets, double rate, boolean seen,",
      "      Verdict verdict, @Size(8) String name, @Size(3) Key[] recent, @Unsigned @Size(2) int[] pair) {}",
      "  @BpfMap(type = MapType.LRU_HASH, maxEntries = 64, flags = MapFlags.NO_COMMON_LRU)",
      "  public record Counts(Key key, Stats value) {}",
      "}");

  private static boolean clangWorks() {
    try {
      Process p = new ProcessBuilder("clang", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Compiles {@code dir/name.bpf.c} into {@code name.bpf.o} as scripts/build-bpf.sh does; fails on any output. */
  private static void clang(Path dir, String name) throws IOException, InterruptedException {
    String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64";
    Process p = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/" + arch + "-linux-gnu",
        "-c", name + ".bpf.c", "-o", name + ".bpf.o").directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEmpty();
  }

  @Test
  void recordsGeneratedFromAnObjectBuiltFromTheGeneratedHeaderMatchIt(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(clangWorks(), "clang is not on the PATH; the round trip through C needs it");
    Compilation c = javac().withProcessors(new BpfMapProcessor()).withOptions("-Abpfmaps.header=true")
        .compile(RECORDS);
    assertThat(c).succeeded();
    String header = c.generatedFile(StandardLocation.SOURCE_OUTPUT, "circle_maps.h").orElseThrow()
        .getCharContent(true).toString();
    Files.writeString(dir.resolve("circle_maps.h"), header);
    Files.writeString(dir.resolve("circle.bpf.c"), "#include \"circle_maps.h\"\n");
    clang(dir, "circle");

    RecordGenerator.Output gen;
    gen = RecordGenerator.generate(ObjectParser.read(dir.resolve("circle.bpf.o")), "circle.bpf.o", "back", true);
    assertThat(gen.skipped()).isEmpty();
    assertThat(gen.files().get("Key")).contains("@Padding(1) @NetworkOrder @Unsigned short port");
    assertThat(gen.files().get("MapsVerdict")).contains("@CValue(-1) FAILED");
    assertThat(gen.files().get("Counts")).contains("type = MapType.LRU_HASH, maxEntries = 64, flags = 0x2");
    assertThat(RecordGeneratorTest.compile("back", gen, dir)).succeededWithoutWarnings();
  }

  /** C has separate name spaces for maps and struct tags; the records get clear, distinct names. */
  @Test
  void aMapAndAStructOfTheSameNameGetDistinctRecordNames(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(clangWorks(), "clang is not on the PATH; the object is compiled from C here");
    Files.writeString(dir.resolve("same.bpf.c"), String.join("\n",
        "#include <linux/types.h>",
        "#include <linux/bpf.h>",
        "#include <bpf/bpf_helpers.h>",
        "struct class_stats { __u64 packets; __u64 bytes; };",
        "struct {",
        "  __uint(type, BPF_MAP_TYPE_HASH);",
        "  __uint(max_entries, 16);",
        "  __type(key, __u32);",
        "  __type(value, struct class_stats);",
        "} class_stats SEC(\".maps\");",
        ""));
    clang(dir, "same");
    RecordGenerator.Output gen;
    gen = RecordGenerator.generate(ObjectParser.read(dir.resolve("same.bpf.o")), "same.bpf.o", "same", true);
    assertThat(gen.files().keySet()).containsExactly("ClassStats", "ClassStatsStruct");
    assertThat(gen.files().get("ClassStats")).contains("public record ClassStats(@Unsigned int key, ClassStatsStruct value)");
    assertThat(RecordGeneratorTest.compile("same", gen, dir)).succeededWithoutWarnings();
  }
}
