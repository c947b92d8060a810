package io.github.bpfmaps.elf;

import io.github.bpfmaps.errors.BpfException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Function symbols of a native ELF64 little-endian executable or shared library, for uprobes: where
 * in the file a function's code starts. A uprobe is placed at a file offset ({@code config2} of the
 * uprobe PMU), so a symbol's virtual address is turned into one through the {@code PT_LOAD}
 * program header that maps it ({@code offset = vaddr - p_vaddr + p_offset}), as libbpf's {@code
 * elf_find_func_offset} does. Both {@code .symtab} and {@code .dynsym} are searched (a stripped
 * binary keeps only the latter). The file is memory-mapped while read; no kernel call beyond that.
 */
public final class NativeSymbols {
  private NativeSymbols() {}

  private static final int SHT_SYMTAB = 2;
  private static final int SHT_DYNSYM = 11;
  private static final int SHT_DYNAMIC = 6;
  private static final int PT_LOAD = 1;
  private static final int STT_FUNC = 2;
  private static final int STT_GNU_IFUNC = 10;
  private static final long DT_NEEDED = 1;

  /** The directories shared libraries named without a path are looked for in, as the dynamic linker would. */
  public static final List<Path> LIBRARY_DIRS = List.of(
      Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"),
      Path.of("/lib/aarch64-linux-gnu"), Path.of("/usr/lib/aarch64-linux-gnu"),
      Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib"), Path.of("/usr/local/lib"));

  /** Where a symbol was found: the file to probe and the offset in it. */
  public record Location(Path file, long offset) {}

  /**
   * The file a binary named without a slash ({@code libc.so.6}) is: looked up in {@code
   * LD_LIBRARY_PATH}, then {@link #LIBRARY_DIRS}, then {@code PATH}; a name with a slash is taken
   * as it is.
   *
   * @throws BpfException naming the binary if it is not found
   */
  public static Path resolve(Path binary) {
    String name = binary.toString();
    if (name.contains("/")) {
      if (!Files.isRegularFile(binary)) {
        throw new BpfException("uprobe", name, 0, "no file '" + name + "' to place a uprobe in");
      }
      return binary;
    }
    List<Path> dirs = new ArrayList<>();
    for (String env : new String[] {"LD_LIBRARY_PATH"}) {
      String v = System.getenv(env);
      if (v != null) {
        for (String d : v.split(":")) {
          if (!d.isEmpty()) {
            dirs.add(Path.of(d));
          }
        }
      }
    }
    dirs.addAll(LIBRARY_DIRS);
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(":")) {
        if (!d.isEmpty()) {
          dirs.add(Path.of(d));
        }
      }
    }
    for (Path d : dirs) {
      Path p = d.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new BpfException("uprobe", name, 0, "no binary or library '" + name + "' in LD_LIBRARY_PATH, "
        + LIBRARY_DIRS + " or PATH; give its full path");
  }

  /**
   * Finds function {@code symbol} in {@code binary} (a path, or a library or program name resolved
   * by {@link #resolve}); if {@code binary} only imports it, in the shared libraries it needs
   * ({@code DT_NEEDED}), so that {@code uprobe} on {@code /bin/bash:malloc} lands in libc.
   *
   * @throws BpfException naming the symbol and binary if it is defined in none of them, or if the
   *     file is not an ELF64 little-endian file
   */
  public static Location find(Path binary, String symbol) {
    Path file = resolve(binary);
    Elf elf = Elf.read(file);
    Long off = elf.functionOffset(symbol);
    if (off != null) {
      return new Location(file, off);
    }
    for (String lib : elf.needed()) {
      Path libPath;
      try {
        libPath = resolve(Path.of(lib));
      } catch (BpfException e) {
        continue;
      }
      Long o = Elf.read(libPath).functionOffset(symbol);
      if (o != null) {
        return new Location(libPath, o);
      }
    }
    throw new BpfException("uprobe", file + ":" + symbol, 0, "no function '" + symbol + "' defined in " + file
        + (elf.needed().isEmpty() ? "" : " or the libraries it needs " + elf.needed())
        + " (searched .symtab and .dynsym; `nm -D " + file + "` lists the dynamic symbols)");
  }

  /** One parsed file: its sections and program headers over a read-only mapping. */
  private static final class Elf {
    final Path file;
    final ByteBuffer b;

