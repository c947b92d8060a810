package io.github.bpfmaps.runtime;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.GlobalVariable;
import io.github.bpfmaps.spec.MapKind;
import io.github.bpfmaps.spec.MapSpec;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;
import io.github.bpfmaps.spec.ProgramType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A compiled BPF object ({@code clang -target bpf}) as read from its file, before anything reaches
 * the kernel, and editable: what libbpf-based tools do between {@code bpf_object__open} and {@code
 * bpf_object__load}. Each map's {@code max_entries}, value and key size, flags, pinning and inner
 * map ({@link MapDefinition}); each program's autoload, type and expected attach type ({@link
 * ProgramDefinition}); the initial value of every global variable ({@link #setVariable}).
 * {@link #load} then creates a {@link BpfObject}, which holds only live things: map and program fds.
 *
 * <pre>{@code
 * BpfObjectSpec spec = BpfObjectSpec.read(path);
 * spec.map("flows").maxEntries(1 << 20);          // bpf_map__set_max_entries
 * spec.program("debug_dump").autoload(false);     // bpf_program__set_autoload
 * spec.setVariable("min_len", 64);                // a const volatile in .rodata
 * try (BpfObject obj = spec.load(o -> o.pinRoot("/sys/fs/bpf/app"))) { ... }
 * }</pre>
 *
 * <p>Reading makes no system call beyond reading the file; editing makes none. A spec can be
 * loaded any number of times; each load takes a copy, so later edits do not touch objects already
 * loaded. Not thread-safe: edit a spec from one thread (loading it is safe once edits are done).
 */
public final class BpfObjectSpec {
  /** The largest file {@link #read} reads. */
  public static final long MAX_FILE_SIZE = ObjectParser.MAX_FILE_SIZE;

  private final String file;
  private final ParsedObject parsed;
  private final List<ObjectMapSpec> maps;
  private final Map<String, ProgramSpec> programs;
  private final Set<String> notLoaded;

  private BpfObjectSpec(String file, ParsedObject parsed, List<ObjectMapSpec> maps,
      Map<String, ProgramSpec> programs, Set<String> notLoaded) {
    this.file = file;
    this.parsed = parsed;
    this.maps = maps;
    this.programs = programs;
    this.notLoaded = notLoaded;
  }

  private static BpfObjectSpec of(String file, ParsedObject parsed) {
    Map<String, ProgramSpec> programs = new LinkedHashMap<>();
    for (ProgramSpec p : parsed.programs()) {
      programs.put(p.name(), p);
    }
    return new BpfObjectSpec(file, parsed, new ArrayList<>(parsed.maps()), programs, new HashSet<>());
  }

  /**
   * Reads a compiled BPF object (at most {@value #MAX_FILE_SIZE} bytes). No other system call.
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object (naming the
   *     section, and the BTF type id where one is at fault)
   * @throws BpfException if the file cannot be read
   */
  public static BpfObjectSpec read(Path path) {
    return of(path.toString(), ObjectParser.read(path));
  }

  /**
   * Reads a compiled BPF object from memory (the bytes are copied).
   *
   * @param file names the object in messages
   * @param objectName the prefix of global-data map names (libbpf uses the file name up to its
   *     first dot)
   * @throws BpfObjectFormatException if the bytes are not a well-formed BPF object
   */
  public static BpfObjectSpec read(byte[] bytes, String file, String objectName) {
    return of(file, ObjectParser.parse(bytes.clone(), file, objectName));
  }

  /** An independent copy: edits to one do not show in the other. */
  public BpfObjectSpec copy() {
    return new BpfObjectSpec(file, parsed, new ArrayList<>(maps), new LinkedHashMap<>(programs),
        new HashSet<>(notLoaded));
  }

  /** The file the object was read from. */
  public String file() {
    return file;
  }

  /** The object's license ({@code license} section); empty if it has none. */
  public String license() {
    return parsed.license();
  }

  /** Every map the object declares, as edited so far: BTF-defined, then legacy, then global data. */
  public List<MapDefinition> maps() {
    return maps.stream().map(m -> new MapDefinition(m.name())).toList();
  }

  /**
   * The map with this name, to read or edit; global-data maps also answer to their section name
   * ({@code .rodata}).
   *
   * @throws BpfException if there is none, listing the maps there are
   */
  public MapDefinition map(String name) {
    return new MapDefinition(find(name).name());
  }

  /** Every program the object declares, in section order, as edited so far. */
  public List<ProgramDefinition> programs() {
    return programs.keySet().stream().map(ProgramDefinition::new).toList();
  }

  /**
   * The program with this (function) name, to read or edit.
   *
   * @throws BpfException if there is none, listing the programs there are
   */
  public ProgramDefinition program(String name) {
    return new ProgramDefinition(parsed.named(List.copyOf(programs.keySet()), n -> n, name, "program", ""));
  }

  /** The global variables of every data section described by BTF. */
  public List<GlobalVariable> variables() {
    return parsed.variables();
  }

  /**
   * The global variable with this name.
   *
   * @throws BpfException if there is none
   */
  public GlobalVariable variable(String name) {
    return parsed.named(parsed.variables(), GlobalVariable::name, name, "global variable",
        parsed.btf() == null ? " (it has no BTF; compile with clang -g)" : "");
  }

  /**
   * Sets the initial value of a global variable (a {@code const volatile} in {@code .rodata} is
   * the usual case: the verifier then sees the value). The bytes are in the program's (native) byte
   * order.
   *
   * @return this spec
   * @throws BpfException if there is no such variable or {@code value} is not exactly its size
   */
  public BpfObjectSpec setVariable(String name, byte[] value) {
    GlobalVariable v = variable(name);
    checkSize(v, value);
    setIn(v, value);
    return this;
  }

  /**
   * Sets an integer global variable of 1, 2, 4 or 8 bytes, little-endian.
   *
   * @return this spec
   * @throws BpfException if the variable is not integer-sized or {@code value} does not fit it
   *     (signed or unsigned)
   */
  public BpfObjectSpec setVariable(String name, long value) {
    return setVariable(name, integerBytes(variable(name), value));
  }

  /**
   * Sets a {@code char[]} variable to a NUL-padded UTF-8 string.
   *
   * @return this spec
   * @throws BpfException if there is no such variable or the string with its NUL does not fit
   */
  public BpfObjectSpec setVariable(String name, String value) {
    GlobalVariable v = variable(name);
    setIn(v, constantBytes(v, value.getBytes(StandardCharsets.UTF_8), LoadOptions.ConstantKind.STRING));
    return this;
  }

  /** Loads with default options; see {@link #load(LoadOptions)}. */
  public BpfObject load() {
    return load(new LoadOptions());
  }

  /** Loads; {@code options} configures a fresh {@link LoadOptions}. See {@link #load(LoadOptions)}. */
  public BpfObject load(Consumer<LoadOptions> options) {
    LoadOptions o = new LoadOptions();
    options.accept(o);
    return load(o);
  }

  /**
   * Loads a copy of this spec into the kernel, as libbpf's {@code bpf_object__load}. The spec itself
   * is not changed ({@link LoadOptions#constant}s apply to the copy), so it can be loaded again.
   *
   * <ol>
   *   <li>its BTF ({@code BPF_BTF_LOAD}), when it has any; if the kernel refuses it, loading goes on
   *       without BTF and says so in {@link BpfObject#loadNotes()};
   *   <li>every map: reused as {@link LoadOptions#reuse} says (checked against the object's
   *       definition), found or pinned under {@link LoadOptions#pinRoot} for {@code pinning =
   *       LIBBPF_PIN_BY_NAME} maps (a compatible pinned map is reused, an incompatible one refused),
   *       or created ({@code BPF_MAP_CREATE}, with the BTF key and value types); global data gets
   *       its initial bytes, after the {@link LoadOptions#constant}s, and {@code .rodata} is frozen
   *       so that the verifier sees constants; map-in-map slots declared with {@code .values} are
   *       filled;
   *   <li>every program but those set {@code autoload(false)}, linked (subprograms appended, map
   *       references patched with the maps' fds) and loaded ({@code BPF_PROG_LOAD}) with the
   *       object's license, BTF, and function and line info; then program-array slots are filled.
   * </ol>
   *
   * <p>Costs one system call for the BTF, one to three per map (open, info, create, update, freeze,
   * pin), one per program (two when it is refused: the second fetches the verifier's log) and one
   * per preset slot. All or nothing: when any step fails, every map and program this load created is
   * closed and every pin it made is removed (maps that were pinned before stay). A reused map is
   * never written: not its initial data, not its slots.
   *
   * @return the live object; the caller closes it
   * @throws BpfLoadException if the kernel refuses a program: the message names the program, its
   *     section and the file and ends with the verifier log's last lines; {@link
   *     BpfLoadException#verifierLog()} has the whole log
   * @throws BpfSpecMismatchException if a reused or pinned map differs from the object's definition,
   *     listing every differing field with both values
   * @throws BpfNotFoundException if a map to reuse is not pinned there, or has no such id
   * @throws BpfPermissionException without CAP_BPF (or root)
   * @throws BpfException if {@code options} name a map or variable the object lacks, a constant does
   *     not fit its variable, or a program needs what this loader does not do yet (an attach target,
   *     externs)
   */
  public BpfObject load(LoadOptions options) {
    BpfObjectSpec snapshot = copy();
    snapshot.applyOptions(options);
    return BpfObject.loadSpec(snapshot, options);
  }

  // ---- package-private: for BpfObject and the loader ----

  ParsedObject parsed() {
    return parsed;
  }

  /** The maps as edited, to create. */
  List<ObjectMapSpec> mapSpecs() {
    return List.copyOf(maps);
  }

  /** The programs to load: those with autoload on, as edited. */
  List<ProgramSpec> programsToLoad() {
    return programs.values().stream().filter(p -> !notLoaded.contains(p.name())).toList();
  }

  /** True if the object declares the program but {@code autoload(false)} left it out. */
  boolean skipped(String program) {
    return notLoaded.contains(program);
  }

  ObjectMapSpec find(String name) {
    for (ObjectMapSpec m : maps) {
      if (m.kind() == MapKind.GLOBAL_DATA && m.section().equals(name)) {
        return m;
      }
    }
    return parsed.named(maps, MapSpec::name, name, "map", "");
  }

  /** Checks that {@code options} name only maps and variables the object has, and applies constants. */
  void applyOptions(LoadOptions options) {
    for (String name : options.reuses().keySet()) {
      try {
        find(name);
      } catch (BpfException e) {
        throw new BpfException("load", name, 0, file + ": LoadOptions.reuse(\"" + name
            + "\") names a map the object does not declare; its maps are "
            + maps.stream().map(MapSpec::name).toList());
      }
    }
    for (Map.Entry<String, LoadOptions.Constant> c : options.constantEntries().entrySet()) {
      GlobalVariable v;
      try {
        v = variable(c.getKey());
      } catch (BpfException e) {
        throw new BpfException("load", c.getKey(), 0, file + ": LoadOptions.constant(\"" + c.getKey()
            + "\", ...) names a variable the object does not declare; its variables are "
            + parsed.variables().stream().map(GlobalVariable::name).toList());
      }
      setIn(v, constantBytes(v, c.getValue().bytes(), c.getValue().kind()));
    }
  }

  static void checkSize(GlobalVariable v, byte[] value) {
    if (value.length != v.size()) {
      throw new BpfException("setVariable", v.name(), 0, "variable '" + v.name() + "' in " + v.section() + " is "
          + v.size() + " bytes, not " + value.length);
    }
  }

  static byte[] integerBytes(GlobalVariable v, long value) {
    int size = v.size();
    String name = v.name();
    if (size != 1 && size != 2 && size != 4 && size != 8) {
      throw new BpfException("setVariable", name, 0, "variable '" + name + "' is " + size
          + " bytes; set it with setVariable(String, byte[])");
    }
    if (size < 8) {
      long min = -(1L << (size * 8 - 1));
      long max = (1L << (size * 8)) - 1;
      if (value < min || value > max) {
        throw new BpfException("setVariable", name, 0, value + " does not fit the " + size
            + "-byte variable '" + name + "'");
      }
    }
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (value >>> (8 * i));
    }
    return b;
  }

  private static byte[] constantBytes(GlobalVariable v, byte[] given, LoadOptions.ConstantKind kind) {
    switch (kind) {
      case INTEGER:
        long value = 0;
        for (int i = 7; i >= 0; i--) {
          value = (value << 8) | (given[i] & 0xff);
        }
        return integerBytes(v, value);
      case STRING:
        if (given.length >= v.size()) {
          throw new BpfException("load", v.name(), 0, "the string constant for '" + v.name() + "' is "
              + given.length + " bytes of UTF-8; the variable holds " + (v.size() - 1) + " and a NUL");
        }
        return Arrays.copyOf(given, v.size());
      default:
        checkSize(v, given);
        return given;
    }
  }

  /** Writes a variable's bytes into the initial value of the map holding its section. */
  private void setIn(GlobalVariable v, byte[] value) {
    for (int i = 0; i < maps.size(); i++) {
      ObjectMapSpec m = maps.get(i);
      if (m.kind() == MapKind.GLOBAL_DATA && m.section().equals(v.section())) {
        byte[] data = m.initialData();
        System.arraycopy(value, 0, data, v.offset(), value.length);
        maps.set(i, m.withInitialData(data));
        return;
      }
    }
    throw new BpfException("setVariable", v.name(), 0, "no map holds section " + v.section());
  }

  private void replace(String name, ObjectMapSpec edited) {
    for (int i = 0; i < maps.size(); i++) {
      if (maps.get(i).name().equals(name)) {
        maps.set(i, edited);
        return;
      }
    }
    throw new IllegalStateException(name);
  }

  @Override
  public String toString() {
    return "BpfObjectSpec[" + file + ", " + maps.size() + " maps, " + programs.size() + " programs]";
  }

  /**
   * One map of a {@link BpfObjectSpec}: reads what the object declares (with edits so far), and
   * edits it before load. Each setter returns this definition, so edits chain. A view: it reads and
   * writes its spec. No system call.
   */
  public final class MapDefinition implements MapSpec {
    private final String name;

    private MapDefinition(String name) {
      this.name = name;
    }

    private ObjectMapSpec current() {
      return find(name);
    }

    /** What the object declares about the map, with the edits made so far; immutable. */
    public ObjectMapSpec spec() {
      return current();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public MapType type() {
      return current().type();
    }

    @Override
    public int keySize() {
      return current().keySize();
    }

    @Override
    public int valueSize() {
      return current().valueSize();
    }

    @Override
    public int maxEntries() {
      return current().maxEntries();
    }

    @Override
    public int flags() {
      return current().flags();
    }

    @Override
    public Pinning pinning() {
      return current().pinning();
    }

    @Override
    public @Nullable MapSpec innerMap() {
      return current().innerMap();
    }

    /** Which convention declared the map. */
    public MapKind kind() {
      return current().kind();
    }

    /**
     * Sets {@code max_entries}, as libbpf's {@code bpf_map__set_max_entries}.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws BpfException for a global-data map, whose one entry is its section
     */
    public MapDefinition maxEntries(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("map '" + name + "': max_entries must not be negative, got " + n);
      }
      notGlobalData("maxEntries");
      return edit(current().type(), current().keySize(), current().valueSize(), n, current().flags(),
          current().pinning(), current().innerMap(), false);
    }

    /**
     * Sets the value size, as libbpf's {@code bpf_map__set_value_size}. The map is then created
     * without its BTF value type (which no longer describes it), and {@code bind} checks codecs
     * against the new size.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws BpfException for a global-data map, whose size is its section's
     */
    public MapDefinition valueSize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("map '" + name + "': value size must not be negative, got " + bytes);
      }
      notGlobalData("valueSize");
      return edit(current().type(), current().keySize(), bytes, current().maxEntries(), current().flags(),
          current().pinning(), current().innerMap(), bytes != current().valueSize());
    }

    /**
     * Sets the key size, as libbpf's {@code bpf_map__set_key_size}; as for {@link #valueSize(int)}
     * the BTF types are then dropped. The kernel decides which sizes a map type takes (an ARRAY's
     * key is always 4 bytes) when the object is loaded.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws BpfException for a global-data map
     */
    public MapDefinition keySize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("map '" + name + "': key size must not be negative, got " + bytes);
      }
      notGlobalData("keySize");
      return edit(current().type(), bytes, current().valueSize(), current().maxEntries(), current().flags(),
          current().pinning(), current().innerMap(), bytes != current().keySize());
    }

    /** Sets {@code map_flags} ({@link io.github.bpfmaps.annotations.MapFlags}), as {@code bpf_map__set_map_flags}. */
    public MapDefinition flags(int flags) {
      return edit(current().type(), current().keySize(), current().valueSize(), current().maxEntries(), flags,
          current().pinning(), current().innerMap(), false);
    }

    /** Sets how the map is pinned ({@link Pinning#BY_NAME} pins it under {@link LoadOptions#pinRoot}). */
    public MapDefinition pinning(Pinning pinning) {
      Objects.requireNonNull(pinning, "pinning");
      return edit(current().type(), current().keySize(), current().valueSize(), current().maxEntries(),
          current().flags(), pinning, current().innerMap(), false);
    }

    /**
     * Sets the inner map of a map-in-map, as libbpf's {@code bpf_map__set_inner_map_fd} does with
     * a template: the loader creates a map of this spec, hands it to the kernel and closes it.
     *
     * @throws BpfException if this map is not an ARRAY_OF_MAPS or HASH_OF_MAPS
     */
    public MapDefinition innerMap(MapSpec inner) {
      Objects.requireNonNull(inner, "inner");
      if (!current().type().mapOfMaps()) {
        throw new BpfException("innerMap", name, 0, file + ": map '" + name + "' is " + current().type()
            + ", not a map of maps; only ARRAY_OF_MAPS and HASH_OF_MAPS have an inner map");
      }
      MapSpec copy = MapSpec.of(inner.name(), inner.type(), inner.keySize(), inner.valueSize(),
          inner.maxEntries(), inner.flags(), inner.pinning(), inner.innerMap());
      return edit(current().type(), current().keySize(), current().valueSize(), current().maxEntries(),
          current().flags(), current().pinning(), copy, false);
    }

    private void notGlobalData(String what) {
      if (current().kind() == MapKind.GLOBAL_DATA) {
        throw new BpfException(what, name, 0, file + ": map '" + name + "' holds section " + current().section()
            + "; its size is the section's, set its variables with setVariable instead");
      }
    }

    private MapDefinition edit(MapType type, int keySize, int valueSize, int maxEntries, int flags,
        Pinning pinning, @Nullable MapSpec inner, boolean dropBtf) {
      ObjectMapSpec m = current();
      replace(name, m.edited(MapSpec.of(name, type, keySize, valueSize, maxEntries, flags, pinning, inner),
          dropBtf));
      return this;
    }

    @Override
    public String toString() {
      return current().toString();
    }
  }

  /**
   * One program of a {@link BpfObjectSpec}: what the object declares (with edits so far), and its
   * edits before load. Each setter returns this definition. A view of its spec. No system call.
   */
  public final class ProgramDefinition {
    private final String name;

    private ProgramDefinition(String name) {
      this.name = name;
    }

    /** What the object declares about the program, with the edits made so far; immutable. */
    public ProgramSpec spec() {
      return Objects.requireNonNull(programs.get(name));
    }

    /** The program's (function) name. */
    public String name() {
      return name;
    }

    /** The ELF section holding the program, which names its type ({@code xdp}, {@code kprobe/...}). */
    public String section() {
      return spec().section();
    }

    /** The program type the kernel will be asked for. */
    public ProgramType type() {
      return spec().type();
    }

    /** The expected attach type, or null when the type needs none. */
    public @Nullable AttachType attachType() {
      return spec().attachType();
    }

    /**
     * A copy of the program's own instructions as compiled ({@code struct bpf_insn}, 8 bytes each,
     * in the object's byte order), before relocation: without the subprograms it calls, map
     * references not yet patched. Allocates; no system call.
     */
    public byte[] instructions() {
      return parsed.instructions(parsed.program(name));
    }

    /** True (the default) when {@link BpfObjectSpec#load} loads the program. */
    public boolean autoload() {
      return !notLoaded.contains(name);
    }

    /**
     * Whether {@link BpfObjectSpec#load} loads the program, as libbpf's {@code
     * bpf_program__set_autoload}: a program left out costs nothing in the kernel, and {@link
     * BpfObject#program} refuses it saying so. A program array slot that names it fails the load.
     */
    public ProgramDefinition autoload(boolean load) {
      if (load) {
        notLoaded.remove(name);
      } else {
        notLoaded.add(name);
      }
      return this;
    }

    /** Sets the program type, as {@code bpf_program__set_type} (for a section name libbpf does not know). */
    public ProgramDefinition type(ProgramType type) {
      ProgramSpec s = spec();
      programs.put(name, new ProgramSpec(s.name(), s.section(), Objects.requireNonNull(type, "type"),
          s.attachType(), s.attachTarget(), s.license(), s.kernelVersion(), s.instructionCount()));
      return this;
    }

    /** Sets the expected attach type, as {@code bpf_program__set_expected_attach_type}; null for none. */
    public ProgramDefinition attachType(@Nullable AttachType attachType) {
      ProgramSpec s = spec();
      programs.put(name, new ProgramSpec(s.name(), s.section(), s.type(), attachType, s.attachTarget(),
          s.license(), s.kernelVersion(), s.instructionCount()));
      return this;
    }

    @Override
    public String toString() {
      return "program '" + name + "' " + type() + (autoload() ? "" : " (autoload off)");
    }
  }
}
