package io.github.bpfmaps.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed objects are exactly what scripts/build-bpf.sh makes from the committed C. */
class BuildReproducibilityTest {
  @Test
  void committedObjectsMatchAFreshBuild(@TempDir Path out) throws IOException {
    Assumptions.assumeTrue(TestObjects.available("clang", "--version"), "clang is not installed; cannot rebuild the BPF objects");
    Assumptions.assumeTrue(TestObjects.available("git", "--version"), "git is not installed; build-bpf.sh lists sources with it");
    Path root = TestObjects.repoRoot();
    TestObjects.Run build = TestObjects.run(root, "bash", "scripts/build-bpf.sh", out.toString());
    assertEquals(0, build.exit(), build.err());
    List<Path> committed = TestObjects.allObjects();
    assertFalse(committed.isEmpty());
    for (Path object : committed) {
      Path rebuilt = out.resolve(root.relativize(object));
      assertTrue(Files.exists(rebuilt), "build-bpf.sh built " + rebuilt);
      assertArrayEquals(Files.readAllBytes(object), Files.readAllBytes(rebuilt),
          root.relativize(object) + " differs from a fresh build: run scripts/build-bpf.sh and commit the result");
    }
  }
}
