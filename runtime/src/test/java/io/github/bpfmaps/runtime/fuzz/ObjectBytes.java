package io.github.bpfmaps.runtime.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.ElfFile;
import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of a real, committed BPF object, with helpers to damage them in one place: ELF header
 * fields, section headers, symbols, relocations and BTF types, located through the untouched
 * original so a test says what it breaks rather than at which offset.
 */
final class ObjectBytes {
  static final int SH_NAME = 0;
  static final int SH_TYPE = 4;
  static final int SH_OFFSET = 24;
  static final int SH_SIZE = 32;
  static final int SYM_SIZE = 24;
  static final int REL_SIZE = 16;

  final String file;
  final byte[] bytes;
  /** The undamaged object, for locating things. */
  final ElfFile elf;

  private ObjectBytes(Path path) {
    this.file = path.getFileName().toString();
    this.bytes = TestObjects.bytes(path);
    this.elf = ElfFile.parse(bytes.clone(), file);
  }

  private ObjectBytes(String file, byte[] bytes, ElfFile elf) {
    this.file = file;
    this.bytes = bytes;
    this.elf = elf;
  }

  /** This object with {@code data} appended; the data starts at the old length. */
  ObjectBytes append(byte[] data) {
    byte[] out = Arrays.copyOf(bytes, bytes.length + data.length);
    System.arraycopy(data, 0, out, bytes.length, data.length);
    return new ObjectBytes(file, out, elf);
  }

  /** The file offset of a field of the section header with this index. */
  long sectionHeader(int index, int field) {
    return get(40, 8) + 64L * index + field;
  }

  /**
   * This object with its section header table moved to the end and {@code copies} more headers
   * appended, each a copy of {@code like}'s header but covering {@code [offset, offset + size)};
   * a negative size means "to the end of the new file".
   */
  ObjectBytes withExtraSections(String like, int copies, long offset, long size) {
    long shoff = get(40, 8);
    int shnum = (int) get(60, 2);
    int total = shnum + copies;
    byte[] out = Arrays.copyOf(bytes, bytes.length + 64 * total);
    System.arraycopy(bytes, (int) shoff, out, bytes.length, 64 * shnum);
    ObjectBytes o = new ObjectBytes(file, out, elf);
    long likeHeader = sectionHeader(section(like), 0);
    for (int i = 0; i < copies; i++) {
      int h = bytes.length + 64 * (shnum + i);
      System.arraycopy(bytes, (int) likeHeader, out, h, 64);
      o.put(h + SH_OFFSET, 8, offset).put(h + SH_SIZE, 8, size < 0 ? out.length - offset : size);
    }
    o.put(40, 8, bytes.length);
    if (total < 0xff00) {
      return o.put(60, 2, total);
    }
    // extended numbering: e_shnum 0, the count in section 0's sh_size
    return o.put(60, 2, 0).put(bytes.length + SH_SIZE, 8, total);
  }

  static ObjectBytes sample(String name) {
    return new ObjectBytes(TestObjects.sample(name));
  }

  static ObjectBytes testObject(String name) {
    return new ObjectBytes(TestObjects.testObject(name));
  }

  /** Parses the (damaged) bytes as {@code BpfObjectSpec.read(bytes, file, objectName)} does. */
  ParsedObject open() {
    return ObjectParser.parse(bytes.clone(), file, file.substring(0, file.indexOf('.')));
  }

  /** Opens the bytes, expecting a format error whose message names this file. */
  BpfObjectFormatException openFails() {
    BpfObjectFormatException e = assertThrows(BpfObjectFormatException.class, this::open);
    assertNotNull(e.getMessage());
    if (!e.getMessage().startsWith(file + ": ")) {
      throw new AssertionError("the message does not start with the file name: " + e.getMessage(), e);
    }
    return e;
  }

  /**
   * Opens the bytes, expecting a format error in {@code section} (null: the ELF header) whose
   * message names this file and mentions each of {@code mentions}.
   */
  BpfObjectFormatException openFailsIn(@Nullable String section, String... mentions) {
    BpfObjectFormatException e = openFails();
    assertEquals(section, e.section(), e.getMessage());
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "'" + m + "' in: " + e.getMessage());
    }
    return e;
  }

  /** The first {@code len} bytes, as an object cut short would have them. */
  byte[] prefix(int len) {
    return Arrays.copyOf(bytes, len);
  }

  ElfFile.Section section(String name) {
    ElfFile.Section s = elf.section(name);
    assertNotNull(s, file + " has no section " + name);
    return s;
  }

  /** The file offset of a field of a section header. */
  long sectionHeader(ElfFile.Section s, int field) {
    return sectionHeader(s.index(), field);
  }

  /** The file offset of a field of the symbol with this name. */
  long symbol(String name, int field) {
    for (ElfFile.Symbol sym : elf.symbols()) {
      if (sym.name().equals(name)) {
        return section(".symtab").offset() + (long) SYM_SIZE * sym.index() + field;
      }
    }
    throw new AssertionError(file + " has no symbol " + name);
  }

  /** The file offset of the {@code i}th relocation record of a relocation section. */
  long relocation(String relSection, int i) {
    return section(relSection).offset() + (long) REL_SIZE * i;
  }

  /** The types of the undamaged object, for finding the ids to damage. */
  Btf types() {
    return Btf.parse(elf.contents(section(".BTF")), file);
  }

  /** The file offset of the start of the {@code .BTF} section. */
  long btf() {
    return section(".BTF").offset();
  }

  /** The file offset of the {@code struct btf_type} with this id, walking the type section. */
  long btfType(int id) {
    long base = btf();
    long hdrLen = get(base + 4, 4);
    long p = base + hdrLen + get(base + 8, 4);
    for (int cur = 1; cur < id; cur++) {
      long info = get(p + 4, 4);
      int vlen = (int) (info & 0xffff);
      int kind = (int) (info >>> 24) & 0x1f;
      p += 12;
      switch (kind) {
        case 1: case 14: case 17: p += 4; break;            // INT, VAR, DECL_TAG
        case 3: p += 12; break;                             // ARRAY
        case 4: case 5: case 15: case 19: p += 12L * vlen; break; // STRUCT, UNION, DATASEC, ENUM64
        case 6: case 13: p += 8L * vlen; break;             // ENUM, FUNC_PROTO
        default: break;
      }
    }
    return p;
  }

  long get(long at, int width) {
    long v = 0;
    for (int i = width - 1; i >= 0; i--) {
      v = v << 8 | (bytes[(int) at + i] & 0xff);
    }
    return v;
  }

  ObjectBytes put(long at, int width, long value) {
    for (int i = 0; i < width; i++) {
      bytes[(int) at + i] = (byte) (value >>> (8 * i));
    }
    return this;
  }
}
