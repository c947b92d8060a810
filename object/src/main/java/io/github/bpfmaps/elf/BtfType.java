package io.github.bpfmaps.elf;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One BTF type. Which fields mean something depends on {@link #kind()}: {@code size} for INT,
 * ENUM, ENUM64, STRUCT, UNION, DATASEC and FLOAT; {@code type} for PTR, TYPEDEF, the modifiers,
 * FUNC, FUNC_PROTO (the return type), VAR and DECL_TAG; the lists for the kinds that have them
 * (empty otherwise). Id 0 is {@code void} and has no {@code BtfType}.
 *
 * @param id the type id (1-based)
 * @param kind the kind
 * @param name the name; empty for anonymous types
 * @param size the size in bytes, for the kinds that have one; 0 otherwise
 * @param type the referenced type id, for the kinds that reference one; 0 otherwise
 * @param vlen the raw {@code vlen} (for FUNC, the linkage)
 * @param kindFlag the raw {@code kind_flag} (bitfield members, union/struct FWD, ENUM signedness)
 * @param intEncoding for INT: {@link #INT_SIGNED}, {@link #INT_CHAR}, {@link #INT_BOOL} bits
 * @param intBitOffset for INT: {@code BTF_INT_OFFSET}
 * @param intBits for INT: {@code BTF_INT_BITS}
 * @param array for ARRAY: element type, index type and length; null otherwise
 * @param members for STRUCT and UNION
 * @param enumValues for ENUM and ENUM64
 * @param params for FUNC_PROTO
 * @param linkage for VAR ({@code BTF_VAR_*}) and FUNC ({@code BTF_FUNC_*})
 * @param variables for DATASEC
 * @param componentIndex for DECL_TAG: the member or parameter index, or -1 for the whole type
 */
public record BtfType(
    int id,
    BtfKind kind,
    String name,
    long size,
    int type,
    int vlen,
    boolean kindFlag,
    int intEncoding,
    int intBitOffset,
    int intBits,
    ArrayInfo array,
    List<Member> members,
    List<EnumValue> enumValues,
    List<Param> params,
    int linkage,
    List<VarSecInfo> variables,
    int componentIndex) {

  /** {@code BTF_INT_SIGNED}. */
  public static final int INT_SIGNED = 1;
  /** {@code BTF_INT_CHAR}. */
  public static final int INT_CHAR = 2;
  /** {@code BTF_INT_BOOL}. */
  public static final int INT_BOOL = 4;

  /** The element type, index type and length of an ARRAY. */
  public record ArrayInfo(int elementType, int indexType, long length) {
    static final ArrayInfo NONE = new ArrayInfo(0, 0, 0);
  }

  /**
   * A member of a STRUCT or UNION.
   *
   * @param bitOffset the offset of the member from the start of the struct, in bits
   * @param bitfieldSize the width of a bitfield member in bits; 0 for an ordinary member
   */
  public record Member(String name, int type, long bitOffset, int bitfieldSize) {
    /** The byte offset of a member that is not a bitfield (or of the byte its bits start in). */
    public long byteOffset() {
      return bitOffset / 8;
    }

    /** True for bitfield members. */
    public boolean isBitfield() {
      return bitfieldSize != 0;
    }
  }

  /** A named constant of an ENUM or ENUM64 (ENUM values are sign- or zero-extended). */
  public record EnumValue(String name, long value) {}

  /** A parameter of a FUNC_PROTO; an unnamed parameter of type 0 marks varargs. */
  public record Param(String name, int type) {}

  /** A variable of a DATASEC: its VAR type id and where it lies in the section. */
  public record VarSecInfo(int type, long offset, long size) {}

  /** True for INT types whose encoding says signed, and for ENUM and ENUM64 marked signed. */
  public boolean isSigned() {
    return kind == BtfKind.INT ? (intEncoding & INT_SIGNED) != 0 : (kind == BtfKind.ENUM || kind == BtfKind.ENUM64) && kindFlag;
  }

  /** The first member with this name, or null. */
  public @Nullable Member member(String memberName) {
    for (Member m : members) {
      if (m.name().equals(memberName)) {
        return m;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "[" + id + "] " + kind + " '" + name + "'";
  }
}
