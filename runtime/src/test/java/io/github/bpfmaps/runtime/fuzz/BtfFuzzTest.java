package io.github.bpfmaps.runtime.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfKind;
import io.github.bpfmaps.elf.BtfType;
import io.github.bpfmaps.errors.BpfObjectFormatException;

/**
 * Fuzzes the BTF reader on its own, {@link Btf#parse}, with raw {@code .BTF} sections as seeds
 * ({@code BtfFuzzTestInputs/}): inside an object, most mutations die in the ELF layer first.
 */
class BtfFuzzTest {
  static final String FILE = "fuzzed.btf";

  @FuzzTest(maxDuration = "50s")
  void anyBytesGiveTypesOrAFormatErrorNamingTheFile(byte[] input) {
    ParseProperty.check(input, FILE, () -> explore(Btf.parse(input, FILE)));
  }

  /** Resolves and sizes every type, and lays out every DATASEC, as the object reader does. */
  static void explore(Btf btf) {
    for (BtfType t : btf.types()) {
      btf.resolve(t.id());
      try {
        btf.sizeOf(t.id());
      } catch (BpfObjectFormatException e) {
        // functions, forward declarations and void have no size; the message must say so
        if (e.getMessage() == null || !e.getMessage().contains("type [")) {
          throw new AssertionError("sizeOf failed without naming the type", e);
        }
      }
      if (t.kind() == BtfKind.DATASEC) {
        btf.find(BtfKind.DATASEC, t.name());
      }
    }
    btf.withDatasecLayout(new Btf.DatasecLayout() {
      @Override
      public long sectionSize(String datasec) {
        return 64;
      }

      @Override
      public long variableOffset(String datasec, String variable) {
        return 8;
      }
    });
  }
}
