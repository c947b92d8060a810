package io.github.bpfmaps.processor.model;

import io.github.bpfmaps.spec.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * The run-time {@link Layout} of a modelled struct or key/value: what the generated codecs' {@code LAYOUT}
 * holds and what the compile-time BTF check compares, computed in this one place so that both agree.
 */
public final class Layouts {
  private Layouts() {}

  /** The layout of a struct and, recursively, of the structs it holds. */
  public static Layout of(StructLayout s) {
    List<Layout.Field> fields = new ArrayList<>();
    for (Member m : s.members()) {
      fields.add(field(m.name(), m.component().cName(), m.offset(), m.type()));
    }
    return new Layout(s.cName(), s.size(), s.align(), fields);
  }

  /**
   * The layout of a whole key or value: a struct's own layout, or for a scalar, string or array a
   * one-member layout at offset 0 named after the component (as {@code Codecs.U32.layout()} is).
   */
  public static Layout ofEntry(String component, FieldType t) {
    if (t instanceof FieldType.StructType st) {
      return of(st.layout());
    }
    return new Layout(component, t.size(), t.align(), List.of(field(component, component, 0, t)));
  }

  /** One member: its kind, element size, array count, signedness and byte order. */
  public static Layout.Field field(String name, String cName, int offset, FieldType t) {
    FieldType element = t instanceof FieldType.ArrayType a ? a.element() : t;
    int count = t instanceof FieldType.ArrayType a ? a.length()
        : t instanceof FieldType.StringType st ? st.length() : 0;
    int elementSize = t instanceof FieldType.StringType ? 1 : element.size();
    Layout nested = element instanceof FieldType.StructType st ? of(st.layout()) : null;
    List<Layout.EnumConstant> constants = new ArrayList<>();
    if (element instanceof FieldType.EnumType en) {
      for (FieldType.EnumConstant k : en.constants()) {
        constants.add(new Layout.EnumConstant(k.name(), k.value()));
      }
    }
    return new Layout.Field(name, cName, offset, elementSize, count, kind(element), signed(element),
        element instanceof FieldType.Scalar sc && sc.networkOrder(), nested, constants);
  }

  /** What BTF can tell of a member's element type. */
  public static Layout.Kind kind(FieldType t) {
    if (t instanceof FieldType.Scalar s) {
      switch (s.java()) {
        case BOOLEAN: return Layout.Kind.BOOL;
        case FLOAT: case DOUBLE: return Layout.Kind.FLOAT;
        default: return Layout.Kind.INT;
      }
    }
    if (t instanceof FieldType.EnumType) {
      return Layout.Kind.ENUM;
    }
    if (t instanceof FieldType.StringType) {
      return Layout.Kind.STRING;
    }
    return Layout.Kind.STRUCT;
  }

  /** Floats are signed, booleans are not: the same convention as {@code Codecs.F32} and {@code Codecs.BOOL}. */
  public static boolean signed(FieldType t) {
    if (t instanceof FieldType.Scalar s) {
      return s.java() == JavaPrimitive.FLOAT || s.java() == JavaPrimitive.DOUBLE
          || (s.java().integral() && !s.unsigned());
    }
    return t instanceof FieldType.EnumType e && e.signed();
  }
}
