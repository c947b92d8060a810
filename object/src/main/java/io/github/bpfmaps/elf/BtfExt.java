package io.github.bpfmaps.elf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .BTF.ext} section: per ELF section, the function info, line info and CO-RE relocation
 * records clang emits with {@code -g} ({@code Documentation/bpf/btf.rst}, "BTF Ext Section"). Names
 * (section names, file names, source lines, access strings) are offsets into the {@code .BTF}
 * string table, which is how the kernel wants line info too.
 *
 * <p>Instruction offsets are converted from the bytes of the file to instruction indices within
 * the section, the unit {@code BPF_PROG_LOAD} uses.
 */
public final class BtfExt {
  /** One {@code bpf_func_info}: the function starting at an instruction, and its FUNC type. */
  public record FuncInfo(int instruction, int typeId) {}

  /** One {@code bpf_line_info}; {@code lineCol} packs the line (upper 22 bits) and column. */
  public record LineInfo(int instruction, int fileNameOffset, int lineOffset, int lineCol) {
    /** The source line number. */
    public int line() {
      return lineCol >>> 10;
    }

    /** The source column. */
    public int column() {
      return lineCol & 0x3ff;
    }
  }

  /**
   * One {@code bpf_core_relo}: what to adjust at an instruction when kernel types differ. The
   * kernel (5.17+) applies these itself when given them with {@code BPF_PROG_LOAD}.
   *
   * @param accessStringOffset where {@code accessString} lies in the {@code .BTF} string table
   */
  public record CoreRelo(int instruction, int typeId, String accessString, int accessStringOffset, int kind) {}

  private final Map<String, List<FuncInfo>> funcInfo;
  private final Map<String, List<LineInfo>> lineInfo;
  private final Map<String, List<CoreRelo>> coreRelos;

  private BtfExt(
      Map<String, List<FuncInfo>> funcInfo,
      Map<String, List<LineInfo>> lineInfo,
      Map<String, List<CoreRelo>> coreRelos) {
    this.funcInfo = funcInfo;
    this.lineInfo = lineInfo;
    this.coreRelos = coreRelos;
  }

  /**
   * Parses {@code .BTF.ext} bytes against the {@code .BTF} they name strings in.
   *
   * @throws io.github.bpfmaps.errors.BpfObjectFormatException naming the file and {@code .BTF.ext}
   */
  public static BtfExt parse(byte[] bytes, Btf btf) {
    return parse(ByteReader.of(bytes, btf.file(), ".BTF.ext"), btf);
  }

  static BtfExt parse(ByteReader in, Btf btf) {
    if (in.length() < 24) {
      throw in.error("truncated: " + in.length() + " bytes is shorter than the .BTF.ext header");
    }
    if (in.u16(0) != Btf.MAGIC) {
      throw in.error(String.format("bad magic 0x%04x (want 0xeb9f)", in.u16(0)));
    }
    if (in.u8(2) != 1) {
      throw in.error("version " + in.u8(2) + " is not 1");
    }
    long hdrLen = in.u32(4);
    if (hdrLen < 24 || hdrLen > in.length()) {
      throw in.error("header length " + hdrLen + " is outside 24.." + in.length());
    }
    ByteReader body = in.slice(hdrLen, in.length() - hdrLen, in.section());
    Map<String, List<FuncInfo>> funcs = new LinkedHashMap<>();
    Map<String, List<LineInfo>> lines = new LinkedHashMap<>();
    Map<String, List<CoreRelo>> relos = new LinkedHashMap<>();
    Map<Long, String> names = new HashMap<>();
    readInfo(body.slice(in.u32(8), in.u32(12), in.section()), btf, names, "func_info", 8, (sec, r, p) ->
        funcs.computeIfAbsent(sec, k -> new ArrayList<>()).add(new FuncInfo(insn(r, p), r.i32(p + 4))));
    readInfo(body.slice(in.u32(16), in.u32(20), in.section()), btf, names, "line_info", 16, (sec, r, p) ->
        lines.computeIfAbsent(sec, k -> new ArrayList<>())
            .add(new LineInfo(insn(r, p), r.i32(p + 4), r.i32(p + 8), r.i32(p + 12))));
    if (hdrLen >= 32) {
      readInfo(body.slice(in.u32(24), in.u32(28), in.section()), btf, names, "core_relo", 16, (sec, r, p) -> {
        String access;
        try {
          access = string(btf, names, r.u32(p + 8));
        } catch (RuntimeException e) {
          throw r.error("core_relo access string offset " + r.u32(p + 8) + " is not in the BTF strings: "
              + e.getMessage());
        }
        relos.computeIfAbsent(sec, k -> new ArrayList<>())
            .add(new CoreRelo(insn(r, p), r.i32(p + 4), access, r.i32(p + 8), r.i32(p + 12)));
      });
    }
    return new BtfExt(freeze(funcs), freeze(lines), freeze(relos));
  }

  private interface RecordReader {
    void read(String section, ByteReader r, long offset);
  }

  private static int insn(ByteReader r, long p) {
    long off = r.u32(p);
    if (off % 8 != 0) {
      throw r.error("record instruction offset " + off + " is not a multiple of 8");
    }
    return (int) (off / 8);
  }

  /**
   * A name from the BTF strings, at most {@link ElfFile#MAX_SECTION_NAME} bytes, read once per
   * offset: every record may name the same string, which must not cost a scan and a copy each.
   */
  private static String string(Btf btf, Map<Long, String> names, long offset) {
    String s = names.get(offset);
    if (s == null) {
      s = btf.string(offset, ElfFile.MAX_SECTION_NAME);
      names.put(offset, s);
    }
    return s;
  }

  private static void readInfo(
      ByteReader r, Btf btf, Map<Long, String> names, String what, int minRecord, RecordReader reader) {
    if (r.length() == 0) {
      return;
    }
    long recSize = r.u32(0);
    if (recSize < minRecord || recSize > r.length()) {
      throw r.error(what + " record size " + recSize + " is smaller than " + minRecord + " or past the end");
    }
    long p = 4;
    while (p < r.length()) {
      long nameOff = r.u32(p);
      long count = r.u32(p + 4);
      String section;
      try {
        section = string(btf, names, nameOff);
      } catch (RuntimeException e) {
        throw r.error(what + " section name offset " + nameOff + " is not in the BTF strings: " + e.getMessage());
      }
      p += 8;
      if (count > (r.length() - p) / recSize) {
        throw r.error(what + " for '" + section + "' claims " + count + " records of " + recSize
            + " bytes but only " + (r.length() - p) + " bytes remain");
      }
      for (long i = 0; i < count; i++, p += recSize) {
        reader.read(section, r, p);
      }
    }
  }

  private static <T> Map<String, List<T>> freeze(Map<String, List<T>> m) {
    Map<String, List<T>> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(out);
  }

  /** Function info of an ELF section (by name), in file order; empty if none. */
  public List<FuncInfo> funcInfo(String section) {
    return funcInfo.getOrDefault(section, List.of());
  }

  /** Line info of an ELF section (by name), in file order; empty if none. */
  public List<LineInfo> lineInfo(String section) {
    return lineInfo.getOrDefault(section, List.of());
  }

  /** CO-RE relocations of an ELF section (by name), in file order; empty if none. */
  public List<CoreRelo> coreRelos(String section) {
    return coreRelos.getOrDefault(section, List.of());
  }

  /** The names of the sections with any function info. */
  public List<String> sectionsWithFuncInfo() {
    return List.copyOf(funcInfo.keySet());
  }
}
