package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The generated sources of a representative set of maps, compared with the committed golden files
 * under {@code src/test/resources/golden/}. After an intended change to the generated code, run
 * {@code mvn -pl processor -am test -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {
  private static final Path ROOT = Paths.get("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @Test
  void generatedSourcesMatchTheGoldenFiles() throws IOException {
    Map<String, String> generated = generate();
    Path out = ROOT.resolve("output/demo");
    if (UPDATE) {
      Files.createDirectories(out);
      try (Stream<Path> old = Files.list(out)) {
        for (Path p : old.collect(Collectors.toList())) {
          Files.delete(p);
        }
      }
      for (Map.Entry<String, String> e : generated.entrySet()) {
        Files.writeString(out.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
    }
    Map<String, String> golden = new TreeMap<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path p : files.collect(Collectors.toList())) {
        golden.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    assertWithMessage("generated files (rerun with -Dgolden.update=true after a deliberate change)")
        .that(generated.keySet()).containsExactlyElementsIn(golden.keySet());
    for (Map.Entry<String, String> e : golden.entrySet()) {
      assertWithMessage("%s differs from its golden file (rerun with -Dgolden.update=true after a "
          + "deliberate change)", e.getKey())
          .that(generated.get(e.getKey())).isEqualTo(e.getValue());
    }
  }

  @Test
  void generatedSourcesAreTheSameOnEveryRun() throws IOException {
    // Deterministic output: no timestamps, no hash-ordered members.
    assertThat(generate()).isEqualTo(generate());
  }

  /** Compiles the inputs and returns each generated source by file name. */
  private static Map<String, String> generate() throws IOException {
    Compiled c = Compiled.of(inputs().toArray(new JavaFileObject[0]));
    Map<String, String> generated = new TreeMap<>();
    for (JavaFileObject f : c.compilation.generatedSourceFiles()) {
      String name = Paths.get(f.toUri().getPath()).getFileName().toString();
      generated.put(name, f.getCharContent(true).toString());
    }
    return generated;
  }

  @Test
  void generatedCodeCompilesWithoutWarningsUnderXlintAllAndWerror() throws IOException {
    List<JavaFileObject> inputs = inputs();
    inputs.add(JavaFileObjects.forResource("ctest/Types.java"));
    com.google.testing.compile.Compilation c = com.google.testing.compile.Compiler.javac()
        .withProcessors(new BpfMapProcessor())
        .withOptions("-Xlint:all,-processing", "-Werror")
        .compile(inputs);
    com.google.testing.compile.CompilationSubject.assertThat(c).succeededWithoutWarnings();
  }

  /** The golden input sources, in file name order. */
  private static List<JavaFileObject> inputs() throws IOException {
    List<JavaFileObject> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(ROOT.resolve("input/demo"))) {
      for (Path p : files.sorted().collect(Collectors.toList())) {
        inputs.add(JavaFileObjects.forSourceString(
            "demo." + p.getFileName().toString().replace(".java", ""), Files.readString(p)));
      }
    }
    return inputs;
  }
}
