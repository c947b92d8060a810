package io.github.bpfmaps.elf;

import io.github.bpfmaps.elf.BtfType.EnumValue;
import io.github.bpfmaps.elf.BtfType.Member;
import io.github.bpfmaps.elf.BtfType.Param;
import io.github.bpfmaps.elf.BtfType.VarSecInfo;

/** Renders parsed BTF exactly as bpftool 7's {@code btf dump ... format raw} does, to diff with it. */
final class BpftoolFormat {
  private BpftoolFormat() {}

  static String render(Btf btf) {
    StringBuilder sb = new StringBuilder();
    for (BtfType t : btf.types()) {
      sb.append('[').append(t.id()).append("] ").append(t.kind()).append(" '")
          .append(t.name().isEmpty() ? "(anon)" : t.name()).append('\'');
      switch (t.kind()) {
        case INT:
          String enc = (t.intEncoding() & BtfType.INT_SIGNED) != 0 ? "SIGNED"
              : (t.intEncoding() & BtfType.INT_CHAR) != 0 ? "CHAR"
              : (t.intEncoding() & BtfType.INT_BOOL) != 0 ? "BOOL" : "(none)";
          sb.append(" size=").append(t.size()).append(" bits_offset=").append(t.intBitOffset())
              .append(" nr_bits=").append(t.intBits()).append(" encoding=").append(enc);
          break;
        case PTR: case TYPEDEF: case VOLATILE: case CONST: case RESTRICT: case TYPE_TAG:
          sb.append(" type_id=").append(t.type());
          break;
        case ARRAY:
          sb.append(" type_id=").append(t.array().elementType()).append(" index_type_id=")
              .append(t.array().indexType()).append(" nr_elems=").append(t.array().length());
          break;
        case STRUCT: case UNION:
          sb.append(" size=").append(t.size()).append(" vlen=").append(t.vlen());
          for (Member m : t.members()) {
            sb.append("\n\t'").append(m.name().isEmpty() ? "(anon)" : m.name()).append("' type_id=")
                .append(m.type()).append(" bits_offset=").append(m.bitOffset());
            if (m.isBitfield()) {
              sb.append(" bitfield_size=").append(m.bitfieldSize());
            }
          }
          break;
        case ENUM: case ENUM64:
          sb.append(" encoding=").append(t.kindFlag() ? "SIGNED" : "UNSIGNED").append(" size=")
              .append(t.size()).append(" vlen=").append(t.vlen());
          for (EnumValue v : t.enumValues()) {
            sb.append("\n\t'").append(v.name()).append("' val=")
                .append(t.kindFlag() ? Long.toString(v.value()) : Long.toUnsignedString(v.value()));
          }
          break;
        case FWD:
          sb.append(" fwd_kind=").append(t.kindFlag() ? "union" : "struct");
          break;
        case FUNC:
          sb.append(" type_id=").append(t.type()).append(" linkage=")
              .append(new String[] {"static", "global", "extern"}[t.linkage()]);
          break;
        case FUNC_PROTO:
          sb.append(" ret_type_id=").append(t.type()).append(" vlen=").append(t.vlen());
          for (Param p : t.params()) {
            sb.append("\n\t'").append(p.name().isEmpty() ? "(anon)" : p.name()).append("' type_id=").append(p.type());
          }
          break;
        case VAR:
          sb.append(" type_id=").append(t.type()).append(", linkage=")
              .append(new String[] {"static", "global", "extern"}[t.linkage()]);
          break;
        case DATASEC:
          sb.append(" size=").append(t.size()).append(" vlen=").append(t.vlen());
          for (VarSecInfo v : t.variables()) {
            sb.append("\n\ttype_id=").append(v.type()).append(" offset=").append(v.offset()).append(" size=")
                .append(v.size()).append(" (").append(btf.type(v.type()).kind()).append(" '")
                .append(btf.type(v.type()).name()).append("')");
          }
          break;
        case FLOAT:
          sb.append(" size=").append(t.size());
          break;
        case DECL_TAG:
          sb.append(" type_id=").append(t.type()).append(" component_idx=").append(t.componentIndex());
          break;
        default:
          throw new AssertionError(t);
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
