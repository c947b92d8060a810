package io.github.bpfmaps.elf;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.elf.BtfType.Member;
import io.github.bpfmaps.elf.BtfType.VarSecInfo;
import io.github.bpfmaps.elf.ElfFile.Relocation;
import io.github.bpfmaps.elf.ElfFile.Section;
import io.github.bpfmaps.elf.ElfFile.Symbol;
import io.github.bpfmaps.elf.ParsedObject.CodeSection;
import io.github.bpfmaps.elf.ParsedObject.Function;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import io.github.bpfmaps.spec.GlobalVariable;
import io.github.bpfmaps.spec.MapKind;
import io.github.bpfmaps.spec.MapSpec;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Gives an {@link ElfFile}'s sections their BPF meaning, the way libbpf reads an object: maps from
 * {@code .maps} (BTF-defined) and {@code maps} (legacy), global data sections as internal ARRAY
 * maps, programs from executable sections, and every relocation of their instructions classified.
 * No system calls.
 */
public final class ObjectParser {
  /** The most {@code .bss}-style bytes, all sections together, we materialise as zeros. */
  static final long MAX_ZERO_SECTION = 1L << 24;

  /**
   * The largest key or value size we read. ELF and BTF hold them as u32, {@link MapSpec} as int; a
   * larger u32 would turn negative, and the kernel refuses such sizes anyway.
   */
  static final long MAX_MAP_SIZE = Integer.MAX_VALUE;

  private static final int R_BPF_64_64 = 1;
  private static final int R_BPF_64_32 = 10;
  private static final int LEGACY_DEF_SIZE = 20;
  private static final int IPROUTE2_DEF_SIZE = 36;
  private static final int SAMPLES_DEF_SIZE = 28;

  private final ElfFile elf;
  private final String file;
  private final String objectName;
  private @Nullable Btf btf;
  private @Nullable BtfExt btfExt;
  private final List<ObjectMapSpec> maps = new ArrayList<>();
  private final List<GlobalVariable> variables = new ArrayList<>();
  /** For {@code .maps} and {@code maps}: section index, then offset of the definition, to map name. */
  private final Map<Integer, TreeMap<Long, String>> mapsAt = new HashMap<>();
  /** Global-data section index to its map name. */
  private final Map<Integer, String> dataMaps = new HashMap<>();
  /** The bytes of all {@code .bss}-style sections read so far. */
  private long zeroBytes;
  /** STT_FUNC symbols by section index; built on first use by {@link #functionSymbols}. */
  private @Nullable Map<Integer, List<Symbol>> functionsBySection;

  private ObjectParser(ElfFile elf, String objectName) {
    this.elf = elf;
    this.file = elf.file();
    this.objectName = objectName;
  }

  /**
   * Reads a compiled BPF object.
   *
   * @param bytes the whole file
   * @param file the file name for messages
   * @param objectName the object's name, as libbpf derives it (the file name up to its first dot);
   *     global-data map names start with it
   * @throws BpfObjectFormatException for anything malformed, naming the file and section
   */
  public static ParsedObject parse(byte[] bytes, String file, String objectName) {
    try {
      return new ObjectParser(ElfFile.parse(bytes, file), objectName).parse();
    } catch (BpfException e) {
      throw e;
    } catch (RuntimeException e) {
      // A safety net: every check above should have caught the input first.
      throw new BpfObjectFormatException(file, null, "malformed object: " + e, e);
    }
  }

  /** The largest object file {@link #read(Path)} accepts: 64 MiB. */
  public static final long MAX_FILE_SIZE = 64L << 20;