    private Elf(Path file, ByteBuffer b) {
      this.file = file;
      this.b = b;
    }

    static Elf read(Path file) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        if (b.capacity() < 64 || b.getInt(0) != 0x464c457f) {
          throw new BpfException("uprobe", file.toString(), 0, "'" + file + "' is not an ELF file");
        }
        if (b.get(4) != 2 || b.get(5) != 1) {
          throw new BpfException("uprobe", file.toString(), 0, "'" + file + "' is not a 64-bit little-endian ELF file");
        }
        return new Elf(file, b);
      } catch (IOException e) {
        throw new BpfException("uprobe", file.toString(), 0, "cannot read '" + file + "': " + e, e);
      }
    }

    private int shnum() {
      return Short.toUnsignedInt(b.getShort(60));
    }

    private int sh(int i) {
      long off = b.getLong(40) + (long) i * Short.toUnsignedInt(b.getShort(58));
      if (off < 0 || off + 64 > b.capacity()) {
        throw new BpfException("uprobe", file.toString(), 0, "'" + file + "': section header " + i + " is outside the file");
      }
      return (int) off;
    }

    private String str(int strtabSection, long index) {
      int s = sh(strtabSection);
      long at = b.getLong(s + 24) + index;
      StringBuilder out = new StringBuilder();
      for (long i = at; i < b.capacity() && b.get((int) i) != 0; i++) {
        out.append((char) (b.get((int) i) & 0xff));
      }
      return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** The file offset of the defined function {@code name}, or null. */
    @Nullable Long functionOffset(String name) {
      for (int type : new int[] {SHT_SYMTAB, SHT_DYNSYM}) {
        for (int i = 0; i < shnum(); i++) {
          int s = sh(i);
          if (b.getInt(s + 4) != type) {
            continue;
          }
          long off = b.getLong(s + 24);
          long size = b.getLong(s + 32);
          long ent = Math.max(24, b.getLong(s + 56));
          int strtab = b.getInt(s + 40);
          for (long e = off; e + 24 <= off + size && e + 24 <= b.capacity(); e += ent) {
            int info = b.get((int) e + 4) & 0xf;
            int shndx = Short.toUnsignedInt(b.getShort((int) e + 6));
            long value = b.getLong((int) e + 8);
            if ((info != STT_FUNC && info != STT_GNU_IFUNC) || shndx == 0 || value == 0) {
              continue;
            }
            String n = str(strtab, Integer.toUnsignedLong(b.getInt((int) e)));
            int at = n.indexOf('@');
            if (n.equals(name) || (at > 0 && n.substring(0, at).equals(name))) {
              return fileOffset(value);
            }
          }
        }
      }
      return null;
    }

    /** {@code vaddr} through the {@code PT_LOAD} header that maps it. */
    private long fileOffset(long vaddr) {
      long phoff = b.getLong(32);
      int phentsize = Short.toUnsignedInt(b.getShort(54));
      int phnum = Short.toUnsignedInt(b.getShort(56));
      for (int i = 0; i < phnum; i++) {
        int p = (int) (phoff + (long) i * phentsize);
        if (b.getInt(p) != PT_LOAD) {
          continue;
        }
        long pOffset = b.getLong(p + 8);
        long pVaddr = b.getLong(p + 16);
        long pFilesz = b.getLong(p + 32);
        if (vaddr >= pVaddr && vaddr < pVaddr + pFilesz) {
          return vaddr - pVaddr + pOffset;
        }
      }
      return vaddr; // no program headers (a relocatable file): addresses are offsets already
    }

    /** The {@code DT_NEEDED} library names of the dynamic section. */
    List<String> needed() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < shnum(); i++) {
        int s = sh(i);
        if (b.getInt(s + 4) != SHT_DYNAMIC) {
          continue;
        }
        long off = b.getLong(s + 24);
        long size = b.getLong(s + 32);
        int strtab = b.getInt(s + 40);
        for (long e = off; e + 16 <= off + size && e + 16 <= b.capacity(); e += 16) {
          long tag = b.getLong((int) e);
          if (tag == 0) {
            break;
          }
          if (tag == DT_NEEDED) {
            out.add(str(strtab, b.getLong((int) e + 8)));
          }
        }
      }
      return out;
    }
  }
}
