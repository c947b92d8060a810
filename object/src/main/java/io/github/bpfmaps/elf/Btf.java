package io.github.bpfmaps.elf;

import io.github.bpfmaps.elf.BtfType.ArrayInfo;
import io.github.bpfmaps.elf.BtfType.EnumValue;
import io.github.bpfmaps.elf.BtfType.Member;
import io.github.bpfmaps.elf.BtfType.Param;
import io.github.bpfmaps.elf.BtfType.VarSecInfo;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The BTF type information of a {@code .BTF} section ({@code Documentation/bpf/btf.rst}, {@code
 * include/uapi/linux/btf.h}): the header, every type and the string table. Parsing checks that every
 * type id a type refers to exists and that no chain of typedefs, modifiers, arrays and variables
 * loops back on itself, so {@link #resolve} and {@link #sizeOf} terminate on any input.
 *
 * <p>Pure Java and immutable: usable at compile time to compare Java records with C structs.
 */
public final class Btf {
  /** {@code BTF_MAGIC}. */
  public static final int MAGIC = 0xeB9F;

  /**
   * The longest type, member, parameter or enumerator name we read: the kernel's {@code
   * KSYM_NAME_LEN} (512 since Linux 6.1), past which {@code BPF_BTF_LOAD} refuses names anyway.
   */
  static final int MAX_NAME = 512;

  private static final int HEADER_SIZE = 24;
  private static final int TYPE_SIZE = 12;

  private final String file;
  private final String section;
  private final byte[] raw;
  private final List<BtfType> types; // index 0 is a placeholder for void, never handed out
  private final ByteReader strings;
  /** For split BTF (a kernel module's): the BTF whose types and strings come first; else null. */
  private final @Nullable Btf base;
  private final long[] typeOffsets; // offset in raw of each btf_type, by id
  /**
   * Type ids by name, built on the first {@link #find}: the kernel's BTF has over 100,000 types and
   * resolving attach targets and externs looks up dozens of names in it.
   */
  private volatile @Nullable Map<String, int[]> byName;

  private Btf(
      String file, String section, byte[] raw, List<BtfType> types, ByteReader strings, long[] typeOffsets,
      @Nullable Btf base) {
    this.base = base;
    this.file = file;
    this.section = section;
    this.raw = raw;
    this.types = types;
    this.strings = strings;
    this.typeOffsets = typeOffsets;
  }

  /**
   * Parses raw BTF.
   *
   * @param bytes the contents of a {@code .BTF} section (or of {@code /sys/kernel/btf/*})
   * @param file names the bytes in error messages
   * @throws BpfObjectFormatException naming the file, the {@code .BTF} section and the type id
   */
  public static Btf parse(byte[] bytes, String file) {
    return parse(ByteReader.of(bytes, file, ".BTF"), bytes, null);
  }

  /**
   * Parses split BTF: types that continue {@code base}'s, as {@code /sys/kernel/btf/<module>}
   * continues {@code vmlinux}. Ids run on from the base's last id and string offsets from the end
   * of the base's strings; the result finds and resolves the base's types too.
   *
   * @throws BpfObjectFormatException naming the file and the type id
   */
  public static Btf parseSplit(byte[] bytes, String file, Btf base) {
    return parse(ByteReader.of(bytes, file, ".BTF"), bytes, base);
  }

  static Btf parse(ByteReader in, byte[] raw) {
    return parse(in, raw, null);
  }

  private static Btf parse(ByteReader in, byte[] raw, @Nullable Btf base) {
    if (in.length() < HEADER_SIZE) {
      throw in.error("truncated: " + in.length() + " bytes is shorter than the BTF header");
    }
    int magic = in.u16(0);
    if (magic != MAGIC) {
      throw in.error(String.format("bad magic 0x%04x (want 0xeb9f); big-endian BTF is not supported", magic));
    }
    if (in.u8(2) != 1) {
      throw in.error("BTF version " + in.u8(2) + " is not 1");
    }
    long hdrLen = in.u32(4);
    if (hdrLen < HEADER_SIZE || hdrLen > in.length()) {
      throw in.error("header length " + hdrLen + " is outside 24.." + in.length());
    }
    long typeOff = in.u32(8);
    long typeLen = in.u32(12);
    long strOff = in.u32(16);
    long strLen = in.u32(20);
    ByteReader body = in.slice(hdrLen, in.length() - hdrLen, in.section());
    ByteReader typeSec = body.slice(typeOff, typeLen, in.section());
    ByteReader strings = body.slice(strOff, strLen, in.section());
    if (strLen == 0 || strings.u8(0) != 0) {
      throw in.error("string section must start with an empty string");
    }
    List<BtfType> types = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    if (base == null) {
      types.add(new BtfType(0, BtfKind.UNKN, "void", 0, 0, 0, false, 0, 0, 0, ArrayInfo.NONE, List.of(), List.of(),
          List.of(), 0, List.of(), -1));
      offsets.add(-1L);
    } else {
      types.addAll(base.types);
      for (int i = 0; i < base.types.size(); i++) {
        offsets.add(-1L); // not in this raw
      }
    }
    long p = 0;
    while (p < typeLen) {
      int id = types.size();
      long start = p;
      offsets.add(hdrLen + typeOff + p);
      long nameOff = typeSec.u32(p);
      int info = typeSec.i32(p + 4);
      long sizeOrType = typeSec.u32(p + 8);
      p += TYPE_SIZE;
      int vlen = info & 0xffff;
      int kindId = (info >>> 24) & 0x1f;
      boolean kindFlag = (info & 0x80000000) != 0;
      BtfKind kind = BtfKind.fromId(kindId);
      String name = string(base, strings, nameOff, in, id);
      long size = 0;
      int type = 0;
      int intEnc = 0;
      int intOff = 0;
      int intBits = 0;
      ArrayInfo array = ArrayInfo.NONE;
      List<Member> members = List.of();
      List<EnumValue> enums = List.of();
      List<Param> params = List.of();
      int linkage = 0;
      List<VarSecInfo> vars = List.of();
      int component = -1;
      switch (kind) {
        case INT:
          size = sizeOrType;
          int v = typeSec.i32(p);
          p += 4;
          intEnc = (v >>> 24) & 0x0f;
          intOff = (v >>> 16) & 0xff;
          intBits = v & 0xff;
          if (intBits > 128 || intOff + intBits > size * 8 || size > 16) {
            throw typeError(in, id, "INT of " + size + " bytes has " + intBits + " bits at offset " + intOff);
          }
          break;
        case PTR: case TYPEDEF: case VOLATILE: case CONST: case RESTRICT: case TYPE_TAG:
        case FUNC: case FUNC_PROTO: case VAR: case DECL_TAG:
          type = (int) Math.min(sizeOrType, Integer.MAX_VALUE);
          if (kind == BtfKind.FUNC) {
            linkage = vlen;
          } else if (kind == BtfKind.FUNC_PROTO) {
            List<Param> ps = new ArrayList<>(capacity(vlen, typeLen - p, 8));
            for (int i = 0; i < vlen; i++, p += 8) {
              ps.add(new Param(string(base, strings, typeSec.u32(p), in, id), ref(typeSec.u32(p + 4), in, id)));
            }
            params = Collections.unmodifiableList(ps);
          } else if (kind == BtfKind.VAR) {
            linkage = typeSec.i32(p);
            p += 4;
          } else if (kind == BtfKind.DECL_TAG) {
            component = typeSec.i32(p);
            p += 4;
          }
          break;
        case ARRAY:
          array = new ArrayInfo(ref(typeSec.u32(p), in, id), ref(typeSec.u32(p + 4), in, id), typeSec.u32(p + 8));
          p += 12;
          break;
        case STRUCT: case UNION:
          size = sizeOrType;
          List<Member> ms = new ArrayList<>(capacity(vlen, typeLen - p, 12));
          for (int i = 0; i < vlen; i++, p += 12) {
            long off = typeSec.u32(p + 8);
            int bits = kindFlag ? (int) (off >>> 24) : 0;
            long bitOff = kindFlag ? off & 0xffffff : off;
            ms.add(new Member(string(base, strings, typeSec.u32(p), in, id), ref(typeSec.u32(p + 4), in, id), bitOff, bits));
          }
          members = Collections.unmodifiableList(ms);
          break;
        case ENUM:
          size = sizeOrType;
          List<EnumValue> es = new ArrayList<>(capacity(vlen, typeLen - p, 8));
          for (int i = 0; i < vlen; i++, p += 8) {
            int val = typeSec.i32(p + 4);
            es.add(new EnumValue(string(base, strings, typeSec.u32(p), in, id), kindFlag ? val : val & 0xffffffffL));
          }
          enums = Collections.unmodifiableList(es);
          break;
        case ENUM64:
          size = sizeOrType;
          List<EnumValue> e64 = new ArrayList<>(capacity(vlen, typeLen - p, 12));
          for (int i = 0; i < vlen; i++, p += 12) {
            long val = typeSec.u32(p + 4) | typeSec.u32(p + 8) << 32;
            e64.add(new EnumValue(string(base, strings, typeSec.u32(p), in, id), val));
          }
          enums = Collections.unmodifiableList(e64);
          break;
        case FWD:
          break;
        case DATASEC:
          size = sizeOrType;
          List<VarSecInfo> vs = new ArrayList<>(capacity(vlen, typeLen - p, 12));
          for (int i = 0; i < vlen; i++, p += 12) {
            vs.add(new VarSecInfo(ref(typeSec.u32(p), in, id), typeSec.u32(p + 4), typeSec.u32(p + 8)));
          }
          vars = Collections.unmodifiableList(vs);
          break;
        case FLOAT:
          size = sizeOrType;
          break;
        default:
          throw typeError(in, id, "unknown BTF kind " + kindId + " at offset " + start);
      }
      types.add(new BtfType(id, kind, name, size, type, vlen, kindFlag, intEnc, intOff, intBits, array,
          members, enums, params, linkage, vars, component));
    }
    long[] typeOffsets = offsets.stream().mapToLong(Long::longValue).toArray();
    Btf btf = new Btf(in.file(), in.section() == null ? ".BTF" : in.section(), raw,
        Collections.unmodifiableList(types), strings, typeOffsets, base);
    btf.checkReferences(base == null ? 1 : base.types.size());
    return btf;
  }

  /** Room for {@code vlen} records, but never more than the remaining bytes can hold. */
  private static int capacity(int vlen, long remaining, int recordSize) {
    return (int) Math.min(vlen, remaining / recordSize + 1);
  }

  private static String string(@Nullable Btf base, ByteReader strings, long off, ByteReader in, int id) {
    try {
      if (base != null) {
        long baseLen = base.strings.length();
        return off < baseLen ? base.strings.cString(off, "name", MAX_NAME)
            : strings.cString(off - baseLen, "name", MAX_NAME);
      }
      return strings.cString(off, "name", MAX_NAME);
    } catch (BpfObjectFormatException e) {
      throw typeError(in, id, "bad string offset " + off + ": " + e.getMessage());
    }
  }

  private static int ref(long typeId, ByteReader in, int id) {
    if (typeId > Integer.MAX_VALUE) {
      throw typeError(in, id, "refers to type " + typeId);
    }
    return (int) typeId;
  }

  private static BpfObjectFormatException typeError(ByteReader in, int id, String message) {
    return in.error("type [" + id + "]: " + message);
  }

  private BpfObjectFormatException typeError(int id, String message) {
    return new BpfObjectFormatException(file, section, "type [" + id + "]: " + message);
  }

  /** Every reference names an existing type; no reference chain without a pointer loops. */
  private void checkReferences(int first) {
    int n = types.size();
    for (int id = first; id < n; id++) {
      BtfType t = types.get(id);
      checkId(t, t.type());
      checkId(t, t.array().elementType());
      checkId(t, t.array().indexType());
      for (Member m : t.members()) {
        checkId(t, m.type());
      }
      for (Param prm : t.params()) {
        checkId(t, prm.type());
      }
      for (VarSecInfo v : t.variables()) {
        checkId(t, v.type());
        if (v.type() == 0) {
          throw typeError(id, "DATASEC entry refers to void");
        }
      }
    }
    // 0 = unvisited, 1 = on the current chain, 2 = known to end
    byte[] state = new byte[n];
    int[] chain = new int[n];
    for (int id = 1; id < first; id++) {
      state[id] = 2; // the base was checked when it was parsed
    }
    for (int id = first; id < n; id++) {
      int len = 0;
      int cur = id;
      while (cur != 0 && state[cur] == 0) {
        state[cur] = 1;
        chain[len++] = cur;
        cur = chainNext(types.get(cur));
      }
      if (cur != 0 && state[cur] == 1) {
        throw typeError(cur, "circular type reference through " + types.get(cur).kind());
      }
      for (int i = 0; i < len; i++) {
        state[chain[i]] = 2;
      }
    }
  }

  private void checkId(BtfType t, int ref) {
    if (ref < 0 || ref >= types.size()) {
      throw typeError(t.id(), t.kind() + " refers to type " + (ref & 0xffffffffL) + " but the last type is "
          + (types.size() - 1));
    }
  }

  /** The type a size or resolution step goes to next, or 0 where the chain ends. */
  private static int chainNext(BtfType t) {
    switch (t.kind()) {
      case TYPEDEF: case VOLATILE: case CONST: case RESTRICT: case TYPE_TAG: case VAR:
        return t.type();
      case ARRAY:
        return t.array().elementType();
      default:
        return 0;
    }
  }

  /** Where the variables of a DATASEC really lie, which the compiler leaves to the linker. */
  public interface DatasecLayout {
    /** The size of the named section, or -1 to keep what BTF says. */
    long sectionSize(String datasec);

    /** The offset of a variable in the named section, or -1 to keep what BTF says. */
    long variableOffset(String datasec, String variable);
  }

  /**
   * This BTF with DATASEC sizes and variable offsets filled in. clang writes 0 for both, leaving
   * them to the loader (libbpf fixes them from the ELF section and symbol tables before {@code
   * BPF_BTF_LOAD}); the result's {@link #raw()} is what the kernel should get.
   */
  public Btf withDatasecLayout(DatasecLayout layout) {
    byte[] fixed = raw.clone();
    ByteReader r = ByteReader.of(fixed, file, section);
    boolean changed = false;
    for (int id = 1; id < types.size(); id++) {
      BtfType t = types.get(id);
      long at = typeOffsets[id];
      if (t.kind() != BtfKind.DATASEC || at < 0) {
        continue;
      }
      long size = layout.sectionSize(t.name());
      if (size >= 0 && size != t.size()) {
        putU32(fixed, r, at + 8, size);
        changed = true;
      }
      for (int i = 0; i < t.variables().size(); i++) {
        BtfType var = types.get(t.variables().get(i).type());
        long off = var.kind() == BtfKind.VAR ? layout.variableOffset(t.name(), var.name()) : -1;
        if (off >= 0 && off != t.variables().get(i).offset()) {
          putU32(fixed, r, at + 12 + 12L * i + 4, off);
          changed = true;
        }
      }
    }
    return changed ? parse(ByteReader.of(fixed, file, section), fixed, base) : this;
  }

  private void putU32(byte[] b, ByteReader bounds, long at, long value) {
    bounds.u32(at); // bounds check
    if (value > 0xffffffffL) {
      throw new BpfObjectFormatException(file, section, "DATASEC size or offset " + value + " does not fit 32 bits");
    }
    int p = (int) at;
    b[p] = (byte) value;
    b[p + 1] = (byte) (value >>> 8);
    b[p + 2] = (byte) (value >>> 16);
    b[p + 3] = (byte) (value >>> 24);
  }

  /**
   * This BTF as the kernel accepts it from an object with externs, the way libbpf rewrites it
   * before {@code BPF_BTF_LOAD}: the kernel refuses VARs and FUNCs of extern linkage, so extern
   * VARs become allocated globals; in {@code .kconfig} they get their offsets in the kconfig map;
   * in {@code .ksyms} each entry becomes a 4-byte int VAR (functions are replaced there by one
   * appended dummy VAR); extern FUNCs become global, with names for unnamed parameters (the kernel
   * wants them named). Returns this BTF unchanged when there is no extern.
   *
   * @param kconfigOffsets the offset of each {@code .kconfig} extern in its map, by name
   * @param kconfigSize the size of the kconfig map's value
   */
  public Btf withExternsAllocated(java.util.function.ToIntFunction<String> kconfigOffsets, int kconfigSize) {
    byte[] fixed = raw.clone();
    ByteReader r = ByteReader.of(fixed, file, section);
    boolean changed = false;
    BtfType ksyms = null;
    for (int id = 1; id < types.size(); id++) {
      BtfType t = types.get(id);
      long at = typeOffsets[id];
      if (at < 0) {
        continue;
      }
      if (t.kind() == BtfKind.VAR && t.linkage() == VAR_GLOBAL_EXTERN) {
        putU32(fixed, r, at + 12, VAR_GLOBAL_ALLOCATED);
        changed = true;
      } else if (t.kind() == BtfKind.FUNC && t.linkage() == FUNC_EXTERN) {
        putU32(fixed, r, at + 4, (long) BtfKind.FUNC.ordinal() << 24 | FUNC_GLOBAL);
        changed = true;
      } else if (t.kind() == BtfKind.DATASEC && t.name().equals(Extern.KCONFIG_SECTION)) {
        putU32(fixed, r, at + 8, kconfigSize);
        // the kernel wants entries in offset order, and the kconfig layout is by alignment
        List<long[]> entries = new ArrayList<>();
        for (VarSecInfo v : t.variables()) {
          int off = kconfigOffsets.applyAsInt(types.get(v.type()).name());
          entries.add(new long[] {v.type(), off >= 0 ? off : v.offset(), v.size()});
        }
        entries.sort(java.util.Comparator.comparingLong(e -> e[1]));
        for (int i = 0; i < entries.size(); i++) {
          for (int f = 0; f < 3; f++) {
            putU32(fixed, r, at + 12 + 12L * i + 4L * f, entries.get(i)[f]);
          }
        }
        changed = true;
      } else if (t.kind() == BtfKind.DATASEC && t.name().equals(Extern.KSYMS_SECTION) && !t.variables().isEmpty()) {
        ksyms = t;
      }
    }
    if (ksyms == null) {
      return changed ? parse(ByteReader.of(fixed, file, section), fixed, base) : this;
    }
    // .ksyms: every entry a 4-byte int variable; one appended "int" (if there is none) and dummy VAR
    int intId = 0;
    for (int id = 1; id < types.size() && intId == 0; id++) {
      BtfType t = types.get(id);
      if (t.kind() == BtfKind.INT && t.size() == 4 && t.intBits() == 32 && t.intBitOffset() == 0) {
        intId = id;
      }
    }
    java.io.ByteArrayOutputStream newTypes = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream newStrings = new java.io.ByteArrayOutputStream();
    long strLen = r.u32(20);
    int next = types.size();
    if (intId == 0) {
      intId = next++;
      long name = strLen + newStrings.size();
      newStrings.writeBytes("int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      writeU32s(newTypes, name, (long) BtfKind.INT.ordinal() << 24, 4, (long) BtfType.INT_SIGNED << 24 | 32);
    }
    long dummyName = strLen + newStrings.size();
    newStrings.writeBytes("bpfmaps_dummy_ksym\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    int dummyId = next;
    writeU32s(newTypes, dummyName, (long) BtfKind.VAR.ordinal() << 24, intId, VAR_GLOBAL_ALLOCATED);
    long at = typeOffsets[ksyms.id()];
    putU32(fixed, r, at + 8, 4L * ksyms.variables().size());
    for (int i = 0; i < ksyms.variables().size(); i++) {
      BtfType v = types.get(ksyms.variables().get(i).type());
      long entry = at + 12 + 12L * i;
      if (v.kind() == BtfKind.FUNC) {
        putU32(fixed, r, entry, dummyId);
        BtfType proto = types.get(v.type());
        long protoAt = typeOffsets[proto.id()];
        for (int p = 0; p < proto.params().size(); p++) {
          if (proto.params().get(p).name().isEmpty() && proto.params().get(p).type() != 0 && protoAt >= 0) {
            putU32(fixed, r, protoAt + 12 + 8L * p, dummyName);
          }
        }
      } else if (v.kind() == BtfKind.VAR && typeOffsets[v.id()] >= 0) {
        putU32(fixed, r, typeOffsets[v.id()] + 8, intId);
      }
      putU32(fixed, r, entry + 4, 4L * i);
      putU32(fixed, r, entry + 8, 4);
    }
    // header | types + new types | strings + new strings
    int hdrLen = (int) r.u32(4);
    long typeOff = r.u32(8);
    long typeLen = r.u32(12);
    long strOff = r.u32(16);
    byte[] nt = newTypes.toByteArray();
    byte[] ns = newStrings.toByteArray();
    byte[] out = new byte[(int) (hdrLen + typeLen + nt.length + strLen + ns.length)];
    System.arraycopy(fixed, 0, out, 0, hdrLen);
    System.arraycopy(fixed, (int) (hdrLen + typeOff), out, hdrLen, (int) typeLen);
    System.arraycopy(nt, 0, out, (int) (hdrLen + typeLen), nt.length);
    System.arraycopy(fixed, (int) (hdrLen + strOff), out, (int) (hdrLen + typeLen + nt.length), (int) strLen);
    System.arraycopy(ns, 0, out, (int) (hdrLen + typeLen + nt.length + strLen), ns.length);
    ByteReader o = ByteReader.of(out, file, section);
    putU32(out, o, 8, 0);
    putU32(out, o, 12, typeLen + nt.length);
    putU32(out, o, 16, typeLen + nt.length);
    putU32(out, o, 20, strLen + ns.length);
    return parse(o, out, base);
  }

  private static final int VAR_GLOBAL_ALLOCATED = 1;
  private static final int VAR_GLOBAL_EXTERN = 2;
  private static final int FUNC_GLOBAL = 1;
  private static final int FUNC_EXTERN = 2;

  private static void writeU32s(java.io.ByteArrayOutputStream out, long... values) {
    for (long v : values) {
      out.write((int) v);
      out.write((int) (v >>> 8));
      out.write((int) (v >>> 16));
      out.write((int) (v >>> 24));
    }
  }

  /** Where a type's {@code struct btf_type} starts in {@link #raw()} (for tests that corrupt it). */
  long typeOffset(int id) {
    return typeOffsets[id];
  }

  /** The file these types were read from. */
  public String file() {
    return file;
  }

  /** The raw section bytes, as the kernel's {@code BPF_BTF_LOAD} wants them. */
  public byte[] raw() {
    return raw.clone();
  }

  /** The number of types, not counting void. */
  public int typeCount() {
    return types.size() - 1;
  }

  /** Every type in id order (the type with id {@code i} is element {@code i - 1}). */
  public List<BtfType> types() {
    return types.subList(1, types.size());
  }

  /**
   * The type with this id.
   *
   * @throws BpfObjectFormatException if there is none (id 0, void, has no {@code BtfType})
   */
  public BtfType type(int id) {
    if (id <= 0 || id >= types.size()) {
      throw new BpfObjectFormatException(file, section, "no type [" + id + "] (last is " + (types.size() - 1) + ")");
    }
    return types.get(id);
  }

  /** The string at an offset of the string section (names in {@code .BTF.ext} records point here). */
  public String string(long offset) {
    return string(offset, Integer.MAX_VALUE);
  }

  /** The string at an offset of the string section, refused past {@code maxLength} bytes. */
  String string(long offset, int maxLength) {
    if (base != null) {
      long baseLen = base.strings.length();
      return offset < baseLen ? base.string(offset, maxLength) : strings.cString(offset - baseLen, "string", maxLength);
    }
    return strings.cString(offset, "string", maxLength);
  }

  /** The BTF this split BTF continues, or null for a base (vmlinux, an object's own BTF). */
  public @Nullable Btf base() {
    return base;
  }

  /**
   * The first type with this kind and name, or null. The first call indexes every name (one pass
   * over the types); later calls cost a hash lookup.
   */
  public @Nullable BtfType find(BtfKind kind, String name) {
    for (int id : ids(name)) {
      BtfType t = types.get(id);
      if (t.kind() == kind) {
        return t;
      }
    }
    return null;
  }

  /** Every type with this name, of any kind, in id order (same cost as {@link #find}). */
  public List<BtfType> findAll(String name) {
    int[] ids = ids(name);
    List<BtfType> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add(types.get(id));
    }
    return out;
  }

  private int[] ids(String name) {
    Map<String, int[]> index = byName;
    if (index == null) {
      index = new HashMap<>(types.size() * 2);
      for (int id = 1; id < types.size(); id++) {
        String n = types.get(id).name();
        if (!n.isEmpty()) {
          int[] old = index.get(n);
          if (old == null) {
            index.put(n, new int[] {id});
          } else {
            int[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = id;
            index.put(n, grown);
          }
        }
      }
      byName = index; // racing builders make equal maps; either may win
    }
    return index.getOrDefault(name, NO_IDS);
  }

  private static final int[] NO_IDS = new int[0];

  /** Follows typedefs and modifiers (const, volatile, restrict, type tags); 0 stays 0 (void). */
  public int resolveId(int id) {
    int cur = id;
    // checkReferences() proved modifier chains end, so this loop terminates
    while (cur != 0 && types.get(cur).kind().isModifier()) {
      cur = types.get(cur).type();
    }
    return cur;
  }

  /** The type behind typedefs and modifiers; null for void. */
  public @Nullable BtfType resolve(int id) {
    type(id);
    int r = resolveId(id);
    return r == 0 ? null : types.get(r);
  }

  /**
   * The size in bytes of a type, through typedefs, modifiers, variables and arrays; 8 for pointers.
   *
   * @throws BpfObjectFormatException for types without a size (void, functions, forward
   *     declarations) and for sizes beyond 2^32
   */
  public long sizeOf(int id) {
    long multiplier = 1;
    int cur = id;
    while (true) {
      BtfType t = type(cur);
      switch (t.kind()) {
        case INT: case ENUM: case ENUM64: case STRUCT: case UNION: case DATASEC: case FLOAT:
          return checkedSize(id, multiplier, t.size());
        case PTR:
          return checkedSize(id, multiplier, 8);
        case TYPEDEF: case VOLATILE: case CONST: case RESTRICT: case TYPE_TAG: case VAR:
          cur = t.type();
          break;
        case ARRAY:
          multiplier = checkedSize(id, multiplier, t.array().length());
          cur = t.array().elementType();
          break;
        default:
          throw typeError(id, t.kind() + " '" + t.name() + "' has no size");
      }
      if (cur == 0) {
        throw typeError(id, "refers to void, which has no size");
      }
    }
  }

  private long checkedSize(int id, long multiplier, long size) {
    if (size == 0 || multiplier == 0) {
      return 0;
    }
    if (size > 0xffffffffL / multiplier) {
      throw typeError(id, "size overflows 32 bits");
    }
    return multiplier * size;
  }

  @Override
  public String toString() {
    return "Btf[" + file + ", " + typeCount() + " types]";
  }
}
