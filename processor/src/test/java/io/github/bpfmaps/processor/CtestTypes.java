package io.github.bpfmaps.processor;

import com.google.testing.compile.JavaFileObjects;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.spec.Layout;
import java.util.List;

/** ctest/Types.java compiled once with the processor, with handles on its generated codecs. */
final class CtestTypes {
  /** Every struct of Types.java, nested ones before the records that contain them. */
  static final List<String> STRUCTS = List.of("Scalars", "Net", "Widths", "Enums", "Strings",
      "Inner", "Arrays", "Nested", "PackedRec", "AlignedRec", "PaddingRec", "Mixed",
      "PackedAligned", "Root");

  private static Compiled compiled;

  private CtestTypes() {}

  static synchronized Compiled compiled() {
    if (compiled == null) {
      compiled = Compiled.of(JavaFileObjects.forResource("ctest/Types.java"));
    }
    return compiled;
  }

  static Class<?> record(String simpleName) {
    return compiled().load("ctest.Types$" + simpleName);
  }

  @SuppressWarnings("unchecked")
  static Codec<Object> codec(String simpleName) {
    try {
      return (Codec<Object>) compiled().load("ctest.Types_" + simpleName + "Codec")
          .getField("INSTANCE").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static Layout layout(String simpleName) {
    return codec(simpleName).layout();
  }
}
