package io.github.bpfmaps.processor.model;

import java.util.List;

/**
 * The name of a record or enum: its package and the simple names from the outermost enclosing type inward.
 *
 * @param packageName the package, empty for the unnamed package
 * @param simpleNames e.g. {@code [Outer, Inner]}
 */
public record TypeRef(String packageName, List<String> simpleNames) {
  public TypeRef {
    simpleNames = List.copyOf(simpleNames);
    if (simpleNames.isEmpty()) {
      throw new IllegalArgumentException("a type name needs a simple name");
    }
  }

  /** A top-level type. */
  public static TypeRef of(String packageName, String... simpleNames) {
    return new TypeRef(packageName, List.of(simpleNames));
  }

  public String simpleName() {
    return simpleNames.get(simpleNames.size() - 1);
  }

  /** The simple names joined with {@code _}: generated classes are top-level, so nesting flattens. */
  public String flatName() {
    return String.join("_", simpleNames);
  }

  /** The canonical Java name, e.g. {@code com.example.Outer.Inner}. */
  public String canonicalName() {
    String dotted = String.join(".", simpleNames);
    return packageName.isEmpty() ? dotted : packageName + "." + dotted;
  }
}
