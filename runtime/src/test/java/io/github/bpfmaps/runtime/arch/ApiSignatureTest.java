package io.github.bpfmaps.runtime.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No public or protected member of a public class in an API package ({@code runtime}, {@code
 * runtime.maps}, {@code spec}, {@code errors}) names a type of the internal packages ({@code
 * runtime.sys}, {@code elf}, {@code runtime.internal}) in its signature: return type, parameters,
 * or field type, generic arguments included.
 *
 * <p>{@link #KNOWN} lists the members that did when this test was written (issue 13); each is to
 * be hidden or wrapped, and then struck from the list. A member that is not on it fails the build.
 */
class ApiSignatureTest {
  private static final Set<String> API = Set.of("io.github.bpfmaps.runtime", "io.github.bpfmaps.runtime.maps",
      "io.github.bpfmaps.spec", "io.github.bpfmaps.errors");
  private static final List<String> INTERNAL = List.of("io.github.bpfmaps.runtime.sys", "io.github.bpfmaps.elf",
      "io.github.bpfmaps.runtime.internal");

  /** Exposures that predate the test; shrink this list, never grow it. Empty since issue 13. */
  private static final Set<String> KNOWN = Set.of();

  @Test
  void apiSignaturesNameNoInternalType() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.github.bpfmaps");
    Set<String> found = new TreeSet<>();
    for (JavaClass c : classes) {
      if (!API.contains(c.getPackageName()) || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
        continue;
      }
      for (JavaMember m : c.getMembers()) {
        if (!m.getModifiers().contains(JavaModifier.PUBLIC) && !m.getModifiers().contains(JavaModifier.PROTECTED)) {
          continue;
        }
        List<JavaClass> types = new ArrayList<>();
        if (m instanceof JavaField f) {
          types.addAll(f.getType().getAllInvolvedRawTypes());
        } else if (m instanceof JavaCodeUnit u) {
          types.addAll(u.getReturnType().getAllInvolvedRawTypes());
          u.getParameterTypes().forEach(t -> types.addAll(t.getAllInvolvedRawTypes()));
        }
        for (JavaClass t : types) {
          if (INTERNAL.stream().anyMatch(p -> t.getPackageName().equals(p) || t.getPackageName().startsWith(p + "."))) {
            found.add(m.getFullName() + " exposes " + t.getName());
          }
        }
      }
    }
    Set<String> fresh = new TreeSet<>(found);
    fresh.removeAll(KNOWN);
    assertEquals(Set.of(), fresh, "public or protected API members that name internal types "
        + "(hide them, or wrap the internal type in an API value type)");
  }
}
