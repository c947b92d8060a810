package io.github.bpfmaps.elf;

import io.github.bpfmaps.errors.BpfObjectFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A little-endian 64-bit ELF relocatable object for {@code EM_BPF}: its sections, its symbol table
 * and the relocations of each section. Layouts follow {@code /usr/include/elf.h}. Nothing is
 * interpreted beyond what ELF itself defines; {@link ObjectParser} gives the sections their BPF
 * meaning.
 */
public final class ElfFile {
  /** {@code EM_BPF} from {@code elf.h}. */
  public static final int EM_BPF = 247;

  static final int SHT_PROGBITS = 1;
  static final int SHT_SYMTAB = 2;
  static final int SHT_STRTAB = 3;
  static final int SHT_RELA = 4;
  static final int SHT_NOBITS = 8;
  static final int SHT_REL = 9;
  static final long SHF_WRITE = 0x1;
  static final long SHF_ALLOC = 0x2;
  static final long SHF_EXECINSTR = 0x4;
  static final int STT_NOTYPE = 0;
  static final int STT_OBJECT = 1;
  static final int STT_FUNC = 2;
  static final int STT_SECTION = 3;
  static final int STB_LOCAL = 0;
  static final int STB_GLOBAL = 1;
  static final int STB_WEAK = 2;
  static final int SHN_UNDEF = 0;
  static final int SHN_LORESERVE = 0xff00;

  /*
   * Names are offsets into a string table, so every header or symbol may name the same huge string;
   * uncapped, each would cost a scan and a copy of it. Symbols name functions, maps and variables,
   * which the kernel's BTF caps at KSYM_NAME_LEN (512); section names may hold a path (SEC("uprobe/
   * <path>:<func>")), hence PATH_MAX.
   */
  static final int MAX_SYMBOL_NAME = 512;
  static final int MAX_SECTION_NAME = 4096;

  private static final int EHDR_SIZE = 64;
  private static final int SHDR_SIZE = 64;
  private static final int SYM_SIZE = 24;
  private static final int REL_SIZE = 16;

  /** One section header. */
  public record Section(
      int index, String name, int type, long flags, long offset, long size, int link, int info,
      long entrySize) {
    /** True for sections of instructions. */
    public boolean executable() {
      return type == SHT_PROGBITS && (flags & SHF_EXECINSTR) != 0;
    }
  }

  /** One symbol of {@code .symtab}. */
  public record Symbol(
      int index, String name, int type, int bind, int sectionIndex, long value, long size) {}

  /** One {@code Elf64_Rel} record: where to patch, against which symbol, how. */
  public record Relocation(long offset, int symbolIndex, int type) {}

  private final String file;
  private final ByteReader data;
  private final List<Section> sections;
  private final List<Symbol> symbols;

  /** Section index to the first SHT_REL/SHT_RELA section that relocates it. */
  private final Map<Integer, Section> relocationSections = new HashMap<>();

  private ElfFile(String file, ByteReader data, List<Section> sections, List<Symbol> symbols) {
    this.file = file;
    this.data = data;
    this.sections = sections;
    this.symbols = symbols;
    // indexed once: looking it up by scanning every section, per section, is quadratic
    for (Section s : sections) {
      if (s.type() == SHT_REL || s.type() == SHT_RELA) {
        relocationSections.putIfAbsent(s.info(), s);
      }
    }
  }

