package io.github.bpfmaps.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.spec.GlobalVariable;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;

/**
 * Fuzzes the whole object reader, {@link BpfObject#fromBytes}, and everything a user can ask of an
 * object it returns: maps, programs, their instructions, the relocation step, variables and BTF.
 *
 * <p>The seeds in {@code ObjectFuzzTestInputs/} are the committed sample and test objects; in the
 * normal build each of them (and each committed finding) runs once as a regression test. See
 * {@code scripts/fuzz.sh} for fuzzing.
 */
class ObjectFuzzTest {
  static final String FILE = "fuzzed.bpf.o";

  @FuzzTest(maxDuration = "50s")
  void anyBytesGiveAnObjectOrAFormatErrorNamingTheFile(byte[] input) {
    ParseProperty.check(input, FILE, () -> {
      try (BpfObject o = BpfObject.fromBytes(input, FILE, "fuzzed")) {
        explore(o);
      }
    });
  }

  /** Touches what a loader or a user would read after a successful open. */
  static void explore(BpfObject o) {
    for (ObjectMapSpec m : o.maps()) {
      o.map(m.name());
      m.initialData();
      if (m.innerMap() != null) {
        m.innerMap().name();
      }
    }
    for (GlobalVariable v : o.variables()) {
      o.variable(v.name());
    }
    for (ProgramSpec p : o.programs()) {
      o.instructions(p.name());
      o.link(p.name(), map -> 3);
    }
    Btf btf = o.btf();
    if (btf != null) {
      BtfFuzzTest.explore(btf);
    }
  }
}