  /**
   * Reads a compiled BPF object file (at most {@value #MAX_FILE_SIZE} bytes, bounded even if the
   * file grows while it is read), its object name derived from the file name as libbpf does.
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object
   * @throws BpfException if the file cannot be read
   */
  public static ParsedObject read(Path path) {
    String file = path.toString();
    byte[] bytes;
    try {
      if (!Files.isRegularFile(path)) {
        throw new BpfException("open", file, 0, file + ": " + (Files.exists(path) ? "not a regular file"
            : "no such file"));
      }
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes((int) MAX_FILE_SIZE + 1);
      }
      if (bytes.length > MAX_FILE_SIZE) {
        throw new BpfObjectFormatException(file, null, "larger than the " + MAX_FILE_SIZE
            + "-byte limit for BPF objects");
      }
    } catch (IOException e) {
      throw new BpfException("open", file, 0, file + ": cannot read: " + e.getMessage(), e);
    }
    Path fileName = path.getFileName();
    return parse(bytes, file, objectName(fileName == null ? file : fileName.toString()));
  }

  /** The object name libbpf derives from a file name: everything before the first dot. */
  public static String objectName(String fileName) {
    int dot = fileName.indexOf('.');
    return dot < 0 ? fileName : fileName.substring(0, dot);
  }

  private ParsedObject parse() {
    Section btfSec = elf.section(".BTF");
    if (btfSec != null) {
      // clang leaves DATASEC sizes and offsets 0; fix them before anything reads variables.
      Btf parsed = Btf.parse(elf.bytes(btfSec), elf.contents(btfSec)).withDatasecLayout(new SymbolLayout());
      btf = parsed;
      Section ext = elf.section(".BTF.ext");
      if (ext != null) {
        btfExt = BtfExt.parse(elf.bytes(ext), parsed);
      }
    }
    String license = "";
    int version = 0;
    Section lic = elf.section("license");
    if (lic != null) {
      byte[] b = elf.contents(lic);
      int n = 0;
      while (n < b.length && b[n] != 0) {
        n++;
      }
      license = new String(b, 0, n, StandardCharsets.UTF_8);
    }
    Section ver = elf.section("version");
    if (ver != null) {
      version = elf.bytes(ver).i32(0);
    }
    Section btfMaps = elf.section(".maps");
    if (btfMaps != null) {
      readBtfMaps(btfMaps);
    }
    Section legacy = elf.section("maps");
    if (legacy != null) {
      readLegacyMaps(legacy);
    }
    for (Section s : elf.sections()) {
      if (isGlobalData(s) && s.size() > 0) {
        readGlobalData(s);
      }
    }
    Map<String, ObjectMapSpec> byName = new HashMap<>();
    for (ObjectMapSpec m : maps) {
      ObjectMapSpec other = byName.put(m.name(), m);
      if (other != null) {
        throw new BpfObjectFormatException(file, m.section(), "map '" + m.name() + "' is declared again (first in '"
            + other.section() + "')");
      }
    }
    List<ProgramSpec> programs = new ArrayList<>();
    Map<String, Function> programFunctions = new HashMap<>();
    Map<Integer, CodeSection> code = new HashMap<>();
    for (Section s : elf.sections()) {
      if (s.executable() && s.size() > 0) {
        CodeSection cs = readCode(s);
        code.put(s.index(), cs);
        if (!s.name().equals(".text")) {
          addPrograms(cs, license, version, programs, programFunctions);
        }
      }
    }
    for (CodeSection cs : code.values()) {
      for (ProgramReloc r : cs.relocs().values()) {
        if (r.kind() == ProgramReloc.Kind.CALL || r.kind() == ProgramReloc.Kind.FUNC_ADDR) {
          checkCallTarget(cs, r, code);
        }
      }
    }
    List<Extern> externs = collectExterns();
    return new ParsedObject(file, btf, btfExt, license, version, maps, variables, programs, programFunctions, code,
        externs);
  }

  /**
   * DATASEC sizes from the section headers, variable offsets from the symbol table. Both are
   * indexed once: a DATASEC may list a variable per 12 bytes of BTF, so scanning the sections or
   * symbols per variable made a few MiB of input take minutes.
   */
  private final class SymbolLayout implements Btf.DatasecLayout {
    private @Nullable Map<String, Section> sectionsByName;
    /** The value of the first non-section symbol of each (section index, name). */
    private @Nullable Map<Map.Entry<Integer, String>, Long> symbolValues;

    private @Nullable Section section(String name) {
      if (sectionsByName == null) {
        sectionsByName = new HashMap<>();
        for (Section s : elf.sections()) {
          if (s.index() != 0) {
            sectionsByName.putIfAbsent(s.name(), s); // the first, as ElfFile.section(name) finds
          }
        }
      }
      return sectionsByName.get(name);
    }

    @Override
    public long sectionSize(String datasec) {
      Section s = section(datasec);
      if (s != null && s.size() > 0xffffffffL) {
        throw err(s, "size " + s.size() + " is too large for a BPF object section");
      }
      return s == null ? -1 : s.size();
    }

    @Override
    public long variableOffset(String datasec, String variable) {
      Section s = section(datasec);
      if (s == null) {
        return -1;
      }
      if (symbolValues == null) {
        symbolValues = new HashMap<>();
        for (Symbol sym : elf.symbols()) {
          if (sym.type() != ElfFile.STT_SECTION) {
            symbolValues.putIfAbsent(Map.entry(sym.sectionIndex(), sym.name()), sym.value());
          }
        }
      }
      @Nullable Long value = symbolValues.get(Map.entry(s.index(), variable));
      return value == null ? -1 : value;
    }
  }

  // ---- BTF-defined maps ----------------------------------------------------------------------

  private void readBtfMaps(Section sec) {
    Btf btf = this.btf;
    if (btf == null) {
      throw err(sec, "BTF-defined maps need the .BTF section; compile with clang -g");
    }
    BtfType datasec = btf.find(BtfKind.DATASEC, ".maps");
    if (datasec == null) {
      throw err(sec, "no BTF DATASEC '.maps' describes the map definitions");
    }
    // by offset, so a relocation finds its map without scanning them all (that was quadratic)
    TreeMap<Long, MapDraft> byOffset = new TreeMap<>();
    List<MapDraft> drafts = new ArrayList<>();
    for (VarSecInfo v : datasec.variables()) {
      BtfType var = btf.type(v.type());
      if (var.kind() != BtfKind.VAR) {
        throw btfErr(sec, var.id(), "DATASEC '.maps' entry is a " + var.kind() + ", not a VAR");
      }
      if (v.offset() + v.size() > sec.size()) {
        throw btfErr(sec, var.id(), "map '" + var.name() + "' at offset " + v.offset() + " (" + v.size()
            + " bytes) lies past the end of the " + sec.size() + "-byte section");
      }
      Map.@Nullable Entry<Long, MapDraft> before = byOffset.floorEntry(v.offset());
      Map.@Nullable Entry<Long, MapDraft> after = byOffset.ceilingEntry(v.offset());
      @Nullable MapDraft other = before != null && before.getKey() + before.getValue().size > v.offset() ? before.getValue()
          : after != null && after.getKey() < v.offset() + v.size() ? after.getValue() : null;
      if (other != null) {
        throw btfErr(sec, var.id(), "map '" + var.name() + "' at offset " + v.offset() + " (" + v.size()
            + " bytes) overlaps map '" + other.name + "' at offset " + other.offset);
      }
      MapDraft d = parseMapDef(btf, sec, var.name(), var.type(), false);
      d.offset = v.offset();
      d.size = v.size();
      drafts.add(d);
      byOffset.put(v.offset(), d);
      mapsAt.computeIfAbsent(sec.index(), k -> new TreeMap<>()).put(v.offset(), var.name());
    }
    // .values = { [i] = &other } initialisers are relocations of the .maps section itself
    Map<String, Map<Integer, String>> slots = new HashMap<>();
    for (Relocation r : elf.relocations(sec)) {
      Symbol target = elf.symbols().get(r.symbolIndex());
      Map.@Nullable Entry<Long, MapDraft> at = byOffset.floorEntry(r.offset());
      @Nullable MapDraft owner = at != null && r.offset() < at.getKey() + at.getValue().size ? at.getValue() : null;
      if (owner == null || owner.valuesOffset < 0) {
        throw err(sec, "relocation at offset " + r.offset() + " (symbol '" + target.name()
            + "') is not inside the 'values' of any map");
      }
      long rel = r.offset() - owner.offset - owner.valuesOffset;
      if (rel < 0 || rel % 8 != 0) {
        throw err(sec, "relocation at offset " + r.offset() + " is not a slot of map '" + owner.name + "'");
      }
      slots.computeIfAbsent(owner.name, k -> new TreeMap<>()).put((int) (rel / 8), target.name());
    }
    for (MapDraft d : drafts) {
      maps.add(d.build(MapKind.BTF, sec.name(), slots.getOrDefault(d.name, Map.of())));
    }
  }

  /** A map definition while it is being read. */
  private static final class MapDraft {
    final String name;
    @Nullable MapType type;
    long keySize = -1;
    long valueSize = -1;
    long maxEntries;
    long flags;
    Pinning pinning = Pinning.NONE;
    @Nullable MapSpec inner;
    int keyTypeId;
    int valueTypeId;
    long offset;
    long size;
    long valuesOffset = -1;

    MapDraft(String name) {
      this.name = name;
    }

    ObjectMapSpec build(MapKind kind, String section, Map<Integer, String> slots) {
      MapSpec spec = MapSpec.of(name, type == null ? MapType.UNSPEC : type, (int) Math.max(keySize, 0),
          (int) Math.max(valueSize, 0), (int) maxEntries, (int) flags, pinning, inner);
      return new ObjectMapSpec(spec, kind, section, keyTypeId, valueTypeId, new byte[0], slots);
    }
  }

  private MapDraft parseMapDef(Btf b, Section sec, String name, int typeId, boolean inner) {
    BtfType def = b.resolve(typeId);
    if (def == null || def.kind() != BtfKind.STRUCT) {
      throw btfErr(sec, typeId, "map '" + name + "' is not a struct");
    }
    MapDraft d = new MapDraft(name);
    for (Member m : def.members()) {
      switch (m.name()) {
        case "type":
          long t = uint(b, sec, name, m);
          if (t > MapType.ARENA.id()) {
            throw btfErr(sec, def.id(), "map '" + name + "' has unknown map type " + t);
          }
          d.type = MapType.fromId((int) t);
          break;
        case "max_entries":
          d.maxEntries = uint(b, sec, name, m);
          break;
        case "map_flags":
          d.flags = uint(b, sec, name, m);
          break;
        case "numa_node": case "map_extra":
          uint(b, sec, name, m);
          break;
        case "pinning":
          long p = uint(b, sec, name, m);
          if (p > 1) {
            throw btfErr(sec, def.id(), "map '" + name + "' has pinning " + p
                + "; only 0 (none) and 1 (LIBBPF_PIN_BY_NAME) exist");
          }
          d.pinning = p == 1 ? Pinning.BY_NAME : Pinning.NONE;
          break;
        case "key_size":
          d.keySize = sized(sec, name, "key", d.keySize, uint(b, sec, name, m), def.id());
          break;
        case "value_size":
          d.valueSize = sized(sec, name, "value", d.valueSize, uint(b, sec, name, m), def.id());
          break;
        case "key":
          d.keyTypeId = pointee(b, sec, name, m);
          d.keySize = sized(sec, name, "key", d.keySize, b.sizeOf(d.keyTypeId), def.id());
          break;
        case "value":
          d.valueTypeId = pointee(b, sec, name, m);
          d.valueSize = sized(sec, name, "value", d.valueSize, b.sizeOf(d.valueTypeId), def.id());
          break;
        case "values":
          if (inner) {
            throw btfErr(sec, def.id(), "inner map '" + name + "' cannot have 'values' itself");
          }
          d.valuesOffset = m.byteOffset();
          BtfType arr = b.resolve(m.type());
          if (arr == null || arr.kind() != BtfKind.ARRAY) {
            throw btfErr(sec, m.type(), "map '" + name + "': 'values' is not an array");
          }
          BtfType ptr = b.resolve(arr.array().elementType());
          if (ptr == null || ptr.kind() != BtfKind.PTR) {
            throw btfErr(sec, arr.id(), "map '" + name + "': 'values' is not an array of pointers");
          }
          d.valueSize = sized(sec, name, "value", d.valueSize, 4, def.id());
          BtfType pointee = b.resolve(ptr.type());
          if (pointee != null && pointee.kind() == BtfKind.STRUCT) {
            MapDraft in = parseMapDef(b, sec, name + ".inner", pointee.id(), true);
            d.inner = in.build(MapKind.BTF, sec.name(), Map.of());
          }
          break;
        default:
          throw btfErr(sec, def.id(), "map '" + name + "' has unknown attribute '" + m.name() + "'");
      }
    }
    if (d.type == null) {
      throw btfErr(sec, def.id(), "map '" + name + "' has no 'type'");
    }
    if (d.type.mapOfMaps() && d.inner == null && !inner) {
      throw btfErr(sec, def.id(), "map-in-map '" + name + "' needs __array(values, struct inner_def)");
    }
    return d;
  }

  private long sized(Section sec, String map, String what, long old, long size, int id) {
    if (old >= 0 && old != size) {
      throw btfErr(sec, id, "map '" + map + "': " + what + " size " + size + " conflicts with " + old);
    }
    if (size > MAX_MAP_SIZE) {
      throw btfErr(sec, id, "map '" + map + "': " + what + " size " + size + " is larger than " + MAX_MAP_SIZE
          + ", which no kernel map accepts");
    }
    return size;
  }

  /** {@code __uint(name, N)} is {@code int (*name)[N]}. */
  private long uint(Btf btf, Section sec, String map, Member m) {
    BtfType ptr = btf.resolve(m.type());
    if (ptr == null || ptr.kind() != BtfKind.PTR) {
      throw btfErr(sec, m.type(), "map '" + map + "': attribute '" + m.name() + "' is not __uint(...)");
    }
    BtfType arr = btf.resolve(ptr.type());
    if (arr == null || arr.kind() != BtfKind.ARRAY) {
      throw btfErr(sec, ptr.id(), "map '" + map + "': attribute '" + m.name() + "' is not __uint(...)");
    }
    return arr.array().length();
  }

  /** {@code __type(name, T)} is {@code T *name}. */
  private int pointee(Btf btf, Section sec, String map, Member m) {
    BtfType ptr = btf.resolve(m.type());
    if (ptr == null || ptr.kind() != BtfKind.PTR) {
      throw btfErr(sec, m.type(), "map '" + map + "': attribute '" + m.name() + "' is not __type(...)");
    }
    if (ptr.type() == 0) {
      throw btfErr(sec, ptr.id(), "map '" + map + "': attribute '" + m.name() + "' points to void");
    }
    return ptr.type();
  }

  // ---- legacy maps ---------------------------------------------------------------------------

  private void readLegacyMaps(Section sec) {
    List<Symbol> syms = new ArrayList<>();
    for (Symbol s : elf.symbols()) {
      if (s.sectionIndex() == sec.index() && s.type() != ElfFile.STT_SECTION && !s.name().isEmpty()) {
        syms.add(s);
      }
    }
    if (syms.isEmpty()) {
      if (sec.size() > 0) {
        throw err(sec, "has " + sec.size() + " bytes but no map symbols");
      }
      return;
    }
    if (sec.size() == 0 || sec.size() % syms.size() != 0) {
      throw err(sec, "size " + sec.size() + " is not a multiple of its " + syms.size() + " map symbols");
    }
    // Old clang emits these symbols with size 0, so the definition size comes from the section.
    long defSize = sec.size() / syms.size();
    if (defSize < LEGACY_DEF_SIZE) {
      throw err(sec, "definitions of " + defSize + " bytes are shorter than struct bpf_map_def (20)");
    }
    ByteReader r = elf.bytes(sec);
    syms.sort(Comparator.comparingLong(Symbol::value));
    Map<Long, MapDraft> byId = new HashMap<>();
    List<MapDraft> drafts = new ArrayList<>();
    List<InnerRef> innerRefs = new ArrayList<>();
    for (Symbol s : syms) {
      long off = s.value();
      if (off < 0 || off % defSize != 0 || off + defSize > sec.size()) {
        throw err(sec, "map '" + s.name() + "' at offset " + off + " is not one of the " + defSize
            + "-byte definitions");
      }
      MapDraft d = new MapDraft(s.name());
      long type = r.u32(off);
      if (type > MapType.ARENA.id()) {
        throw err(sec, "map '" + s.name() + "' has unknown map type " + type);
      }
      d.type = MapType.fromId((int) type);
      d.keySize = r.u32(off + 4);
      d.valueSize = r.u32(off + 8);
      if (d.keySize > MAX_MAP_SIZE || d.valueSize > MAX_MAP_SIZE) {
        throw err(sec, "map '" + s.name() + "' has key size " + d.keySize + " and value size " + d.valueSize
            + "; sizes above " + MAX_MAP_SIZE + " are accepted by no kernel map");
      }
      d.maxEntries = r.u32(off + 12);
      d.flags = r.u32(off + 16);
      d.offset = off;
      if (defSize >= IPROUTE2_DEF_SIZE) {
        // iproute2's struct bpf_elf_map: id, pinning (PIN_OBJECT_NS=1, PIN_GLOBAL_NS=2), inner_id
        byId.put(r.u32(off + 20), d);
        d.pinning = r.u32(off + 24) != 0 ? Pinning.BY_NAME : Pinning.NONE;
        if (r.u32(off + 28) != 0) {
          innerRefs.add(new InnerRef(drafts.size(), true, r.u32(off + 28)));
        }
      } else if (defSize == SAMPLES_DEF_SIZE && r.u32(off + 20) != 0) {
        // samples/bpf's struct bpf_load_map_def: inner_map_idx is an index among the maps
        innerRefs.add(new InnerRef(drafts.size(), false, r.u32(off + 20)));
      }
      drafts.add(d);
      mapsAt.computeIfAbsent(sec.index(), k -> new TreeMap<>()).put(off, s.name());
    }
    for (InnerRef ref : innerRefs) {
      MapDraft outer = drafts.get(ref.outer());
      MapDraft in = ref.byId() ? byId.get(ref.value()) : ref.value() < drafts.size() ? drafts.get((int) ref.value()) : null;
      if (in == null || in == outer) {
        throw err(sec, "map '" + outer.name + "' names inner map " + (ref.byId() ? "id " : "index ") + ref.value()
            + ", which is not another map of this section");
      }
      outer.inner = in.build(MapKind.LEGACY, sec.name(), Map.of());
    }
    for (MapDraft d : drafts) {
      maps.add(d.build(MapKind.LEGACY, sec.name(), Map.of()));
    }
  }

  /** An outer legacy map's reference to its inner template: by iproute2 id, or by index. */
  private record InnerRef(int outer, boolean byId, long value) {}

  // ---- global data ---------------------------------------------------------------------------

  static boolean isGlobalData(Section s) {
    String n = s.name();
    boolean progbits = s.type() == ElfFile.SHT_PROGBITS && (s.flags() & ElfFile.SHF_ALLOC) != 0
        && (s.flags() & ElfFile.SHF_EXECINSTR) == 0;
    boolean nobits = s.type() == ElfFile.SHT_NOBITS;
    return (progbits && (n.equals(".data") || n.startsWith(".data.") || n.equals(".rodata") || n.startsWith(".rodata.")))
        || (nobits && (n.equals(".bss") || n.startsWith(".bss.")));
  }

  /**
   * The kernel name libbpf gives a global-data map: the first characters of the object name and the
   * section name within 15 bytes, or the section name alone for custom {@code .data.*} sections.
   */
  public static String internalMapName(String objectName, String section) {
    int sfx = Math.min(Math.max(7, section.length()), 15);
    int pfx = section.indexOf('.', 1) >= 0 ? 0 : Math.min(16 - sfx - 1, objectName.length());
    String raw = objectName.substring(0, pfx) + section.substring(0, Math.min(sfx, section.length()));
    StringBuilder out = new StringBuilder(raw.length());
    for (char c : raw.toCharArray()) {
      out.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' ? c : '_');
    }
    return out.toString();
  }

  private void readGlobalData(Section sec) {
    String name = internalMapName(objectName, sec.name());
    boolean rodata = sec.name().startsWith(".rodata");
    if (sec.size() > 0xffffffffL) {
      throw err(sec, "size " + sec.size() + " is too large for a global-data map");
    }
    if (sec.type() == ElfFile.SHT_NOBITS) {
      // The zeros cost memory but no file bytes, so bound them all together, not per section.
      zeroBytes += sec.size();
      if (zeroBytes > MAX_ZERO_SECTION) {
        throw err(sec, "size " + sec.size() + " brings the zero-filled sections to " + zeroBytes
            + " bytes, more than the " + MAX_ZERO_SECTION + " we materialise");
      }
    }
    byte[] data = sec.type() == ElfFile.SHT_NOBITS ? new byte[(int) sec.size()] : elf.contents(sec);
    // libbpf's flags: read-only for programs for .rodata, and mmap-able so user space can map them.
    int flags = MapFlags.MMAPABLE | (rodata ? MapFlags.RDONLY_PROG : 0);
    int datasecId = 0;
    Btf btf = this.btf;
    if (btf != null) {
      BtfType ds = btf.find(BtfKind.DATASEC, sec.name());
      if (ds != null) {
        datasecId = ds.id();
        for (VarSecInfo v : ds.variables()) {
          BtfType var = btf.type(v.type());
          if (var.kind() != BtfKind.VAR) {
            continue; // DATASECs may list FUNCs of externs; not variables
          }
          if (v.offset() + v.size() > sec.size()) {
            throw btfErr(sec, var.id(), "variable '" + var.name() + "' at offset " + v.offset() + " ("
                + v.size() + " bytes) lies past the end of the " + sec.size() + "-byte section");
          }
          variables.add(new GlobalVariable(var.name(), sec.name(), (int) v.offset(), (int) v.size(), var.type()));
        }
      }
    }
    dataMaps.put(sec.index(), name);
    maps.add(new ObjectMapSpec(MapSpec.of(name, MapType.ARRAY, 4, (int) sec.size(), 1, flags),
        MapKind.GLOBAL_DATA, sec.name(), 0, datasecId, data, Map.of()));
  }

  // ---- externs -------------------------------------------------------------------------------

  /** {@code BTF_FUNC_EXTERN}: the linkage clang gives a declared-only function. */
  private static final int BTF_FUNC_EXTERN = 2;

  /**
   * Every undefined global symbol, classified by the BTF DATASEC clang put it in ({@code .kconfig}
   * or {@code .ksyms}) or as a function; {@code .kconfig} values laid out in the map libbpf makes for
   * them (by alignment, largest first, then size, then name), which is added to the maps.
   */
  private List<Extern> collectExterns() {
    List<Symbol> undefined = new ArrayList<>();
    for (Symbol sym : elf.symbols()) {
      if (sym.index() != 0 && sym.sectionIndex() == ElfFile.SHN_UNDEF && !sym.name().isEmpty()
          && (sym.bind() == ElfFile.STB_GLOBAL || sym.bind() == ElfFile.STB_WEAK) && sym.type() != ElfFile.STT_SECTION) {
        undefined.add(sym);
      }
    }
    if (undefined.isEmpty()) {
      return List.of();
    }
    Btf b = this.btf;
    Map<String, BtfType> kconfigVars = new HashMap<>();
    Map<String, BtfType> ksymVars = new HashMap<>();
    BtfType kconfigSec = null;
    if (b != null) {
      kconfigSec = b.find(BtfKind.DATASEC, Extern.KCONFIG_SECTION);
      for (String sec : List.of(Extern.KCONFIG_SECTION, Extern.KSYMS_SECTION)) {
        BtfType ds = b.find(BtfKind.DATASEC, sec);
        if (ds != null) {
          for (VarSecInfo v : ds.variables()) {
            BtfType t = b.type(v.type());
            (sec.equals(Extern.KCONFIG_SECTION) ? kconfigVars : ksymVars).put(t.name(), t);
          }
        }
      }
    }
    List<Extern> kconfig = new ArrayList<>();
    List<Extern> out = new ArrayList<>();
    for (Symbol sym : undefined) {
      boolean weak = sym.bind() == ElfFile.STB_WEAK;
      BtfType kv = kconfigVars.get(sym.name());
      BtfType sv = ksymVars.get(sym.name());
      BtfType fn = b == null ? null : b.find(BtfKind.FUNC, sym.name());
      if (b != null && kv != null && kv.kind() == BtfKind.VAR) {
        kconfig.add(kconfigExtern(b, sym, kv, weak));
      } else if (b != null && sv != null && sv.kind() == BtfKind.VAR) {
        int typeId = b.resolveId(sv.type()) == 0 ? 0 : sv.type();
        out.add(new Extern(sym.name(), Extern.Kind.KSYM, weak, sv.id(), typeId, Extern.KconfigType.NONE, 0, 0,
            false, 0));
      } else if (fn != null && fn.linkage() == BTF_FUNC_EXTERN) {
        out.add(new Extern(sym.name(), Extern.Kind.KFUNC, weak, fn.id(), fn.type(), Extern.KconfigType.NONE, 0, 0,
            false, 0));
      } else {
        out.add(new Extern(sym.name(), Extern.Kind.UNKNOWN, weak, 0, 0, Extern.KconfigType.NONE, 0, 0, false, 0));
      }
    }
    if (!kconfig.isEmpty()) {
      kconfig.sort(Comparator.comparingInt((Extern e) -> -e.align()).thenComparingInt(Extern::size)
          .thenComparing(Extern::name));
      int off = 0;
      List<Extern> placed = new ArrayList<>();
      for (Extern e : kconfig) {
        off = (off + e.align() - 1) / e.align() * e.align();
        placed.add(new Extern(e.name(), e.kind(), e.weak(), e.btfId(), e.typeId(), e.kconfigType(), e.size(),
            e.align(), e.signed(), off));
        off += e.size();
      }
      out.addAll(0, placed);
      String name = internalMapName(objectName, Extern.KCONFIG_SECTION);
      maps.add(new ObjectMapSpec(MapSpec.of(name, MapType.ARRAY, 4, off, 1, MapFlags.MMAPABLE | MapFlags.RDONLY_PROG),
          MapKind.GLOBAL_DATA, Extern.KCONFIG_SECTION, 0, kconfigSec == null ? 0 : kconfigSec.id(), new byte[off],
          Map.of()));
    }
    return out;
  }

  private Extern kconfigExtern(Btf b, Symbol sym, BtfType var, boolean weak) {
    BtfType t = b.resolve(var.type());
    Extern.KconfigType kt = Extern.KconfigType.NONE;
    int size = 0;
    int align = 1;
    boolean signed = false;
    if (t != null && t.kind() == BtfKind.INT) {
      size = (int) t.size();
      signed = t.isSigned();
      if ((t.intEncoding() & BtfType.INT_BOOL) != 0 && size == 1) {
        kt = Extern.KconfigType.BOOL;
      } else if (size == 1) { // any 1-byte integer is a char to libbpf (find_kcfg_type)
        kt = Extern.KconfigType.CHAR;
      } else if (size == 2 || size == 4 || size == 8) {
        kt = Extern.KconfigType.INT;
        align = size;
      }
    } else if (t != null && t.kind() == BtfKind.ENUM && t.name().equals("libbpf_tristate")) {
      kt = Extern.KconfigType.TRISTATE;
      size = 4;
      align = 4;
    } else if (t != null && t.kind() == BtfKind.ARRAY) {
      BtfType elem = b.resolve(t.array().elementType());
      if (elem != null && elem.kind() == BtfKind.INT && elem.size() == 1 && t.array().length() > 0
          && t.array().length() < 4096) {
        kt = Extern.KconfigType.CHAR_ARRAY;
        size = (int) t.array().length();
      }
    }
    if (kt == Extern.KconfigType.NONE) {
      throw new BpfObjectFormatException(file, Extern.KCONFIG_SECTION, "__kconfig extern '" + sym.name() + "' has type "
          + (t == null ? "void" : t.kind() + " '" + t.name() + "'") + "; a kconfig value must be bool, char, an"
          + " integer of 1, 2, 4 or 8 bytes, enum libbpf_tristate or a char array (BTF type [" + var.id() + "])");
    }
    return new Extern(sym.name(), Extern.Kind.KCONFIG, weak, var.id(), var.type(), kt, size, align, signed, 0);
  }

  // ---- programs ------------------------------------------------------------------------------

  private CodeSection readCode(Section sec) {
    if (sec.size() % Insn.SIZE != 0) {
      throw err(sec, "size " + sec.size() + " is not a multiple of the 8-byte instruction size");
    }
    byte[] code = elf.contents(sec);
    int count = code.length / Insn.SIZE;
    List<Symbol> funcs = new ArrayList<>();
    for (Symbol s : functionSymbols(sec.index())) {
      if (s.value() < 0 || s.value() % Insn.SIZE != 0 || s.value() >= sec.size()
          || s.size() < 0 || s.size() % Insn.SIZE != 0 || s.size() > sec.size() - s.value()) {
        throw err(sec, "function '" + s.name() + "' at offset " + s.value() + " (" + s.size()
            + " bytes) is not whole instructions inside the section");
      }
      funcs.add(s);
    }
    funcs.sort(Comparator.comparingLong(Symbol::value));
    List<Function> functions = new ArrayList<>();
    for (int i = 0; i < funcs.size(); i++) {
      Symbol s = funcs.get(i);
      long end = s.size() > 0 ? s.value() + s.size() : i + 1 < funcs.size() ? funcs.get(i + 1).value() : sec.size();
      int start = (int) (s.value() / Insn.SIZE);
      functions.add(new Function(s.name(), sec.index(), start, (int) (end / Insn.SIZE) - start));
    }
    if (functions.isEmpty()) {
      // Objects from old toolchains have no function symbols: the section is one program.
      functions.add(new Function(sec.name(), sec.index(), 0, count));
    }
    Map<Integer, ProgramReloc> relocs = new LinkedHashMap<>();
    for (Relocation r : elf.relocations(sec)) {
      ProgramReloc pr = classify(sec, code, r);
      if (relocs.put(pr.instruction(), pr) != null) {
        throw err(sec, "two relocations of instruction " + pr.instruction());
      }
      if (pr.kind() != ProgramReloc.Kind.CALL && Insn.opcode(code, pr.instruction()) == Insn.LD_IMM64) {
        for (Function f : functions) {
          if (f.contains(pr.instruction()) && !f.contains(pr.instruction() + 1)) {
            throw err(sec, "ld_imm64 of '" + pr.symbol() + "' at instruction " + pr.instruction()
                + " is cut in half by the end of function '" + f.name() + "'");
          }
        }
      }
    }
    return new CodeSection(sec.index(), sec.name(), code, List.copyOf(functions), relocs);
  }

  /**
   * The STT_FUNC symbols of a section, in symbol-table order. Grouped once: scanning the whole
   * symbol table per code section is quadratic in objects of many sections and symbols.
   */
  private List<Symbol> functionSymbols(int sectionIndex) {
    if (functionsBySection == null) {
      functionsBySection = new HashMap<>();
      for (Symbol s : elf.symbols()) {
        if (s.type() == ElfFile.STT_FUNC) {
          functionsBySection.computeIfAbsent(s.sectionIndex(), k -> new ArrayList<>()).add(s);
        }
      }
    }
    return functionsBySection.getOrDefault(sectionIndex, List.of());
  }

  private ProgramReloc classify(Section sec, byte[] code, Relocation r) {
    int count = code.length / Insn.SIZE;
    Symbol sym = elf.symbols().get(r.symbolIndex());
    String where = "relocation against '" + sym.name() + "' at offset " + r.offset();
    if (r.offset() < 0 || r.offset() % Insn.SIZE != 0 || r.offset() / Insn.SIZE >= count) {
      throw err(sec, where + " is not an instruction of the section");
    }
    int insn = (int) (r.offset() / Insn.SIZE);
    int op = Insn.opcode(code, insn);
    int imm = Insn.imm(code, insn);
    if (sym.sectionIndex() == ElfFile.SHN_UNDEF) {
      if (sym.name().isEmpty() || !((op == Insn.CALL && r.type() == R_BPF_64_32)
          || (op == Insn.LD_IMM64 && r.type() == R_BPF_64_64))) {
        throw err(sec, where + " refers to an undefined symbol '" + sym.name() + "' with relocation type " + r.type());
      }
      return new ProgramReloc(insn, ProgramReloc.Kind.EXTERN, sym.name(), "", 0, 0, 0);
    }
    if (sym.sectionIndex() >= ElfFile.SHN_LORESERVE) {
      throw err(sec, where + " refers to special section index " + sym.sectionIndex());
    }
    Section target = elf.sections().get(sym.sectionIndex());
    if (op == Insn.CALL && r.type() == R_BPF_64_32) {
      if (!target.executable()) {
        throw err(sec, where + " calls into section '" + target.name() + "', which is not code");
      }
      if (sym.value() % Insn.SIZE != 0) {
        throw err(sec, where + " calls a misaligned address");
      }
      // Global functions are called with imm = -1 against their own symbol; static ones against
      // the section symbol with imm pointing at the function (libbpf reads both this way).
      long targetInsn = sym.value() / Insn.SIZE + imm + 1;
      return new ProgramReloc(insn, ProgramReloc.Kind.CALL, sym.name(), "", 0, target.index(), (int) targetInsn);
    }
    if (op != Insn.LD_IMM64 || r.type() != R_BPF_64_64) {
      throw err(sec, where + " has relocation type " + r.type() + " on opcode 0x" + Integer.toHexString(op)
          + "; only ld_imm64 (R_BPF_64_64) and call (R_BPF_64_32) can be relocated");
    }
    if (insn + 1 >= count || Insn.opcode(code, insn + 1) != 0) {
      throw err(sec, where + ": ld_imm64 at instruction " + insn + " is missing its second half");
    }
    TreeMap<Long, String> defs = mapsAt.get(target.index());
    if (defs != null) {
      String map = defs.get(sym.value());
      if (map == null || imm != 0) {
        throw err(sec, where + " points into '" + target.name() + "' at offset " + (sym.value() + imm)
            + ", where no map definition starts");
      }
      return new ProgramReloc(insn, ProgramReloc.Kind.MAP_FD, sym.name(), map, 0, 0, 0);
    }
    String data = dataMaps.get(target.index());
    if (data != null) {
      long off = sym.value() + imm;
      if (off < 0 || off >= target.size()) {
        throw err(sec, where + " points at offset " + off + " of the " + target.size() + "-byte section '"
            + target.name() + "'");
      }
      return new ProgramReloc(insn, ProgramReloc.Kind.MAP_VALUE, sym.name(), data, off, 0, 0);
    }
    if (target.executable()) {
      long byteOff = sym.value() + imm;
      if (byteOff % Insn.SIZE != 0) {
        throw err(sec, where + " takes a misaligned function address");
      }
      return new ProgramReloc(insn, ProgramReloc.Kind.FUNC_ADDR, sym.name(), "", 0, target.index(),
          (int) (byteOff / Insn.SIZE));
    }
    throw err(sec, where + " refers to section '" + target.name()
        + "', which is neither a map section, a global-data section nor code");
  }

  private void checkCallTarget(CodeSection from, ProgramReloc r, Map<Integer, CodeSection> code) {
    CodeSection to = code.get(r.targetSection());
    if (to == null || to.functions().stream().noneMatch(f -> f.contains(r.targetInstruction()))) {
      throw new BpfObjectFormatException(file, from.name(), "instruction " + r.instruction() + " calls '"
          + r.symbol() + "' at instruction " + r.targetInstruction() + ", which is not inside any function");
    }
  }

  private void addPrograms(CodeSection cs, String license, int version, List<ProgramSpec> programs,
      Map<String, Function> byName) {
    ProgramSections.Definition def = ProgramSections.forSection(cs.name());
    Map<Integer, Symbol> symbolAt = new HashMap<>();
    for (Symbol s : functionSymbols(cs.index())) {
      symbolAt.put((int) (s.value() / Insn.SIZE), s);
    }
    for (Function f : cs.functions()) {
      Symbol s = symbolAt.get(f.start());
      // Static functions in a program section are subprograms, as in libbpf.
      if (s != null && s.bind() == ElfFile.STB_LOCAL) {
        continue;
      }
      if (byName.containsKey(f.name())) {
        throw new BpfObjectFormatException(file, cs.name(), "a second program named '" + f.name() + "'");
      }
      byName.put(f.name(), f);
      programs.add(new ProgramSpec(f.name(), cs.name(), def.type(), def.attachType(), def.attachTarget(),
          license, version, f.count()));
    }
  }

  // ---- errors --------------------------------------------------------------------------------

  private BpfObjectFormatException err(Section sec, String message) {
    return new BpfObjectFormatException(file, sec.name(), message);
  }

  private BpfObjectFormatException btfErr(Section sec, int typeId, String message) {
    return new BpfObjectFormatException(file, sec.name(), message + " (BTF type [" + typeId + "])");
  }
}
