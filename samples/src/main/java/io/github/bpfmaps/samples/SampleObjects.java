package io.github.bpfmaps.samples;

import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.BpfObjectSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the compiled sample objects: in the source tree when run from the repository (or from
 * {@code samples/}), otherwise in this jar ({@code bpf/<name>.bpf.o}, copied there by the build).
 */
public final class SampleObjects {
  private SampleObjects() {}

  /**
   * Reads (parses, no system call) the sample object {@code name}, such as {@code xdp_counter}, as a
   * spec to edit and {@link BpfObjectSpec#load load}.
   *
   * @throws BpfException if it is neither in the source tree nor on the classpath
   */
  public static BpfObjectSpec open(String name) {
    String file = name + ".bpf.o";
    for (Path dir : List.of(Path.of("src/main/bpf"), Path.of("samples/src/main/bpf"))) {
      Path p = dir.resolve(file);
      if (Files.isRegularFile(p)) {
        return BpfObjectSpec.read(p);
      }
    }
    try (InputStream in = SampleObjects.class.getResourceAsStream("/bpf/" + file)) {
      if (in == null) {
        throw new BpfException("open", file, 0, file + " is neither under src/main/bpf nor on the classpath"
            + " (bpf/" + file + "); build the samples module or run from the repository");
      }
      return BpfObjectSpec.read(in.readAllBytes(), "classpath:/bpf/" + file, ObjectParser.objectName(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
