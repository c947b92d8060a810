package io.github.bpfmaps.runtime.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class XdpToolsTest {
  static final Path XDP_TOOLS = Path.of("/usr/lib/x86_64-linux-gnu/bpf");

  /** The BPF objects of Debian's xdp-tools package, or none when it is not installed. */
  static List<Path> xdpToolsObjects() {
    if (!Files.isDirectory(XDP_TOOLS)) {
      return List.of();
    }
    try (var s = Files.list(XDP_TOOLS)) {
      return s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
