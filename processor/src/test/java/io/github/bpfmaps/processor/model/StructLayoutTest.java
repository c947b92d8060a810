package io.github.bpfmaps.processor.model;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout model on its own, without a compiler: C struct rules for x86-64 and arm64. */
class StructLayoutTest {
  private static final TypeRef NAME = TypeRef.of("p", "FlowKey");

  private static FieldType.Scalar scalar(JavaPrimitive p) {
    return FieldType.Scalar.of(p, false);
  }

  private static StructLayout layout(boolean packed, int align, Component... components) {
    return StructLayout.compute(NAME, "FlowKey", packed, align, List.of(components));
  }

  private static List<Integer> offsets(StructLayout s) {
    return s.members().stream().map(Member::offset).toList();
  }

  @Test
  void membersAreAlignedNaturallyAndTheTailIsPadded() {
    StructLayout s = layout(false, 0,
        Component.of("saddr", scalar(JavaPrimitive.INT)),
        Component.of("daddr", scalar(JavaPrimitive.INT)),
        Component.of("sport", scalar(JavaPrimitive.SHORT)),
        Component.of("dport", scalar(JavaPrimitive.SHORT)),
        Component.of("proto", scalar(JavaPrimitive.BYTE)));
    assertThat(offsets(s)).containsExactly(0, 4, 8, 10, 12).inOrder();
    assertThat(s.size()).isEqualTo(16);
    assertThat(s.align()).isEqualTo(4);
    assertThat(s.describePadding()).isEqualTo("3 bytes of padding after FlowKey.proto");
  }

  @Test
  void aLongAfterAByteStartsAtEight() {
    StructLayout s = layout(false, 0,
        Component.of("a", scalar(JavaPrimitive.BYTE)),
        Component.of("b", scalar(JavaPrimitive.LONG)));
    assertThat(offsets(s)).containsExactly(0, 8).inOrder();
    assertThat(s.size()).isEqualTo(16);
    assertThat(s.gaps()).containsExactly(new Gap(1, 7, "a", false));
  }

  @Test
  void packedStructsHaveNoPaddingAndAlignmentOne() {
    StructLayout s = layout(true, 0,
        Component.of("a", scalar(JavaPrimitive.BYTE)),
        Component.of("b", scalar(JavaPrimitive.LONG)),
        Component.of("c", scalar(JavaPrimitive.SHORT)));
    assertThat(offsets(s)).containsExactly(0, 1, 9).inOrder();
    assertThat(s.size()).isEqualTo(11);
    assertThat(s.align()).isEqualTo(1);
    assertThat(s.gaps()).isEmpty();
  }

  @Test
  void alignOnAPackedMemberStillApplies() {
    StructLayout s = layout(true, 0,
        Component.of("a", scalar(JavaPrimitive.BYTE)),
        new Component("b", "b", scalar(JavaPrimitive.INT), 4, 0),
        Component.of("c", scalar(JavaPrimitive.BYTE)));
    assertThat(offsets(s)).containsExactly(0, 4, 8).inOrder();
    assertThat(s.size()).isEqualTo(12);
    assertThat(s.align()).isEqualTo(4);
  }

  @Test
  void alignOnTheRecordRaisesSizeAndAlignment() {
    StructLayout s = layout(false, 16,
        Component.of("a", scalar(JavaPrimitive.BYTE)),
        new Component("b", "b", scalar(JavaPrimitive.INT), 8, 0),
        Component.of("c", scalar(JavaPrimitive.SHORT)));
    assertThat(offsets(s)).containsExactly(0, 8, 12).inOrder();
    assertThat(s.align()).isEqualTo(16);
    assertThat(s.size()).isEqualTo(16);
  }

  @Test
  void explicitPaddingIsAByteArrayBeforeTheComponent() {
    StructLayout s = layout(false, 0,
        Component.of("a", scalar(JavaPrimitive.BYTE)),
        new Component("b", "b", scalar(JavaPrimitive.INT), 0, 3),
        new Component("c", "c", scalar(JavaPrimitive.BYTE), 0, 2),
        Component.of("d", scalar(JavaPrimitive.LONG)));
    // C: __s8 a; __u8 pad0[3]; __s32 b; __u8 pad1[2]; __s8 c; __s64 d;
    assertThat(offsets(s)).containsExactly(0, 4, 10, 16).inOrder();
    assertThat(s.size()).isEqualTo(24);
    assertThat(s.describePadding()).isEqualTo("3 bytes of @Padding after FlowKey.a, "
        + "2 bytes of @Padding after FlowKey.b, 5 bytes of padding after FlowKey.c");
  }

  @Test
  void arraysStringsEnumsAndNestedStructsTakeTheirElementAlignment() {
    StructLayout inner = StructLayout.compute(TypeRef.of("p", "Inner"), "Inner", false, 0,
        List.of(Component.of("a", scalar(JavaPrimitive.BYTE)),
            Component.of("b", scalar(JavaPrimitive.LONG))));
    FieldType.EnumType kind = new FieldType.EnumType(TypeRef.of("p", "Kind"),
        List.of(new FieldType.EnumConstant("A", 0)), 4);
    StructLayout s = layout(false, 0,
        Component.of("comm", new FieldType.StringType(5)),
        Component.of("args", new FieldType.ArrayType(scalar(JavaPrimitive.SHORT), 3)),
        Component.of("kind", kind),
        Component.of("inner", new FieldType.StructType(inner)),
        Component.of("flag", scalar(JavaPrimitive.BOOLEAN)));
    assertThat(offsets(s)).containsExactly(0, 6, 12, 16, 32).inOrder();
    assertThat(s.size()).isEqualTo(40);
    assertThat(s.align()).isEqualTo(8);
  }

  @Test
  void widthNarrowsTheCField() {
    FieldType.Scalar port = new FieldType.Scalar(JavaPrimitive.INT, 2, true, true);
    assertThat(port.narrowed()).isTrue();
    StructLayout s = layout(false, 0,
        Component.of("port", port),
        Component.of("proto", scalar(JavaPrimitive.BYTE)));
    assertThat(s.size()).isEqualTo(4);
    assertThat(s.align()).isEqualTo(2);
  }

  @Test
  void emptyRecordIsZeroBytes() {
    StructLayout s = layout(false, 0);
    assertThat(s.size()).isEqualTo(0);
    assertThat(s.describePadding()).isEqualTo("no padding");
  }

  @Test
  void nestedRecordNamesFlattenWithUnderscores() {
    TypeRef ref = TypeRef.of("com.example", "Flows", "FlowKey");
    assertThat(ref.flatName()).isEqualTo("Flows_FlowKey");
    assertThat(ref.canonicalName()).isEqualTo("com.example.Flows.FlowKey");
    StructLayout s = StructLayout.compute(ref, "FlowKey", false, 0, List.of());
    assertThat(s.codecName()).isEqualTo("Flows_FlowKeyCodec");
  }
}
