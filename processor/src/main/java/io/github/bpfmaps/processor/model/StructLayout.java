package io.github.bpfmaps.processor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The C layout of a record, computed with the rules of the System V x86-64 and AAPCS64 ABIs (both
 * lay structs out the same way): each member at the next multiple of its alignment, the struct's
 * alignment the largest member alignment, its size rounded up to that alignment. {@code @Packed}
 * behaves as GCC's {@code __attribute__((packed))} (member alignment 1 unless a member has its own
 * {@code aligned} attribute), {@code @Align} as {@code __attribute__((aligned(n)))}, which only ever
 * raises alignment.
 *
 * @param name the record's name
 * @param cName the C struct tag
 * @param packed whether the struct is packed
 * @param size {@code sizeof}, tail padding included
 * @param align {@code _Alignof}
 * @param members the members in declaration order
 * @param gaps every byte range no member owns, in offset order
 */
public record StructLayout(
    TypeRef name,
    String cName,
    boolean packed,
    int size,
    int align,
    List<Member> members,
    List<Gap> gaps) {

  public StructLayout {
    members = List.copyOf(members);
    gaps = List.copyOf(gaps);
  }

  /**
   * Lays out a struct.
   *
   * @param name the record's name
   * @param cName the C struct tag
   * @param packed {@code @Packed}
   * @param structAlign {@code @Align} on the record, 0 if none
   * @param components the components in declaration order
   */
  public static StructLayout compute(
      TypeRef name,
      String cName,
      boolean packed,
      int structAlign,
      List<Component> components) {
    List<Member> members = new ArrayList<>();
    List<Gap> gaps = new ArrayList<>();
    int offset = 0;
    int align = 1;
    String previous = null;
    for (Component c : components) {
      // A packed struct drops the natural alignment of its members, but an explicit aligned
      // attribute on a member still applies (GCC manual, "Common Type Attributes": packed).
      int natural = packed ? 1 : c.type().align();
      int memberAlign = Math.max(natural, c.align());
      int paddingOffset = offset;
      if (c.padding() > 0) {
        // @Padding is a "__u8 pad[n]" member: alignment 1, placed right where the previous member ended.
        gaps.add(new Gap(offset, c.padding(), previous, true));
        offset += c.padding();
      }
      int aligned = alignUp(offset, memberAlign);
      if (aligned > offset) {
        gaps.add(new Gap(offset, aligned - offset, previous, false));
      }
      members.add(new Member(c, aligned, paddingOffset));
      offset = aligned + c.type().size();
      align = Math.max(align, memberAlign);
      previous = c.name();
    }
    align = Math.max(align, structAlign);
    int size = alignUp(offset, align);
    if (size > offset) {
      gaps.add(new Gap(offset, size - offset, previous, false));
    }
    return new StructLayout(name, cName, packed, size, align, members, gaps);
  }

  /** The name of the generated codec: {@code Outer_InnerCodec}. */
  public String codecName() {
    return name.flatName() + "Codec";
  }

  /** Bytes of padding, alignment and explicit. */
  public int paddingBytes() {
    return gaps.stream().mapToInt(Gap::size).sum();
  }

  /**
   * Where the padding went, for messages: {@code "3 bytes of padding after FlowKey.proto"}; "no
   * padding" when there is none.
   */
  public String describePadding() {
    if (gaps.isEmpty()) {
      return "no padding";
    }
    List<String> parts = new ArrayList<>();
    for (Gap g : gaps) {
      String what = g.size() + (g.size() == 1 ? " byte" : " bytes")
          + (g.explicit() ? " of @Padding" : " of padding");
      String where = g.after() == null
          ? " at the start of " + name.simpleName()
          : " after " + name.simpleName() + "." + g.after();
      parts.add(what + where);
    }
    return String.join(", ", parts);
  }

  static int alignUp(int offset, int align) {
    return (offset + align - 1) / align * align;
  }
}