  /**
   * Parses the ELF header, section headers and symbol table of {@code bytes}.
   *
   * @param file names the bytes in error messages
   * @throws BpfObjectFormatException if the bytes are not a well-formed ELF64 LE object for
   *     {@code EM_BPF}
   */
  public static ElfFile parse(byte[] bytes, String file) {
    ByteReader all = ByteReader.of(bytes, file, null);
    if (bytes.length < EHDR_SIZE) {
      throw all.error("not an ELF object: " + bytes.length + " bytes is shorter than the ELF header");
    }
    if (all.u8(0) != 0x7f || all.u8(1) != 'E' || all.u8(2) != 'L' || all.u8(3) != 'F') {
      throw all.error("not an ELF object: bad magic");
    }
    if (all.u8(4) != 2) {
      throw all.error("ELF class " + all.u8(4) + " is not ELFCLASS64; BPF objects are 64-bit");
    }
    if (all.u8(5) != 1) {
      throw all.error(
          "ELF data encoding " + all.u8(5) + " is not little-endian (ELFDATA2LSB); compile with"
              + " -target bpf (or bpfel) for this machine, not bpfeb");
    }
    if (all.u16(16) != 1) {
      throw all.error("ELF type " + all.u16(16) + " is not a relocatable object (ET_REL); load the .o"
          + " clang -c writes, not a linked file");
    }
    int machine = all.u16(18);
    if (machine != EM_BPF) {
      throw all.error("ELF machine " + machine + " is not EM_BPF (247); compile with clang -target bpf");
    }
    long shoff = all.i64(40);
    int shentsize = all.u16(58);
    long shnum = all.u16(60);
    int shstrndx = all.u16(62);
    if (shoff == 0) {
      throw all.error("no section header table");
    }
    if (shentsize != SHDR_SIZE) {
      throw all.error("section header size " + shentsize + " is not " + SHDR_SIZE);
    }
    ByteReader headers = all.named("<section headers>");
    if (shnum == 0) { // extended numbering: the count is in section 0's sh_size
      shnum = headers.i64(shoff + 32);
    }
    if (shstrndx == 0xffff) {
      shstrndx = headers.i32(shoff + 40);
    }
    if (shnum <= 0 || shnum > (bytes.length - shoff) / SHDR_SIZE) {
      throw headers.error(
          "section count " + shnum + " at offset " + shoff + " does not fit in " + bytes.length + " bytes");
    }
    int count = (int) shnum;
    if (shstrndx <= 0 || shstrndx >= count) {
      throw headers.error("section name table index " + shstrndx + " is not one of " + count + " sections");
    }
    long[][] raw = new long[count][];
    for (int i = 0; i < count; i++) {
      long h = shoff + (long) i * SHDR_SIZE;
      raw[i] = new long[] {
        headers.u32(h), headers.u32(h + 4), headers.i64(h + 8), headers.i64(h + 24),
        headers.i64(h + 32), headers.u32(h + 40), headers.u32(h + 44), headers.i64(h + 56)
      };
    }
    long[] strHdr = raw[shstrndx];
    ByteReader shstr = sectionBytes(all, "<section names>", strHdr[1], strHdr[3], strHdr[4]);
    List<Section> sections = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long[] r = raw[i];
      String name = i == 0 ? "" : shstr.cString(r[0], "name of section " + i, MAX_SECTION_NAME);
      long size = r[4];
      if (r[1] != SHT_NOBITS && i != 0) {
        sectionBytes(all, name, r[1], r[3], size); // bounds check now, once
      }
      if (size < 0) {
        throw new BpfObjectFormatException(file, name, "negative size " + size);
      }
      sections.add(new Section(i, name, (int) r[1], r[2], r[3], size, (int) r[5], (int) r[6], r[7]));
    }
    checkNoOverlap(file, sections);
    ElfFile partial = new ElfFile(file, all, List.copyOf(sections), List.of());
    return new ElfFile(file, all, partial.sections, List.copyOf(partial.readSymbols()));
  }

  /**
   * Sections with file bytes must not share them. Each is copied out on its own (code, global
   * data), so overlapping headers would let a small file make us copy its bytes once per header.
   */
  private static void checkNoOverlap(String file, List<Section> sections) {
    List<Section> laid = new ArrayList<>();
    for (Section s : sections) {
      if (s.index() != 0 && s.type() != SHT_NOBITS && s.size() > 0) {
        laid.add(s);
      }
    }
    laid.sort(Comparator.comparingLong(Section::offset));
    for (int i = 1; i < laid.size(); i++) {
      Section prev = laid.get(i - 1);
      Section s = laid.get(i);
      if (s.offset() < prev.offset() + prev.size()) {
        throw new BpfObjectFormatException(file, s.name(), "bytes " + s.offset() + ".." + (s.offset() + s.size())
            + " overlap section '" + prev.name() + "' (" + prev.offset() + ".." + (prev.offset() + prev.size())
            + ")");
      }
    }
  }

  private static ByteReader sectionBytes(ByteReader all, String name, long type, long offset, long size) {
    if (type == SHT_NOBITS) {
      return all.slice(0, 0, name);
    }
    if (offset < 0 || size < 0 || offset > all.length() - size) {
      throw new BpfObjectFormatException(
          all.file(), name, "truncated: " + size + " bytes at offset " + offset + " lie past the end of the "
              + all.length() + "-byte file");
    }
    return all.slice(offset, size, name);
  }

  private List<Symbol> readSymbols() {
    Section symtab = null;
    for (Section s : sections) {
      if (s.type() == SHT_SYMTAB) {
        if (symtab != null) {
          throw new BpfObjectFormatException(file, s.name(), "a second symbol table");
        }
        symtab = s;
      }
    }
    if (symtab == null) {
      return List.of();
    }
    ByteReader sym = bytes(symtab);
    if (symtab.link() <= 0 || symtab.link() >= sections.size()
        || sections.get(symtab.link()).type() != SHT_STRTAB) {
      throw sym.error("string table index " + symtab.link() + " is not a string table");
    }
    ByteReader strtab = bytes(sections.get(symtab.link()));
    if (symtab.size() % SYM_SIZE != 0) {
      throw sym.error("size " + symtab.size() + " is not a multiple of the symbol size " + SYM_SIZE);
    }
    int n = (int) (symtab.size() / SYM_SIZE);
    List<Symbol> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long p = (long) i * SYM_SIZE;
      int info = sym.u8(p + 4);
      int type = info & 0xf;
      int shndx = sym.u16(p + 6);
      String name;
      if (type == STT_SECTION && shndx > 0 && shndx < sections.size()) {
        name = sections.get(shndx).name();
      } else {
        name = strtab.named(".strtab").cString(sym.u32(p), "name of symbol " + i, MAX_SYMBOL_NAME);
      }
      if (shndx != SHN_UNDEF && shndx < SHN_LORESERVE && shndx >= sections.size()) {
        throw sym.error("symbol '" + name + "' refers to section " + shndx + " of " + sections.size());
      }
      out.add(new Symbol(i, name, type, info >>> 4, shndx, sym.i64(p + 8), sym.i64(p + 16)));
    }
    return out;
  }

  /** The file name given to {@link #parse}. */
  public String file() {
    return file;
  }

  /** Every section, indexed by section number (entry 0 is the null section). */
  public List<Section> sections() {
    return sections;
  }

  /** The first section with this name, or null. */
  public @Nullable Section section(String name) {
    for (Section s : sections) {
      if (s.index() != 0 && s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** Every symbol of {@code .symtab}, indexed by symbol number; empty without a symbol table. */
  public List<Symbol> symbols() {
    return symbols;
  }

  /** The bytes of a section; empty for {@code SHT_NOBITS}. */
  ByteReader bytes(Section s) {
    return sectionBytes(data, s.name(), s.type(), s.offset(), s.size());
  }

  /** A copy of the bytes of a section; empty for {@code SHT_NOBITS}. */
  public byte[] contents(Section s) {
    ByteReader r = bytes(s);
    return r.bytes(0, r.length());
  }

  /** The {@code SHT_REL} section that relocates {@code target}, or null. */
  public @Nullable Section relocationSectionFor(Section target) {
    return relocationSections.get(target.index());
  }

  /**
   * The relocations that apply to {@code target}, in file order; symbol indices are checked against
   * the symbol table.
   */
  public List<Relocation> relocations(Section target) {
    Section rel = relocationSectionFor(target);
    if (rel == null) {
      return List.of();
    }
    ByteReader r = bytes(rel);
    if (rel.type() == SHT_RELA) {
      throw r.error("RELA relocations are not used by BPF objects; only REL is supported");
    }
    if (rel.size() % REL_SIZE != 0) {
      throw r.error("size " + rel.size() + " is not a multiple of the relocation size " + REL_SIZE);
    }
    int n = (int) (rel.size() / REL_SIZE);
    List<Relocation> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long info = r.i64((long) i * REL_SIZE + 8);
      long symbol = info >>> 32;
      if (symbol >= symbols.size()) {
        throw r.error("relocation " + i + " refers to symbol " + symbol + " of " + symbols.size());
      }
      out.add(new Relocation(r.i64((long) i * REL_SIZE), (int) symbol, (int) (info & 0xffffffffL)));
    }
    return Collections.unmodifiableList(out);
  }
}
