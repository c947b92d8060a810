package io.github.bpfmaps.processor.model;

import java.util.List;

/**
 * The C type of one record component (or of a whole key or value), with its size and alignment as
 * the C compiler computes them on x86-64 and arm64 (natural alignment, little-endian host).
 */
public sealed interface FieldType
    permits FieldType.FixedWidth, FieldType.StringType, FieldType.ArrayType, FieldType.StructType {

  /** {@code sizeof} in bytes. */
  int size();

  /** {@code _Alignof} in bytes. */
  int align();

  /** A C scalar: its size is its width and, as for every C scalar on these ABIs, its alignment. */
  sealed interface FixedWidth extends FieldType permits Scalar, EnumType {
    int width();

    @Override
    default int size() {
      return width();
    }

    @Override
    default int align() {
      return width();
    }
  }

  /**
   * A primitive Java value in a C integer, float or {@code _Bool} of {@code width} bytes.
   *
   * @param java the Java primitive
   * @param width the C size; equal to the Java size unless {@code @Width} narrows it
   * @param unsigned whether the C integer is unsigned ({@code char} always is)
   * @param networkOrder whether the bytes are big-endian ({@code __be16} …)
   */
  record Scalar(JavaPrimitive java, int width, boolean unsigned, boolean networkOrder)
      implements FixedWidth {
    /** The plain C scalar of a Java primitive: no narrowing, host order. */
    public static Scalar of(JavaPrimitive java, boolean unsigned) {
      return new Scalar(java, java.size(), unsigned || java == JavaPrimitive.CHAR, false);
    }

    /** True when the C field is narrower than the Java value, so encode checks the range. */
    public boolean narrowed() {
      return width < java.size();
    }
  }

  /**
   * A Java enum stored as a C integer of {@code width} bytes.
   *
   * @param name the enum's name
   * @param constants the constants in declaration order with their C values
   * @param width 4, or the {@code @Width}
   */
  record EnumType(TypeRef name, List<EnumConstant> constants, int width)
      implements FixedWidth {
    public EnumType {
      constants = List.copyOf(constants);
    }

    /** True if some constant is negative: C then gives the enum a signed type. */
    public boolean signed() {
      return constants.stream().anyMatch(c -> c.value() < 0);
    }
  }

  /** One enum constant and its C value ({@code @CValue} or the ordinal). */
  record EnumConstant(String name, long value) {}

  /** A {@code @Size(n) String}: {@code char name[n]}, UTF-8, NUL-padded. */
  record StringType(int length) implements FieldType {
    @Override
    public int size() {
      return length;
    }

    @Override
    public int align() {
      return 1;
    }
  }

  /** A {@code @Size(n) T[]}: {@code T name[n]}. */
  record ArrayType(FieldType element, int length) implements FieldType {
    @Override
    public int size() {
      return element.size() * length;
    }

    @Override
    public int align() {
      return element.align();
    }
  }

  /** A nested record: a C struct. */
  record StructType(StructLayout layout) implements FieldType {
    @Override
    public int size() {
      return layout.size();
    }

    @Override
    public int align() {
      return layout.align();
    }
  }
}
