package io.github.bpfmaps.elf;

import static io.github.bpfmaps.elf.TestObjects.bytes;
import static io.github.bpfmaps.elf.TestObjects.sample;
import static io.github.bpfmaps.elf.TestObjects.testObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.elf.BtfType.Member;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BtfTest {
  static Btf btfOf(Path object) {
    ElfFile elf = ElfFile.parse(bytes(object), object.toString());
    return Btf.parse(elf.contents(elf.section(".BTF")), object.toString());
  }

  private static Btf kinds() {
    return btfOf(testObject("btf_kinds"));
  }

  private static BtfType struct(Btf btf, String name) {
    BtfType t = btf.find(BtfKind.STRUCT, name);
    assertNotNull(t, name);
    return t;
  }

  @Test
  void bitfieldMembersReportBitOffsetAndWidth() {
    BtfType k = struct(kinds(), "kinds");
    Member low = k.member("low");
    Member mid = k.member("mid");
    Member high = k.member("high");
    assertEquals(List.of(0L, 3L, 10L), List.of(low.bitOffset(), mid.bitOffset(), high.bitOffset()));
    assertEquals(List.of(3, 7, 22), List.of(low.bitfieldSize(), mid.bitfieldSize(), high.bitfieldSize()));
    assertFalse(k.member("u").isBitfield());
    assertEquals(8, k.member("u").byteOffset());
  }

  @Test
  void intEncodingTellsSignedFromUnsignedAndBool() {
    Btf btf = kinds();
    BtfType k = struct(btf, "kinds");
    assertTrue(btf.resolve(k.member("mid").type()).isSigned());
    assertFalse(btf.resolve(k.member("low").type()).isSigned());
    assertTrue(btf.resolve(k.member("s64").type()).isSigned());
    assertEquals(BtfType.INT_BOOL, btf.resolve(k.member("flag").type()).intEncoding());
    assertEquals(8, btf.resolve(k.member("s64").type()).intBits() / 8);
  }

  @Test
  void sizesResolveThroughTypedefsModifiersAndNestedArrays() {
    Btf btf = kinds();
    BtfType k = struct(btf, "kinds");
    int counts = k.member("counts").type();
    assertEquals(BtfKind.ARRAY, btf.type(counts).kind());
    assertEquals(2, btf.type(counts).array().length());
    assertEquals(2 * 3 * 2, btf.sizeOf(counts), "cv_u16 counts[2][3]");
    BtfType inner = btf.type(btf.type(counts).array().elementType());
    assertEquals(3, inner.array().length());
    BtfType cv = btf.type(inner.array().elementType());
    assertEquals("cv_u16", cv.name());
    assertEquals("unsigned short", btf.resolve(cv.id()).name());
    assertEquals(96, btf.sizeOf(k.id()));
    assertEquals(8, btf.sizeOf(k.member("fwd").type()), "pointers are 8 bytes");
  }

  @Test
  void unionsEnumsFloatsForwardsAndTagsAreRead() {
    Btf btf = kinds();
    BtfType k = struct(btf, "kinds");
    assertEquals(BtfKind.UNION, btf.resolve(k.member("u").type()).kind());
    BtfType color = btf.resolve(k.member("color").type());
    assertEquals(BtfKind.ENUM, color.kind());
    assertEquals(List.of("RED", "GREEN", "BLUE"), color.enumValues().stream().map(BtfType.EnumValue::name).toList());
    assertEquals(5, color.enumValues().get(1).value());
    assertEquals(BtfKind.FLOAT, btf.resolve(k.member("precise").type()).kind());
    assertEquals(8, btf.sizeOf(k.member("precise").type()));
    BtfType fwd = btf.type(btf.type(k.member("fwd").type()).type());
    assertEquals(BtfKind.FWD, fwd.kind());
    assertEquals("opaque", fwd.name());
    assertEquals(BtfKind.RESTRICT, btf.type(k.member("restricted").type()).kind());
    BtfType userPtr = btf.type(k.member("user_ptr").type());
    assertEquals(BtfKind.TYPE_TAG, btf.type(userPtr.type()).kind());
    assertEquals("user", btf.type(userPtr.type()).name());
    BtfType proto = btf.type(btf.type(k.member("callback").type()).type());
    assertEquals(BtfKind.FUNC_PROTO, proto.kind());
    assertEquals(2, proto.params().size());
    List<BtfType> tags = btf.types().stream().filter(t -> t.kind() == BtfKind.DECL_TAG).toList();
    assertEquals(List.of("record", "counter"), tags.stream().map(BtfType::name).toList());
    assertEquals(List.of(-1, 0), tags.stream().map(BtfType::componentIndex).toList());
  }

  @Test
  void funcsAndVarsCarryTheirLinkage() {
    Btf btf = btfOf(sample("global_config"));
    assertEquals(1, btf.find(BtfKind.FUNC, "xdp_config").linkage(), "BTF_FUNC_GLOBAL");
    assertEquals(0, btf.find(BtfKind.FUNC, "is_short").linkage(), "BTF_FUNC_STATIC");
    assertEquals(1, btf.find(BtfKind.VAR, "min_len").linkage(), "BTF_VAR_GLOBAL_ALLOCATED");
  }

  @Test
  void enum64IsReadFromHandWrittenBtf() {
    BtfBuilder b = new BtfBuilder();
    int e = b.type("big", BtfKind.ENUM64, 2, false, 8);
    b.u32(b.str("SMALL")).u32(1).u32(0);
    b.u32(b.str("HUGE")).u32(0).u32(0x80000000);
    Btf btf = Btf.parse(b.build(), "<test>");
    BtfType big = btf.type(e);
    assertEquals(BtfKind.ENUM64, big.kind());
    assertEquals(8, btf.sizeOf(e));
    assertEquals(Long.MIN_VALUE, big.enumValues().get(1).value());
    assertEquals(1, big.enumValues().get(0).value());
  }

  static Stream<Path> objectsWithBtf() {
    List<Path> out = new ArrayList<>();
    for (Path p : TestObjects.allObjects()) {
      ElfFile elf = ElfFile.parse(bytes(p), p.toString());
      if (elf.section(".BTF") != null) {
        out.add(p);
      }
    }
    for (Path p : XdpToolsTest.xdpToolsObjects()) {
      out.add(p);
    }
    return out.stream();
  }

  /** Every type, rendered the way {@code bpftool btf dump file X format raw} prints it, matches. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("objectsWithBtf")
  void everyTypeMatchesBpftoolsRawDump(Path object) {
    Assumptions.assumeTrue(TestObjects.available("bpftool", "version"), "bpftool is not installed");
    TestObjects.Run r = TestObjects.run(Path.of("."), "bpftool", "btf", "dump", "file", object.toString(), "format", "raw");
    assertEquals(0, r.exit(), r.err());
    String ours = BpftoolFormat.render(btfOf(object));
    assertEquals(r.out().strip(), ours.strip());
  }

  @Test
  void vmlinuxBtfParsesWhenTheKernelExposesIt() throws Exception {
    Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
    Assumptions.assumeTrue(Files.isReadable(vmlinux), "no /sys/kernel/btf/vmlinux on this kernel");
    Btf btf = Btf.parse(Files.readAllBytes(vmlinux), vmlinux.toString());
    BtfType xdpMd = btf.find(BtfKind.STRUCT, "xdp_md");
    assertNotNull(xdpMd);
    assertEquals(24, xdpMd.size());
    assertTrue(btf.typeCount() > 10_000);
  }
}
