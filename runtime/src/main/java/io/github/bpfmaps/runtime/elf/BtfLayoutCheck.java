package io.github.bpfmaps.runtime.elf;

import io.github.bpfmaps.runtime.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the C layout a codec reports ({@link Layout}, computed from a Java record) with the BTF
 * type a compiled object declares for the same key or value: size, members by C name, offsets,
 * array lengths, element sizes, kinds, signedness and network byte order ({@code __be16/32/64}
 * typedefs). Pure; used by {@code BpfObject.bindMap} and usable by the processor at compile time.
 */
public final class BtfLayoutCheck {
  private BtfLayoutCheck() {}

  /**
   * Every difference between a BTF type and a layout, one readable sentence each; empty when they
   * agree.
   *
   * @param what names the compared thing in messages, e.g. {@code "xdp_stats value"}
   */
  public static List<String> differences(Btf btf, int typeId, Layout layout, String what) {
    List<String> out = new ArrayList<>();
    compare(btf, typeId, layout, what, out, 0);
    return out;
  }

  private static void compare(Btf btf, int typeId, Layout layout, String what, List<String> out, int depth) {
    BtfType t = btf.resolve(typeId);
    if (t == null) {
      out.add(what + ": the C type is void");
      return;
    }
    if (depth > 32) {
      out.add(what + ": structs nest deeper than 32 levels");
      return;
    }
    if (t.kind() != BtfKind.STRUCT && t.kind() != BtfKind.UNION) {
      if (layout.fields().size() == 1 && layout.fields().get(0).offset() == 0) {
        member(btf, typeId, layout.fields().get(0), what, out, depth);
      } else {
        out.add(what + ": C type " + describe(btf, typeId) + " is not a struct, but Java has struct " + layout.cName());
      }
      return;
    }
    if (t.size() != layout.size()) {
      out.add(what + ": " + describe(btf, typeId) + " is " + t.size() + " bytes in C, " + layout.size() + " in Java");
    }
    for (Layout.Field f : layout.fields()) {
      String where = what + "." + f.name();
      BtfType.Member m = t.member(f.cName());
      if (m == null) {
        out.add(where + ": C " + describe(btf, typeId) + " has no member '" + f.cName() + "'");
        continue;
      }
      if (m.isBitfield()) {
        out.add(where + ": '" + f.cName() + "' is a " + m.bitfieldSize() + "-bit bitfield in C; records cannot map bitfields");
        continue;
      }
      if (m.bitOffset() != 8L * f.offset()) {
        out.add(where + ": at offset " + m.bitOffset() / 8 + " in C, " + f.offset() + " in Java");
      }
      member(btf, m.type(), f, where, out, depth);
    }
  }

  private static void member(Btf btf, int typeId, Layout.Field f, String where, List<String> out, int depth) {
    boolean bigEndian = networkOrder(btf, typeId);
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
      out.add(where + ": the C type is void");
      return;
    }
    if (count != f.count()) {
      out.add(where + ": " + (count == 0 ? "a scalar" : "an array of " + count) + " in C, "
          + (f.count() == 0 ? "a scalar" : "an array of " + f.count()) + " in Java");
    }
    String c = describe(btf, elem);
    if (f.kind() == Layout.Kind.STRUCT) {
      if (f.nested() == null) {
        out.add(where + ": Java describes a struct without its layout");
      } else {
        compare(btf, elem, f.nested(), where, out, depth + 1);
      }
      return;
    }
    long size = r.kind() == BtfKind.STRUCT || r.kind() == BtfKind.UNION || r.kind() == BtfKind.INT
        || r.kind() == BtfKind.ENUM || r.kind() == BtfKind.ENUM64 || r.kind() == BtfKind.FLOAT || r.kind() == BtfKind.PTR
        ? btf.sizeOf(r.id()) : -1;
    if (size != f.elementSize()) {
      out.add(where + ": " + c + " is " + size + " bytes in C, " + f.elementSize() + " in Java");
    }
    boolean intLike = r.kind() == BtfKind.INT;
    switch (f.kind()) {
      case INT:
        if (!intLike || (r.intEncoding() & BtfType.INT_BOOL) != 0) {
          out.add(where + ": C " + c + " is not an integer");
        } else if (r.isSigned() != f.signed() && size > 1) {
          out.add(where + ": C " + c + " is " + (r.isSigned() ? "signed" : "unsigned") + ", Java is "
              + (f.signed() ? "signed; mark it @Unsigned" : "unsigned; drop @Unsigned"));
        }
        break;
      case BOOL:
        if (!intLike || size != 1) {
          out.add(where + ": C " + c + " is not a _Bool or 1-byte integer");
        }
        break;
      case FLOAT:
        if (r.kind() != BtfKind.FLOAT) {
          out.add(where + ": C " + c + " is not a float or double");
        }
        break;
      case ENUM:
        if (!intLike && r.kind() != BtfKind.ENUM && r.kind() != BtfKind.ENUM64) {
          out.add(where + ": C " + c + " is not an enum or integer");
        }
        break;
      case STRING:
        if (!intLike || size != 1 || count == 0) {
          out.add(where + ": C " + c + " is not a char array");
        }
        break;
      default:
        break;
    }
    if (bigEndian && !f.networkOrder() && f.elementSize() > 1) {
      out.add(where + ": C " + describe(btf, typeId) + " is in network byte order; mark it @NetworkOrder");
    }
  }

  /** True when a typedef on the way to the type says big-endian ({@code __be16}, {@code __be32}, {@code __be64}). */
  private static boolean networkOrder(Btf btf, int typeId) {
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

  private static String describe(Btf btf, int typeId) {
    BtfType t = btf.type(typeId);
    String name = t.name().isEmpty() ? "(anonymous)" : t.name();
    switch (t.kind()) {
      case STRUCT:
        return "struct " + name;
      case UNION:
        return "union " + name;
      case ENUM: case ENUM64:
        return "enum " + name;
      default:
        return name;
    }
  }
}
