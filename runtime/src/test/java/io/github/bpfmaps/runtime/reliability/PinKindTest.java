package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.Asm;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.spec.MapSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pin that is not a map is refused as what it is (issue 18, class 5): {@code BPF_OBJ_GET} opens
 * programs, links and maps alike, so the kind of every fd from a pin is checked before it is used.
 */
class PinKindTest {
  private static final MapSpec SPEC = MapSpec.of("pin_kind", MapType.HASH, 4, 8, 4, 0);
  private Path dir;

  @BeforeEach
  void setUp() {
    KernelTests.needBpf();
    dir = KernelTests.pinDir();
  }

  @AfterEach
  void tearDown() {
    KernelTests.deleteTree(dir);
  }

  private Path pinnedProgram() {
    int prog = BpfSys.progLoad(new ProgLoad().type(6).name("pin_kind_prog")
        .insns(new Asm().movImm(0, 2).exit().bytes()));
    try {
      Path p = dir.resolve("prog");
      BpfSys.objPin(prog, p.toString());
      return p;
    } finally {
      BpfSys.close(prog);
    }
  }

  @Test
  void openingAPinnedProgramAsAMapSaysThePinIsAProgram() {
    Path p = pinnedProgram();
    Set<String> before = KernelTests.runtimeFds();
    BpfException e = assertThrows(BpfException.class, () -> MapFd.openPinned(p));
    assertTrue(e.getMessage().contains("this pin is a program, not a map"), e.getMessage());
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    assertEquals(Set.of(), KernelTests.newFdsSince(before), "the program's fd is closed");
  }

  @Test
  void validatedOpenOfAPinnedProgramSaysThePinIsAProgramNotAMismatch() {
    Path p = pinnedProgram();
    BpfException e = assertThrows(BpfException.class, () -> MapFd.openPinned(p, SPEC));
    assertFalse(e instanceof BpfSpecMismatchException, e.getMessage());
    assertTrue(e.getMessage().contains("this pin is a program, not a map"), e.getMessage());
  }

  @Test
  void openingADirectoryOnBpffsSaysItIsADirectoryNotAPermissionProblem() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    BpfException e = assertThrows(BpfException.class, () -> MapFd.openPinned(sub));
    assertFalse(e instanceof BpfPermissionException, e.getMessage());
    assertTrue(e.getMessage().contains("is a directory on bpffs"), e.getMessage());
    assertFalse(e.getMessage().contains("run as root"), e.getMessage());
    assertFalse(e.getMessage().contains("CAP_BPF"), e.getMessage());
  }

  @Test
  void aPinnedMapStillOpens() {
    try (MapFd m = MapFd.create(SPEC)) {
      m.pin(dir.resolve("map"));
      try (MapFd again = MapFd.openPinned(dir.resolve("map"), SPEC)) {
        assertEquals(m.info().id(), again.info().id());
      }
    }
  }
}
