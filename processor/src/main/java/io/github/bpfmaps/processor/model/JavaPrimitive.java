package io.github.bpfmaps.processor.model;

/** The Java primitive types and the size of their natural C counterpart (JLS 4.2, DESIGN.md). */
public enum JavaPrimitive {
  BYTE(1, true),
  SHORT(2, true),
  CHAR(2, true),
  INT(4, true),
  LONG(8, true),
  FLOAT(4, false),
  DOUBLE(8, false),
  BOOLEAN(1, false);

  private final int size;
  private final boolean integral;

  JavaPrimitive(int size, boolean integral) {
    this.size = size;
    this.integral = integral;
  }

  /** The size of the Java type and of its natural C type. */
  public int size() {
    return size;
  }

  /** True for the integer types ({@code byte short char int long}). */
  public boolean integral() {
    return integral;
  }

  /** The Java keyword. */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
