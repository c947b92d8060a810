package io.github.bpfmaps.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfmaps.errors.BpfObjectFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Split BTF, the form of {@code /sys/kernel/btf/<module>}: ids and string offsets continue the
 * base's. Built here by hand on top of a test object's BTF, since this VM has no module with BTF.
 */
class SplitBtfTest {
  private static final int KIND_PTR = 2;
  private static final int KIND_TYPEDEF = 8;
  private static final int KIND_FUNC = 12;

  private static Btf base() {
    return BpfObjectBtf.of("btf_kinds");
  }

  /** A split BTF with: typedef my_typedef → base type 1; ptr → my_typedef; func my_func → proto of base. */
  private static byte[] split(Btf base, int typedefTarget) {
    int baseStrLen = ByteBuffer.wrap(base.raw()).order(ByteOrder.LITTLE_ENDIAN).getInt(20);
    byte[] strings = "\0my_typedef\0my_func\0".getBytes(StandardCharsets.US_ASCII);
    int protoId = 0;
    for (BtfType t : base.types()) {
      if (t.kind() == BtfKind.FUNC_PROTO) {
        protoId = t.id();
        break;
      }
    }
    ByteBuffer types = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
    int first = base.typeCount() + 1;
    types.putInt(baseStrLen + 1).putInt(KIND_TYPEDEF << 24).putInt(typedefTarget);
    types.putInt(0).putInt(KIND_PTR << 24).putInt(first);
    types.putInt(baseStrLen + 12).putInt(KIND_FUNC << 24 | 1).putInt(protoId);
    ByteBuffer b = ByteBuffer.allocate(24 + 36 + strings.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) Btf.MAGIC).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(36).putInt(36)
        .putInt(strings.length);
    b.put(types.array()).put(strings);
    return b.array();
  }

  @Test
  void idsAndStringsContinueTheBase() {
    Btf base = base();
    Btf split = Btf.parseSplit(split(base, 1), "module", base);
    int first = base.typeCount() + 1;
    assertSame(base, split.base());
    assertEquals(base.typeCount() + 3, split.typeCount());
    BtfType td = split.find(BtfKind.TYPEDEF, "my_typedef");
    assertNotNull(td);
    assertEquals(first, td.id());
    assertEquals(base.type(1).name(), split.resolve(td.id()) == null ? "void" : split.resolve(td.id()).name());
    assertEquals(8, split.sizeOf(first + 1), "a pointer to a base type's typedef");
    assertEquals(first + 2, split.find(BtfKind.FUNC, "my_func").id());
    assertEquals(base.type(1).name(), split.type(1).name(), "base types are visible through the split");
  }

  @Test
  void aModuleTargetMustBeTheModulesOwnType() {
    Btf base = base();
    Btf split = Btf.parseSplit(split(base, 1), "module", base);
    assertEquals(base.typeCount() + 3, AttachTargets.find(split, new AttachTargets.Lookup("my_func", BtfKind.FUNC,
        "module")));
    BtfType baseFunc = base.types().stream().filter(t -> t.kind() == BtfKind.FUNC).findFirst().orElseThrow();
    assertEquals(0, AttachTargets.find(split, new AttachTargets.Lookup(baseFunc.name(), BtfKind.FUNC, "module")),
        "a vmlinux function is not the module's");
  }

  @Test
  void aReferencePastTheSplitIsRefused() {
    Btf base = base();
    assertThrows(BpfObjectFormatException.class, () -> Btf.parseSplit(split(base, base.typeCount() + 50), "m", base));
  }

  /** The BTF of a committed test object. */
  static final class BpfObjectBtf {
    static Btf of(String name) {
      Btf btf = ObjectParser.read(TestObjects.testObject(name)).btf();
      assertNotNull(btf);
      return btf;
    }
  }
}
