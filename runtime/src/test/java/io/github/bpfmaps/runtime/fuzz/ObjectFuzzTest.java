package io.github.bpfmaps.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.elf.ProgramLinker;
import io.github.bpfmaps.spec.GlobalVariable;
import io.github.bpfmaps.spec.MapSpec;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;

/**
 * Fuzzes the whole object reader, {@link ObjectParser#parse} (what {@code BpfObjectSpec.read}
 * calls), and everything a loader or a user can ask of what it returns: maps, programs, their
 * instructions, the relocation step, variables and BTF.
 *
 * <p>The seeds in {@code ObjectFuzzTestInputs/} are the committed sample and test objects; in the
 * normal build each of them (and each committed finding) runs once as a regression test. See
 * {@code scripts/fuzz.sh} for fuzzing.
 */
class ObjectFuzzTest {
  static final String FILE = "fuzzed.bpf.o";

  @FuzzTest(maxDuration = "50s")
  void anyBytesGiveAnObjectOrAFormatErrorNamingTheFile(byte[] input) {
    ParseProperty.check(input, FILE, () -> explore(ObjectParser.parse(input.clone(), FILE, "fuzzed")));
  }

  /** Touches what a loader or a user would read after a successful parse. */
  static void explore(ParsedObject o) {
    for (ObjectMapSpec m : o.maps()) {
      o.named(o.maps(), MapSpec::name, m.name(), "map", "");
      m.initialData();
      if (m.innerMap() != null) {
        m.innerMap().name();
      }
    }
    for (GlobalVariable v : o.variables()) {
      o.named(o.variables(), GlobalVariable::name, v.name(), "global variable", "");
    }
    for (ProgramSpec p : o.programs()) {
      o.instructions(o.program(p.name()));
      ProgramLinker.link(o, p.name(), map -> 3);
    }
    Btf btf = o.btf();
    if (btf != null) {
      BtfFuzzTest.explore(btf);
    }
  }
}
