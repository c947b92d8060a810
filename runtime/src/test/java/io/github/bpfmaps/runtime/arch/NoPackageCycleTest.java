package io.github.bpfmaps.runtime.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The packages of the library jars on this module's class path (bpfmaps-annotations,
 * bpfmaps-object, bpfmaps-runtime) form no cycle: each package is a node, and the layering that
 * docs/DESIGN.md draws (errors below spec below elf; runtime.sys below the runtime API below
 * runtime.maps) is what the class files say. A new back edge fails the build with the classes
 * that make it.
 */
class NoPackageCycleTest {
  static final JavaClasses LIBRARY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.bpfmaps");

  @Test
  void noPackageDependsOnItselfThroughAnother() {
    slices().matching("io.github.bpfmaps.(**)").should().beFreeOfCycles().check(LIBRARY);
  }

  @Test
  void theCheckSeesEveryLayer() {
    Set<String> packages = new TreeSet<>();
    LIBRARY.forEach(c -> packages.add(c.getPackageName()));
    // A test that imported nothing would pass vacuously.
    assertTrue(packages.containsAll(Set.of("io.github.bpfmaps.annotations", "io.github.bpfmaps.errors",
        "io.github.bpfmaps.spec", "io.github.bpfmaps.elf", "io.github.bpfmaps.runtime",
        "io.github.bpfmaps.runtime.sys", "io.github.bpfmaps.runtime.maps")), packages.toString());
  }
}
