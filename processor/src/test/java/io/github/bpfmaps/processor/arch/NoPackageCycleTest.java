package io.github.bpfmaps.processor.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The processor's packages form no cycle ({@code processor} wires {@code check} and {@code write},
 * both of which read {@code model}; {@code model} depends on none of them), and the processor's
 * own classes never reach the runtime: it reads objects through bpfmaps-object only.
 */
class NoPackageCycleTest {
  private static final JavaClasses PROCESSOR = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.bpfmaps.processor");

  @Test
  void noPackageDependsOnItselfThroughAnother() {
    slices().matching("io.github.bpfmaps.processor.(**)").should().beFreeOfCycles().check(PROCESSOR);
  }

  @Test
  void theProcessorNeverUsesTheRuntime() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .should().dependOnClassesThat().resideInAPackage("io.github.bpfmaps.runtime..")
        .because("the processor runs without JNA and without the runtime jar")
        .check(PROCESSOR);
  }

  @Test
  void theCheckSeesEveryPackage() {
    Set<String> packages = new TreeSet<>();
    PROCESSOR.forEach(c -> packages.add(c.getPackageName()));
    assertTrue(packages.containsAll(Set.of("io.github.bpfmaps.processor", "io.github.bpfmaps.processor.check",
        "io.github.bpfmaps.processor.model", "io.github.bpfmaps.processor.write")), packages.toString());
  }
}
