package io.github.bpfmaps.runtime;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.elf.Btf;
import io.github.bpfmaps.runtime.elf.BtfLayoutCheck;
import io.github.bpfmaps.runtime.elf.LinkedProgram;
import io.github.bpfmaps.runtime.elf.ObjectParser;
import io.github.bpfmaps.runtime.elf.ParsedObject;
import io.github.bpfmaps.runtime.elf.ProgramLinker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A compiled BPF object ({@code clang -target bpf}), read without the kernel: the maps it
 * declares (BTF-defined in {@code .maps}, legacy {@code struct bpf_map_def} in {@code maps}, and
 * global data as internal ARRAY maps), its programs, and its global variables. {@code .rodata}
 * (and other data) variables may be set by name before the object is loaded.
 *
 * <p>Opening reads the whole file into memory (at most {@value #MAX_FILE_SIZE} bytes) and makes no
 * system call beyond reading it. {@link #load(LoadOptions)} then does what libbpf's {@code
 * bpf_object__load} does, in Java: loads the BTF, creates (or reuses) every map, links every
 * program with {@link #link}'s relocation step and loads it. Once loaded, {@link #program} runs
 * programs with {@link BpfProgram#testRun}, and generated {@code <Record>Map.bind(obj)} handles (or
 * {@link #mapFd}) read and write the maps.
 *
 * <pre>{@code
 * try (BpfObject obj = BpfObject.load(path, o -> o.pinRoot("/sys/fs/bpf/app"))) {
 *   obj.program("xdp_count").testRun(packet, 1);
 *   XdpStatsMap stats = XdpStatsMap.bind(obj);
 * }
 * }</pre>
 *
 * <p>{@link #close()} closes every fd the object holds (maps, programs); maps pinned on bpffs stay.
 *
 * <p>Thread-safe. After {@link #close()}, every method throws {@link BpfException}.
 */
public final class BpfObject implements AutoCloseable {
  /** The largest file {@link #open} reads. */
  public static final long MAX_FILE_SIZE = 64L << 20;

  private final String file;
  private final ParsedObject parsed;
  private final List<ObjectMapSpec> maps;
  private final List<BpfProgram> programs;
  private @Nullable Map<String, MapFd> loadedMaps;
  private List<String> loadNotes = List.of();
  private boolean closed;

  private BpfObject(String file, ParsedObject parsed) {
    this.file = file;
    this.parsed = parsed;
    this.maps = new ArrayList<>(parsed.maps());
    List<BpfProgram> progs = new ArrayList<>();
    for (ProgramSpec p : parsed.programs()) {
      progs.add(new BpfProgram(p));
    }
    this.programs = List.copyOf(progs);
  }

  /**
   * Opens and loads a compiled BPF object with default options (no pin root, nothing reused); see
   * {@link #load(LoadOptions)}. On failure nothing stays open.
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object
   * @throws BpfLoadException if the kernel refuses a program, with the verifier's log
   * @throws BpfException for any other refusal (see {@link #load(LoadOptions)})
   */
  public static BpfObject load(Path path) {
    return load(path, o -> {});
  }

  /**
   * Opens and loads a compiled BPF object; {@code options} configures a fresh {@link LoadOptions}.
   * On failure nothing stays open (the object is closed, nothing it created remains in the kernel).
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object
   * @throws BpfLoadException if the kernel refuses a program, with the verifier's log
   * @throws BpfException for any other refusal (see {@link #load(LoadOptions)})
   */
  public static BpfObject load(Path path, Consumer<LoadOptions> options) {
    BpfObject obj = open(path);
    try {
      return obj.load(options);
    } catch (RuntimeException | Error e) {
      obj.close();
      throw e;
    }
  }

  /**
   * Reads a compiled BPF object.
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object (naming the
   *     section, and the BTF type id where one is at fault)
   * @throws BpfException if the file cannot be read
   */
  public static BpfObject open(Path path) {
    String file = path.toString();
    byte[] bytes;
    try {
      if (!Files.isRegularFile(path)) {
        throw new BpfException("open", file, 0, file + ": " + (Files.exists(path) ? "not a regular file"
            : "no such file"));
      }
      // Bounded even if the file grows while we read it.
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
    String objectName = ObjectParser.objectName(fileName == null ? file : fileName.toString());
    return new BpfObject(file, ObjectParser.parse(bytes, file, objectName));
  }

  /**
   * Reads a compiled BPF object from memory.
   *
   * @param file names the object in messages
   * @param objectName the prefix of global-data map names (libbpf uses the file name up to its
   *     first dot)
   * @throws BpfObjectFormatException if the bytes are not a well-formed BPF object
   */
  public static BpfObject fromBytes(byte[] bytes, String file, String objectName) {
    return new BpfObject(file, ObjectParser.parse(bytes.clone(), file, objectName));
  }

  /** The file the object was read from. */
  public String file() {
    return file;
  }

  /** Every map the object declares: BTF-defined, then legacy, then global data. */
  public synchronized List<ObjectMapSpec> maps() {
    checkOpen("maps");
    return List.copyOf(maps);
  }

  /**
   * The map with this name; global-data maps also answer to their section name ({@code .rodata}).
   *
   * @throws BpfException if there is none, listing the maps there are
   */
  public synchronized ObjectMapSpec map(String name) {
    checkOpen("map");
    for (ObjectMapSpec m : maps) {
      if (m.kind() == MapKind.GLOBAL_DATA && m.section().equals(name)) {
        return m;
      }
    }
    return parsed.named(maps, MapSpec::name, name, "map", "");
  }

  /**
   * What the object declares about each program, in section order. The kernel programs are {@link
   * #program(String)}'s. No system call.
   */
  public List<ProgramSpec> programs() {
    checkOpen("programs");
    return parsed.programs();
  }

  /**
   * The program with this (function) name: the same {@link BpfProgram} before and after load; its
   * {@link BpfProgram#spec()} is the declaration, and once the object is loaded it can be test-run,
   * pinned and inspected. No system call.
   *
   * @throws BpfException if there is none, listing the programs there are
   */
  public BpfProgram program(String name) {
    checkOpen("program");
    return parsed.named(programs, BpfProgram::name, name, "program", "");
  }

  /** A copy of a program's own instructions, before relocation. Allocates. */
  public byte[] instructions(String program) {
    checkOpen("instructions");
    return parsed.instructions(parsed.program(program));
  }

  /** The object's license ({@code license} section); empty if it has none. */
  public String license() {
    checkOpen("license");
    return parsed.license();
  }

  /** The object's BTF, or null when it was compiled without {@code -g}. */
  public @Nullable Btf btf() {
    checkOpen("btf");
    return parsed.btf();
  }

  /** The global variables of every data section described by BTF. */
  public List<GlobalVariable> variables() {
    checkOpen("variables");
    return parsed.variables();
  }

  /**
   * The global variable with this name.
   *
   * @throws BpfException if there is none
   */
  public GlobalVariable variable(String name) {
    checkOpen("variable");
    return parsed.named(parsed.variables(), GlobalVariable::name, name, "global variable",
        parsed.btf() == null ? " (it has no BTF; compile with clang -g)" : "");
  }

  /**
   * Sets the initial value of a global variable before load (a {@code const volatile} in {@code
   * .rodata} is the usual case: the verifier then sees the value). The bytes are in the program's
   * (native) byte order.
   *
   * @throws BpfException if there is no such variable or {@code value} is not exactly its size
   */
  public synchronized void setVariable(String name, byte[] value) {
    checkNotLoaded("setVariable");
    GlobalVariable v = variable(name);
    checkSize(v, value);
    setIn(maps, v, value);
  }

  /**
   * Sets an integer global variable of 1, 2, 4 or 8 bytes, little-endian.
   *
   * @throws BpfException if the variable is not integer-sized or {@code value} does not fit it
   *     (signed or unsigned)
   */
  public void setVariable(String name, long value) {
    setVariable(name, integerBytes(variable(name), value));
  }

  private static void checkSize(GlobalVariable v, byte[] value) {
    if (value.length != v.size()) {
      throw new BpfException("setVariable", v.name(), 0, "variable '" + v.name() + "' in " + v.section() + " is "
          + v.size() + " bytes, not " + value.length);
    }
  }

  private static byte[] integerBytes(GlobalVariable v, long value) {
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

  /** Writes a variable's bytes into the initial value of the map holding its section, in {@code specs}. */
  private void setIn(List<ObjectMapSpec> specs, GlobalVariable v, byte[] value) {
    for (int i = 0; i < specs.size(); i++) {
      ObjectMapSpec m = specs.get(i);
      if (m.kind() == MapKind.GLOBAL_DATA && m.section().equals(v.section())) {
        byte[] data = m.initialData();
        System.arraycopy(value, 0, data, v.offset(), value.length);
        specs.set(i, m.withInitialData(data));
        return;
      }
    }
    throw new BpfException("setVariable", v.name(), 0, "no map holds section " + v.section());
  }

  /**
   * The relocation step of loading, with no system call: the program's instructions with its
   * subprograms appended, call offsets fixed and map references patched with the given fds.
   *
   * @param mapFd the kernel fd of each map the program uses, by map name
   * @throws BpfException if there is no such program, or from {@code mapFd}
   */
  public LinkedProgram link(String program, ToIntFunction<String> mapFd) {
    checkOpen("link");
    return ProgramLinker.link(parsed, program, mapFd);
  }

  /**
   * Loads the object with default options; see {@link #load(LoadOptions)}.
   *
   * @return this object
   */
  public BpfObject load() {
    return load(new LoadOptions());
  }

  /**
   * Loads the object; {@code options} configures a fresh {@link LoadOptions}. See {@link
   * #load(LoadOptions)}.
   *
   * @return this object
   */
  public BpfObject load(Consumer<LoadOptions> options) {
    LoadOptions o = new LoadOptions();
    options.accept(o);
    return load(o);
  }

  /**
   * Loads the object into the kernel, as libbpf's {@code bpf_object__load}:
   *
   * <ol>
   *   <li>its BTF ({@code BPF_BTF_LOAD}), when it has any; if the kernel refuses it, loading goes on
   *       without BTF and says so in {@link #loadNotes()};
   *   <li>every map: reused as {@link LoadOptions#reuse} says (checked against the object's
   *       definition), found or pinned under {@link LoadOptions#pinRoot} for {@code pinning =
   *       LIBBPF_PIN_BY_NAME} maps (a compatible pinned map is reused, an incompatible one refused),
   *       or created ({@code BPF_MAP_CREATE}, with the BTF key and value types); global data gets
   *       its initial bytes, after the {@link LoadOptions#constant}s, and {@code .rodata} is frozen
   *       so that the verifier sees constants; map-in-map slots declared with {@code .values} are
   *       filled;
   *   <li>every program, linked ({@link #link}) and loaded ({@code BPF_PROG_LOAD}) with the
   *       object's license, BTF, and function and line info; then program-array slots are filled.
   * </ol>
   *
   * <p>Costs one system call for the BTF, one to three per map (open, info, create, update, freeze,
   * pin), one per program (two when it is refused: the second fetches the verifier's log) and one
   * per preset slot. All or nothing: when any step fails, every map and program this load created is
   * closed and every pin it made is removed (maps that were pinned before stay), and the object can
   * be loaded again. A reused map is never written: not its initial data, not its slots.
   *
   * @return this object, loaded
   * @throws BpfLoadException if the kernel refuses a program: the message names the program, its
   *     section and the file and ends with the verifier log's last lines; {@link
   *     BpfLoadException#verifierLog()} has the whole log
   * @throws BpfSpecMismatchException if a reused or pinned map differs from the object's definition,
   *     listing every differing field with both values
   * @throws BpfNotFoundException if a map to reuse is not pinned there, or has no such id
   * @throws BpfPermissionException without CAP_BPF (or root)
   * @throws BpfException if {@code options} name a map or variable the object lacks, a constant does
   *     not fit its variable, a program needs what this loader does not do yet (an attach target,
   *     externs), or the object is already loaded
   */
  public synchronized BpfObject load(LoadOptions options) {
    checkOpen("load");
    checkNotLoaded("load");
    List<ObjectMapSpec> specs = new ArrayList<>(maps);
    for (String name : options.reuses().keySet()) {
      try {
        map(name);
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
      setIn(specs, v, constantBytes(v, c.getValue().bytes(), c.getValue().kind()));
    }
    ObjectLoader.Result r = new ObjectLoader(file, parsed, specs, programs, options).run();
    loadedMaps = new LinkedHashMap<>(r.maps());
    loadNotes = List.copyOf(r.notes());
    for (String note : loadNotes) {
      System.getLogger(BpfObject.class.getName()).log(System.Logger.Level.INFO, note);
    }
    return this;
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

  /** True once {@link #load} succeeded (until the object is closed). */
  public synchronized boolean isLoaded() {
    return loadedMaps != null && !closed;
  }

  /**
   * What the last successful load did differently from what the object asked, one sentence each:
   * BTF the kernel refused, maps created without their BTF types, CO-RE relocations left as
   * compiled. Empty for most objects. Also logged at INFO through {@link System.Logger}.
   */
  public synchronized List<String> loadNotes() {
    return loadNotes;
  }

  /**
   * A new fd for the loaded object's map (one {@code fcntl(F_DUPFD_CLOEXEC)}); the caller owns and
   * closes it. Global-data maps also answer to their section name ({@code .rodata}). For a typed
   * handle, use the generated {@code <Record>Map.bind(obj)} or wrap this fd in a {@link
   * io.github.bpfmaps.runtime.maps} handle.
   *
   * @throws BpfException if the object has no such map (listing its maps) or is not loaded
   */
  public synchronized MapFd mapFd(String name) {
    return loaded("mapFd", map(name)).dup();
  }

  private MapFd loaded(String operation, ObjectMapSpec m) {
    Map<String, MapFd> fds = loadedMaps;
    if (fds == null) {
      throw new BpfException(operation, m.name(), 0, file + " is not loaded: call load() before using map '"
          + m.name() + "'");
    }
    MapFd fd = fds.get(m.name());
    if (fd == null) {
      throw new BpfException(operation, m.name(), 0, file + ": map '" + m.name() + "' was not created");
    }
    return fd;
  }

  /** The parsed object behind this one, for the loader. */
  public ParsedObject parsed() {
    checkOpen("parsed");
    return parsed;
  }

  /**
   * A new {@link MapFd} for the object's map named by {@code spec}, after checking the object's
   * definition against the spec and, when the object has BTF, the codecs' layouts against the C key
   * and value types ({@link BtfLayoutCheck}). Needs a loaded object. Every generated {@code
   * <Record>Map.bind(obj)} calls this. One system call ({@code fcntl(F_DUPFD_CLOEXEC)}); the caller
   * owns the returned fd.
   *
   * @throws BpfSpecMismatchException if the object's definition, key or value type differs from the
   *     record's ({@link SpecComparison}, the comparison the processor runs at compile time): every
   *     difference, both sides, {@code Java} the record and {@code C} the object, with the fix where
   *     there is one ({@code max_entries: Java 8, C 4; use maxEntries = 4}); C enums are compared
   *     constant by constant
   * @throws BpfException if the object has no map of that name (the message lists its maps and
   *     says where the name came from), or has not been loaded
   */
  public synchronized MapFd bindMap(MapSpec spec, @Nullable Codec<?> key, Codec<?> value) {
    checkOpen("bindMap");
    ObjectMapSpec m = null;
    for (ObjectMapSpec candidate : maps) {
      if (candidate.name().equals(spec.name())
          || (candidate.kind() == MapKind.GLOBAL_DATA && candidate.section().equals(spec.name()))) {
        m = candidate;
        break;
      }
    }
    if (m == null) {
      throw new BpfException("bindMap", spec.name(), 0, file + " has no map '"
          + spec.name() + "'; it has " + maps.stream().filter(x -> x.kind() != MapKind.GLOBAL_DATA)
              .map(MapSpec::name).collect(java.util.stream.Collectors.joining(", ", "[", "]"))
          + ". The name comes from the record's name in snake_case (XdpStats -> xdp_stats) or from"
          + " @BpfMap(name = \"...\"): set it to the C map's name");
    }
    // A PERF_EVENT_ARRAY declared with max_entries 0 gets one slot per CPU at load: any spec fits it.
    boolean sizedAtLoad = m.type() == MapType.PERF_EVENT_ARRAY && m.maxEntries() == 0;
    List<SpecComparison.Difference> definitionDiffs = new ArrayList<>(SpecComparison.definitions(
        SpecComparison.Definition.of(spec), SpecComparison.Definition.of(m)));
    definitionDiffs.removeIf(d -> sizedAtLoad && d.field() == SpecComparison.Field.MAX_ENTRIES);
    List<String> diffs = new ArrayList<>(SpecComparison.messages(definitionDiffs, "Java", "C", true));
    // Hand-written codecs may disagree with their own spec: say so where the spec did not already.
    if (key != null && key.byteSize() != m.keySize() && key.byteSize() != spec.keySize()) {
      diffs.add("key: Java codec of " + key.byteSize() + " bytes, C key_size " + m.keySize());
    }
    // A ring buffer's records are whatever the program reserves: its value size is 0, any codec fits.
    // A perf event array's values are ring fds; its codec is that of the events, which BTF never names.
    boolean records = m.type() == MapType.RINGBUF || m.type() == MapType.USER_RINGBUF
        || m.type() == MapType.PERF_EVENT_ARRAY;
    if (!records && value.byteSize() != m.valueSize() && value.byteSize() != spec.valueSize()) {
      diffs.add("value: Java codec of " + value.byteSize() + " bytes, C value_size " + m.valueSize());
    }
    Btf btf = parsed.btf();
    if (btf != null) {
      Layout keyLayout = key == null ? null : key.layout();
      if (keyLayout != null && m.keyTypeId() != 0) {
        diffs.addAll(BtfLayoutCheck.differences(btf, m.keyTypeId(), keyLayout, "key"));
      }
      Layout valueLayout = value.layout();
      if (valueLayout != null && m.valueTypeId() != 0 && m.kind() != MapKind.GLOBAL_DATA && !records) {
        diffs.addAll(BtfLayoutCheck.differences(btf, m.valueTypeId(), valueLayout, "value"));
      }
    }
    if (!diffs.isEmpty()) {
      throw new BpfSpecMismatchException("bindMap", spec.name(), "in " + file
          + "; Java is the record's @BpfMap and codecs, C is the object", diffs);
    }
    return loaded("bindMap", m).dup();
  }

  /**
   * Attaches every loaded program whose section names its hook and target ({@code
   * tracepoint/<category>/<name>}, {@code raw_tp/<name>}, {@code tp_btf/...}, {@code fentry/...},
   * {@code kprobe/...}, {@code uprobe/<binary>:<function>}...; see {@link BpfProgram#attach()}), in
   * section order. Programs that need a target from the caller (XDP, tc, cgroup, perf event) are
   * left alone. All or nothing: if one attachment fails, those made are closed before the error is
   * thrown.
   *
   * @return the links, to close together (closing the object does not detach them)
   * @throws BpfException if the object is not loaded, or an attachment fails
   */
  public BpfLinks attachAll() {
    List<BpfLink> links = new ArrayList<>();
    synchronized (this) {
      checkOpen("attachAll");
      if (!isLoaded()) {
        throw new BpfException("attachAll", file, 0, "object " + file + " is not loaded: call load() first");
      }
    }
    try {
      for (BpfProgram p : programs) {
        if (p.isLoaded() && Attach.autoAttachable(p.section())) {
          links.add(p.attach());
        }
      }
    } catch (RuntimeException e) {
      BpfLinks.closeAll(links);
      throw e;
    }
    return new BpfLinks(links);
  }

  /**
   * Closes every fd the object holds: its maps' and its programs' (one {@code close(2)} each). The
   * kernel frees a map or program when nothing else holds it; maps pinned on bpffs, and anything
   * attached or bound through {@link #bindMap} or {@link #mapFd}, stay. Idempotent; never throws.
   */
  @Override
  public synchronized void close() {
    closed = true;
    for (BpfProgram p : programs) {
      p.close();
    }
    if (loadedMaps != null) {
      for (MapFd fd : loadedMaps.values()) {
        fd.close();
      }
    }
  }

  private synchronized void checkNotLoaded(String operation) {
    if (loadedMaps != null) {
      throw new BpfException(operation, file, 0, file + " is already loaded; open it again to load another copy");
    }
  }

  private synchronized void checkOpen(String operation) {
    if (closed) {
      throw new BpfException(operation, file, 0, file + ": the object is closed");
    }
  }

  @Override
  public String toString() {
    return "BpfObject[" + file + ", " + parsed.maps().size() + " maps, " + parsed.programs().size() + " programs]";
  }
}
