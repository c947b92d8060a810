package io.github.bpfmaps.processor.model;

/**
 * A record component (or a property of a Kotlin data class) as the layout needs it, before offsets
 * are known.
 *
 * @param name the Java component name
 * @param cName the C member name ({@code @CName} or the Java name)
 * @param type the C type
 * @param align the {@code @Align} on the component, 0 if none
 * @param padding the {@code @Padding} bytes placed before it, 0 if none
 * @param accessor the method the codec reads it with: the component name for a record,
 *     {@code getName} / {@code isName} for a Kotlin data class
 */
public record Component(String name, String cName, FieldType type, int align, int padding,
    String accessor) {
  /** A record component: read through the accessor of the same name. */
  public Component(String name, String cName, FieldType type, int align, int padding) {
    this(name, cName, type, align, padding, name);
  }

  /** A component with no alignment or padding annotations. */
  public static Component of(String name, FieldType type) {
    return new Component(name, name, type, 0, 0);
  }
}
