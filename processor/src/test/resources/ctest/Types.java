package ctest;

import io.github.bpfmaps.annotations.Align;
import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.CValue;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Packed;
import io.github.bpfmaps.annotations.Padding;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.Width;

/**
 * Records covering every supported component type and layout annotation; CLayoutTest declares the
 * same structs in C (types.h) and compares the bytes.
 */
public final class Types {
  public enum Kind { EXEC, @CValue(7) EXIT, FORK }

  public enum Signed { @CValue(-1) NEG, @CValue(1000) POS }

  public record Scalars(byte b, @Unsigned byte ub, short s, @Unsigned short us, char c, int i,
      @Unsigned int ui, long l, @Unsigned long ul, float f, double d, boolean z) {}

  public record Net(@NetworkOrder short port, @NetworkOrder int addr, @NetworkOrder long big,
      @NetworkOrder @Unsigned @Width(2) int uport, byte proto, @NetworkOrder char ch) {}

  public record Widths(@Width(1) int a, @Unsigned @Width(2) int b, @Width(4) long c,
      @Unsigned @Width(4) long d, @Unsigned @Width(1) short e, @Width(1) char ch,
      @Width(2) long g) {}

  public record Enums(Kind kind, @Width(1) Kind small, @Width(8) Signed big,
      @Size(3) Kind[] kinds, @Width(2) Signed mid) {}

  public record Strings(@Size(5) String name, int x, @Size(16) String comm, byte tail) {}

  public record Inner(byte a, long b) {}

  public record Arrays(@Size(3) int[] ints, @Size(5) byte[] bytes, @Size(2) Inner[] inners,
      @Size(3) @Unsigned @Width(2) int[] ports, @Size(2) @NetworkOrder short[] nets,
      @Size(2) double[] ds, @Size(3) boolean[] flags, @Size(2) float[] fs) {}

  public record Nested(byte tag, Inner inner, short s, Strings strings) {}

  @Packed
  public record PackedRec(byte a, long b, short c, int d) {}

  @Align(16)
  public record AlignedRec(byte a, @Align(8) int b, short c) {}

  public record PaddingRec(byte a, @Padding(3) int b, @Padding(2) byte c, long d) {}

  public record Mixed(byte a, PackedRec p, AlignedRec q, char c, @Size(2) PackedRec[] ps) {}

  @Packed
  public record PackedAligned(byte a, @Align(4) int b, byte c) {}

  public record Root(Scalars scalars, Net net, Widths widths, Enums enums, Strings strings,
      Arrays arrays, Nested nested, PackedRec packedRec, AlignedRec alignedRec,
      PaddingRec paddingRec, Mixed mixed, PackedAligned packedAligned) {}

  @BpfMap(type = MapType.HASH, maxEntries = 1)
  public record All(int key, Root value) {}
}
