package io.github.bpfmaps.spec;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The C layout of a record as the processor computed it: the struct's size and alignment and each
 * member's offset, size, kind and array length. Generated codecs return it from
 * {@link Codec#layout()}; the BTF check compares it with the struct a compiled object declares.
 *
 * @param cName the C struct tag
 * @param size {@code sizeof}, tail padding included
 * @param align the struct's alignment
 * @param fields the members in declaration order (explicit padding is not listed)
 */
public record Layout(String cName, int size, int align, List<Field> fields) {
  public Layout {
    Objects.requireNonNull(cName, "cName");
    fields = List.copyOf(fields);
  }

  /**
   * The layout of {@code struct cName}: what generated codecs declare, one named factory per
   * member, for example {@code Layout.struct("flow_key", 16, 4, Field.unsignedInt("saddr", 0,
   * 4).inNetworkOrder(), Field.string("comm", 4, 12))}.
   */
  public static Layout struct(String cName, int size, int align, Field... fields) {
    return new Layout(cName, size, align, List.of(fields));
  }

  /** What a member holds, as far as C and BTF can tell. */
  public enum Kind {
    /** An integer ({@code __u8} … {@code __s64}, {@code char}, {@code bool} is {@link #BOOL}). */
    INT,
    /** {@code _Bool}. */
    BOOL,
    /** {@code float} or {@code double}. */
    FLOAT,
    /** A C enum (stored as an integer of the field's element size). */
    ENUM,
    /** A NUL-padded {@code char[n]} holding a Java {@code String}. */
    STRING,
    /** A nested struct; {@link Field#nested()} describes it. */
    STRUCT
  }

  /**
   * One member.
   *
   * @param name the Java component name
   * @param cName the C member name
   * @param offset the byte offset in the struct
   * @param elementSize the size of one element (the whole member for scalars)
   * @param count the array length, 0 for a scalar ({@code char[n]} strings have count {@code n})
   * @param kind what the member holds
   * @param signed whether an integer member is signed
   * @param networkOrder whether the member is stored big-endian
   * @param nested the layout of a struct member or of a struct array's elements
   * @param enumConstants for an {@link Kind#ENUM} member, each Java constant with the C value it is
   *     stored as, in declaration order (compared with the C enum's constants at bind time and at
   *     compile time); empty otherwise
   */
  public record Field(
      String name,
      String cName,
      int offset,
      int elementSize,
      int count,
      Kind kind,
      boolean signed,
      boolean networkOrder,
      @Nullable Layout nested,
      List<EnumConstant> enumConstants) {
    public Field {
      enumConstants = List.copyOf(enumConstants);
    }

    /** A member that is not an enum (no constants). */
    public Field(String name, String cName, int offset, int elementSize, int count, Kind kind,
        boolean signed, boolean networkOrder, @Nullable Layout nested) {
      this(name, cName, offset, elementSize, count, kind, signed, networkOrder, nested, List.of());
    }

    /** A signed integer member ({@code __s8} .. {@code __s64}) of {@code size} bytes. */
    public static Field signedInt(String name, int offset, int size) {
      return new Field(name, name, offset, size, 0, Kind.INT, true, false, null);
    }

    /** An unsigned integer member ({@code __u8} .. {@code __u64}) of {@code size} bytes. */
    public static Field unsignedInt(String name, int offset, int size) {
      return new Field(name, name, offset, size, 0, Kind.INT, false, false, null);
    }

    /** A {@code _Bool} member (one byte). */
    public static Field bool(String name, int offset) {
      return new Field(name, name, offset, 1, 0, Kind.BOOL, false, false, null);
    }

    /** A {@code float} (4) or {@code double} (8) member. */
    public static Field floating(String name, int offset, int size) {
      return new Field(name, name, offset, size, 0, Kind.FLOAT, true, false, null);
    }

    /**
     * A C enum member stored in {@code size} bytes as an unsigned number, with its Java constants
     * and their C values.
     */
    public static Field enumeration(String name, int offset, int size, List<EnumConstant> constants) {
      return new Field(name, name, offset, size, 0, Kind.ENUM, false, false, null, constants);
    }

    /** A C enum member stored in {@code size} bytes as a signed number (a negative C value). */
    public static Field signedEnumeration(String name, int offset, int size,
        List<EnumConstant> constants) {
      return new Field(name, name, offset, size, 0, Kind.ENUM, true, false, null, constants);
    }

    /** A NUL-padded {@code char[length]} member holding a string. */
    public static Field string(String name, int offset, int length) {
      return new Field(name, name, offset, 1, length, Kind.STRING, false, false, null);
    }

    /** A nested struct member laid out as {@code nested}. */
    public static Field struct(String name, int offset, Layout nested) {
      return new Field(name, name, offset, nested.size(), 0, Kind.STRUCT, false, false, nested);
    }

    /** This member as an array of {@code count} elements (the factories make scalars). */
    public Field array(int count) {
      if (count < 1) {
        throw new IllegalArgumentException(name + ": array length " + count + " is not positive");
      }
      return new Field(name, cName, offset, elementSize, count, kind, signed, networkOrder, nested,
          enumConstants);
    }

    /** This member with another C name (the factories use the Java name for both). */
    public Field withCName(String cName) {
      return new Field(name, cName, offset, elementSize, count, kind, signed, networkOrder, nested,
          enumConstants);
    }

    /** This integer member stored big-endian ({@code __be16} .. {@code __be64}). */
    public Field inNetworkOrder() {
      return new Field(name, cName, offset, elementSize, count, kind, signed, true, nested,
          enumConstants);
    }

    /** The member's total size: {@code elementSize * max(count, 1)}. */
    public int byteSize() {
      return elementSize * Math.max(count, 1);
    }
  }

  /**
   * One constant of a Java enum member and the C value it is stored as ({@code @CValue}, else the
   * ordinal).
   *
   * @param name the Java constant's name, compared with the C enumerator of the same name
   * @param value the value written to the map
   */
  public record EnumConstant(String name, long value) {}
}
