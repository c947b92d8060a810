package io.github.bpfmaps.processor.model;

/**
 * A component placed in its struct.
 *
 * @param component the declaration
 * @param offset the byte offset of the member itself (after explicit and alignment padding)
 * @param paddingOffset where the explicit {@code @Padding} bytes start (equal to {@code offset} minus
 *     the padding when there is no alignment gap between them)
 */
public record Member(Component component, int offset, int paddingOffset) {
  public String name() {
    return component.name();
  }

  /** The method that reads the member from the Java object: {@code name} or {@code getName}. */
  public String accessor() {
    return component.accessor();
  }

  public FieldType type() {
    return component.type();
  }

  /** The first byte after the member. */
  public int end() {
    return offset + component.type().size();
  }
}
