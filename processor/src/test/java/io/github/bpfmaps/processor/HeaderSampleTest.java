package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The sample {@code header_counter.bpf.c} includes a committed copy of the header generated from
 * {@code samples/.../header/}; the copy must be what the processor writes today, and the committed
 * object built from it must pass the check against the records.
 */
class HeaderSampleTest {
  private static final Path SAMPLES = Paths.get("..", "samples", "src", "main").toAbsolutePath().normalize();
  private static final String HEADER = "io_github_bpfmaps_samples_header_maps.h";

  private static List<JavaFileObject> records() throws IOException {
    List<JavaFileObject> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(SAMPLES.resolve("java/io/github/bpfmaps/samples/header"))) {
      for (Path p : files.sorted().toList()) {
        if (p.toString().endsWith(".java")) {
          try {
            out.add(JavaFileObjects.forResource(p.toUri().toURL()));
          } catch (MalformedURLException e) {
            throw new IOException(e);
          }
        }
      }
    }
    return out;
  }

  @Test
  void theCommittedHeaderIsTheOneTheRecordsGenerateAndTheObjectMatchesThem() throws IOException {
    Compilation c = javac().withProcessors(new BpfMapProcessor())
        .withOptions("-Abpfmaps.header=true", "-Abpfmaps.objectPath=" + SAMPLES.resolve("bpf"))
        .compile(records());
    assertThat(c).succeededWithoutWarnings();
    String committed = Files.readString(SAMPLES.resolve("bpf").resolve(HEADER));
    assertWithMessage("samples/src/main/bpf/%s is stale: copy target/generated-sources/annotations/%s over it and run "
        + "scripts/build-bpf.sh", HEADER, HEADER)
        .that(HeaderRoundTripTest.header(c, HEADER)).isEqualTo(committed);
  }
}
