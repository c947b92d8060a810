package io.github.bpfmaps.elf;

import io.github.bpfmaps.spec.Layout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares the C layout a codec reports ({@link Layout}, computed from a Java record) with the BTF
 * type a compiled object declares for the same key or value: size, members, offsets, array lengths,
 * element sizes, kinds, signedness and network byte order ({@code __be16/32/64} typedefs). Pure;
 * used by {@code BpfObject.bindMap} at run time and by the annotation processor at compile time, so
 * both find the same differences.
 *
 * <p>A Java member is compared with the C member of its {@code @CName}; when C has no member of that
 * name but one at the same offset, that one is compared and the name difference is a
 * {@link Difference#warning() warning}: the bytes still agree.
 */
public final class BtfLayoutCheck {
  /**
   * Results per parsed BTF (by identity, dropped with it) and compared type: binding the same map of
   * the same object again, as every {@code bind} of a generated handle does, costs a map look-up.
   */
  private static final Map<Btf, Map<CacheKey, List<Difference>>> CACHE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private record CacheKey(int typeId, Layout layout, String what) {}

  private BtfLayoutCheck() {}

  /**
   * One way a layout and a BTF type differ.
   *
   * @param kind what differs
   * @param path where, for messages: {@code what} and the Java member names, {@code "value.bytes"}
   * @param javaPath the Java member names from the compared layout inward; empty for the whole type
   * @param javaOffset the Java member's offset in its struct, -1 for the whole type
   * @param cType the C type compared with, e.g. {@code __u32} or {@code struct flow_key}; empty when
   *     C has no such member
   * @param cMember the C member's name; empty for the whole type or a missing member
   * @param cOffset the C member's offset in its struct, -1 when there is none
   * @param detail the difference in words, e.g. {@code "__u32 is 4 bytes in C, 8 in Java"}
   */
  public record Difference(
      Kind kind,
      String path,
      List<String> javaPath,
      int javaOffset,
      String cType,
      String cMember,
      long cOffset,
      String detail) {
    public Difference {
      javaPath = List.copyOf(javaPath);
    }

    /**
     * True when the bytes still agree (only a name differs, or a Java enum constant has no C
     * enumerator of its name); the run-time check ignores these.
     */
    public boolean warning() {
      return kind == Kind.NAME || kind == Kind.ENUM_NAME;
    }

    /** {@code path: detail}, the sentence {@link #differences} lists. */
    public String message() {
      return path + ": " + detail;
    }
  }

  /** What a {@link Difference} is about. */
  public enum Kind {
    /** The size of a type, member or element. */
    SIZE,
    /** A member's offset. */
    OFFSET,
    /** Array or scalar, or the array length. */
    ARRAY_LENGTH,
    /** Signed in one language, unsigned in the other. */
    SIGNEDNESS,
    /** Big-endian ({@code __be*}) in C, host order in Java. */
    NETWORK_ORDER,
    /** The kind of type: integer, float, enum, struct, char array, bitfield. */
    TYPE,
    /** C has no member of that name nor one at that offset. */
    MISSING_MEMBER,
    /** The C member at the Java member's offset has another name. */
    NAME,
    /** A Java enum constant is stored as another value than the C enumerator of its name. */
    ENUM_VALUE,
    /** A Java enum constant has no C enumerator of its name (a warning: the bytes may agree). */
    ENUM_NAME
  }

  /**
   * Every difference between a BTF type and a layout that changes how bytes are read, one readable
   * sentence each; empty when they agree. Name-only differences ({@link Kind#NAME}) are left out.
   *
   * @param what names the compared thing in messages, e.g. {@code "xdp_stats value"}
   */
  public static List<String> differences(Btf btf, int typeId, Layout layout, String what) {
    List<String> out = new ArrayList<>();
    for (Difference d : compare(btf, typeId, layout, what)) {
      if (!d.warning()) {
        out.add(d.message());
      }
    }
    return out;
  }

  /**
   * Every difference, name-only ones included, with the Java and C members each was found on. The
   * result is computed once per BTF, type and layout, then cached for as long as the BTF lives.
   *
   * @param what names the compared thing, the first element of each {@link Difference#path()}
   */
  public static List<Difference> compare(Btf btf, int typeId, Layout layout, String what) {
    Map<CacheKey, List<Difference>> perBtf = CACHE.computeIfAbsent(btf, b -> new ConcurrentHashMap<>());
    return perBtf.computeIfAbsent(new CacheKey(typeId, layout, what), k -> {
      List<Difference> out = new ArrayList<>();
      compare(btf, typeId, layout, new Where(what, List.of(), -1, "", -1), out, 0);
      return List.copyOf(out);
    });
  }

  /** The place being compared: the path, and the Java and C members there. */
  private record Where(String path, List<String> javaPath, int javaOffset, String cMember, long cOffset) {
    Where member(Layout.Field f) {
      List<String> p = new ArrayList<>(javaPath);
      p.add(f.name());
      return new Where(path + "." + f.name(), p, f.offset(), "", -1);
    }

    Where at(String member, long offset) {
      return new Where(path, javaPath, javaOffset, member, offset);
    }

    Difference diff(Kind kind, String cType, String detail) {
      return new Difference(kind, path, javaPath, javaOffset, cType, cMember, cOffset, detail);
    }
  }

  private static void compare(Btf btf, int typeId, Layout layout, Where where, List<Difference> out, int depth) {
    BtfType t = btf.resolve(typeId);
    if (t == null) {
      out.add(where.diff(Kind.TYPE, "void", "the C type is void"));
      return;
    }
    String c = describe(btf, typeId);
    if (depth > 32) {
      out.add(where.diff(Kind.TYPE, c, "structs nest deeper than 32 levels"));
      return;
    }
    if (t.kind() != BtfKind.STRUCT && t.kind() != BtfKind.UNION) {
      if (layout.fields().size() == 1 && layout.fields().get(0).offset() == 0) {
        member(btf, typeId, layout.fields().get(0), where, out, depth);
      } else {
        out.add(where.diff(Kind.TYPE, c, "C type " + c + " is not a struct, but Java has struct " + layout.cName()));
      }
      return;
    }
    if (t.size() != layout.size()) {
      out.add(where.diff(Kind.SIZE, c, c + " is " + t.size() + " bytes in C, " + layout.size() + " in Java"));
    }
    for (Layout.Field f : layout.fields()) {
      Where w = where.member(f);
      BtfType.Member m = t.member(f.cName());
      if (m == null) {
        m = memberAt(t, 8L * f.offset());
        if (m == null) {
          out.add(w.diff(Kind.MISSING_MEMBER, "", "C " + c + " has no member '" + f.cName()
              + "' and none at offset " + f.offset()));
          continue;
        }
        w = w.at(m.name(), m.byteOffset());
        out.add(w.diff(Kind.NAME, describe(btf, m.type()), "C " + c + " has no member '" + f.cName()
            + "'; the member at its offset is '" + m.name() + "'"
            + (f.name().equals(m.name()) ? "" : "; add @CName(\"" + m.name() + "\") or rename it")));
      } else {
        w = w.at(m.name(), m.byteOffset());
      }
      if (m.isBitfield()) {
        out.add(w.diff(Kind.TYPE, describe(btf, m.type()), "'" + m.name() + "' is a " + m.bitfieldSize()
            + "-bit bitfield in C; records cannot map bitfields"));
        continue;
      }
      if (m.bitOffset() != 8L * f.offset()) {
        out.add(w.diff(Kind.OFFSET, describe(btf, m.type()), "at offset " + m.bitOffset() / 8 + " in C, "
            + f.offset() + " in Java"));
      }
      member(btf, m.type(), f, w, out, depth);
    }
  }

  private static BtfType.@org.jspecify.annotations.Nullable Member memberAt(BtfType struct, long bitOffset) {
    for (BtfType.Member m : struct.members()) {
      if (m.bitOffset() == bitOffset && !m.name().isEmpty()) {
        return m;
      }
    }
    return null;
  }

  private static void member(Btf btf, int typeId, Layout.Field f, Where where, List<Difference> out, int depth) {
    boolean bigEndian = networkOrder(btf, typeId);
    String declared = describe(btf, typeId);
    BtfType r = btf.resolve(typeId);
    long count = 0;
    int elem = typeId;
    while (r != null && r.kind() == BtfKind.ARRAY) { // C arrays of arrays flatten into one count
      count = Math.max(count, 1) * r.array().length();
      elem = r.array().elementType();
      bigEndian |= networkOrder(btf, elem);
      r = btf.resolve(elem);
    }
    if (r == null) {
      out.add(where.diff(Kind.TYPE, "void", "the C type is void"));
      return;
    }
    String c = describe(btf, elem);
    if (count != 0) {
      declared = c + "[" + count + "]";
    }
    if (count != f.count()) {
      out.add(where.diff(Kind.ARRAY_LENGTH, declared, (count == 0 ? "a scalar" : "an array of " + count)
          + " in C, " + (f.count() == 0 ? "a scalar" : "an array of " + f.count()) + " in Java"));
    }
    if (f.kind() == Layout.Kind.STRUCT) {
      if (f.nested() == null) {
        out.add(where.diff(Kind.TYPE, declared, "Java describes a struct without its layout"));
      } else {
        compare(btf, elem, f.nested(), where, out, depth + 1);
      }
      return;
    }
    long size = r.kind() == BtfKind.STRUCT || r.kind() == BtfKind.UNION || r.kind() == BtfKind.INT
        || r.kind() == BtfKind.ENUM || r.kind() == BtfKind.ENUM64 || r.kind() == BtfKind.FLOAT || r.kind() == BtfKind.PTR
        ? btf.sizeOf(r.id()) : -1;
    if (size != f.elementSize()) {
      out.add(where.diff(Kind.SIZE, declared, c + " is " + size + " bytes in C, " + f.elementSize() + " in Java"));
    }
    boolean intLike = r.kind() == BtfKind.INT;
    switch (f.kind()) {
      case INT:
        if (!intLike || (r.intEncoding() & BtfType.INT_BOOL) != 0) {
          out.add(where.diff(Kind.TYPE, declared, "C " + c + " is not an integer"));
        } else if (r.isSigned() != f.signed() && size > 1 && !(bigEndian && f.networkOrder())) {
          // (A __be16/32/64 is unsigned by definition and a @NetworkOrder value is its bit
          // pattern: network order implies unsigned, so @NetworkOrder int matches __be32 alone.)
          out.add(where.diff(Kind.SIGNEDNESS, declared, "C " + c + " is " + (r.isSigned() ? "signed" : "unsigned")
              + ", Java is " + (f.signed() ? "signed; mark it @Unsigned" : "unsigned; drop @Unsigned")));
        }
        break;
      case BOOL:
        if (!intLike || size != 1) {
          out.add(where.diff(Kind.TYPE, declared, "C " + c + " is not a _Bool or 1-byte integer"));
        }
        break;
      case FLOAT:
        if (r.kind() != BtfKind.FLOAT) {
          out.add(where.diff(Kind.TYPE, declared, "C " + c + " is not a float or double"));
        }
        break;
      case ENUM:
        if (!intLike && r.kind() != BtfKind.ENUM && r.kind() != BtfKind.ENUM64) {
          out.add(where.diff(Kind.TYPE, declared, "C " + c + " is not an enum or integer"));
        } else if (r.kind() == BtfKind.ENUM || r.kind() == BtfKind.ENUM64) {
          enumConstants(r, f, declared, where, out);
        }
        break;
      case STRING:
        if (!intLike || size != 1 || count == 0) {
          out.add(where.diff(Kind.TYPE, declared, "C " + c + " is not a char array"));
        }
        break;
      default:
        break;
    }
    if (bigEndian && !f.networkOrder() && f.elementSize() > 1) {
      out.add(where.diff(Kind.NETWORK_ORDER, declared, "C " + describe(btf, typeId)
          + " is in network byte order; mark it @NetworkOrder"));
    } else if (!bigEndian && f.networkOrder() && f.elementSize() > 1) {
      out.add(where.diff(Kind.NETWORK_ORDER, declared, "C " + describe(btf, typeId)
          + " is in host byte order (not a __be type), Java is @NetworkOrder"));
    }
  }

  /**
   * Compares each Java constant with the C enumerator of the same name: BTF keeps the values, and a
   * value that differs (a reordered C enum) reads back as another constant, or none.
   */
  private static void enumConstants(BtfType cEnum, Layout.Field f, String declared, Where where,
      List<Difference> out) {
    for (Layout.EnumConstant k : f.enumConstants()) {
      BtfType.EnumValue v = null;
      for (BtfType.EnumValue x : cEnum.enumValues()) {
        if (x.name().equals(k.name())) {
          v = x;
          break;
        }
      }
      if (v == null) {
        out.add(where.diff(Kind.ENUM_NAME, declared, "Java " + k.name() + " = " + k.value() + ", C "
            + declared + " has no constant " + k.name()));
      } else if (!sameBits(v.value(), k.value(), cEnum.size())) {
        out.add(where.diff(Kind.ENUM_VALUE, declared, "Java " + k.name() + " = " + k.value() + ", C "
            + v.name() + " = " + v.value() + "; use @CValue(" + v.value() + ")"));
      }
    }
  }

  /**
   * Whether two enum values are the same C value: BTF before kind_flag signedness (clang 14) stores
   * {@code -1} of a 4-byte enum as {@code 4294967295}, so compare the enum's bytes only.
   */
  private static boolean sameBits(long c, long java, long size) {
    long mask = size >= 8 ? -1L : (1L << (8 * size)) - 1;
    return (c & mask) == (java & mask);
  }

  /** True when a typedef on the way to the type says big-endian ({@code __be16}, {@code __be32}, {@code __be64}). */
  static boolean networkOrder(Btf btf, int typeId) {
    int cur = typeId;
    while (cur != 0) {
      BtfType t = btf.type(cur);
      if (!t.kind().isModifier()) {
        return false;
      }
      if (t.kind() == BtfKind.TYPEDEF && t.name().startsWith("__be")) {
        return true;
      }
      cur = t.type();
    }
    return false;
  }

  /** The C spelling of a type for messages: {@code struct flow_key}, {@code __u32}, {@code enum color}. */
  public static String describe(Btf btf, int typeId) {
    if (typeId == 0) {
      return "void";
    }
    BtfType t = btf.type(typeId);
    String name = t.name().isEmpty() ? "(anonymous)" : t.name();
    switch (t.kind()) {
      case STRUCT:
        return "struct " + name;
      case UNION:
        return "union " + name;
      case ENUM: case ENUM64:
        return "enum " + name;
      case ARRAY:
        return describe(btf, t.array().elementType()) + "[" + t.array().length() + "]";
      case CONST: case VOLATILE: case RESTRICT: case TYPE_TAG:
        return describe(btf, t.type());
      default:
        return name;
    }
  }
}
