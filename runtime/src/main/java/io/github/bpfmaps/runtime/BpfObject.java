package io.github.bpfmaps.runtime;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfLayoutCheck;
import io.github.bpfmaps.elf.LinkedProgram;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.elf.ProgramLinker;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.spec.GlobalVariable;
import io.github.bpfmaps.spec.Layout;
import io.github.bpfmaps.spec.MapKind;
import io.github.bpfmaps.spec.MapSpec;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;
import io.github.bpfmaps.spec.SpecComparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A loaded BPF object: the live maps and programs that {@link BpfObjectSpec#load} created from a
 * compiled object ({@code clang -target bpf}). {@link #program} runs programs with {@link
 * BpfProgram#testRun}, and generated {@code <Record>Map.bind(obj)} handles (or {@link #mapFd}) read
 * and write the maps. What the file declares, and what can be edited before load, is the {@link
 * BpfObjectSpec}'s.
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
 * <p>{@link #open} and the spec methods here ({@link #maps()}, {@link #setVariable}, {@link
 * #load(LoadOptions)} on an opened object, ...) are the older shape, where one object was first a
 * spec and then live; they still work and are deprecated in favour of {@link BpfObjectSpec}.
 *
 * <p>Thread-safe. After {@link #close()}, every method throws {@link BpfException}.
 */
public final class BpfObject implements AutoCloseable {
  /** The largest file {@link #open} reads. */
  public static final long MAX_FILE_SIZE = BpfObjectSpec.MAX_FILE_SIZE;

  private final String file;
  /** What {@link #open} read and the deprecated setters edit; for a spec-loaded object, its copy. */
  private final BpfObjectSpec spec;
  private final ParsedObject parsed;
  /** The map definitions bindMap compares with: the spec's, then the loaded copy's. */
  private volatile List<ObjectMapSpec> maps;
  private final List<BpfProgram> programs;
  /** The spec as loaded (with the load's constants), once loaded. */
  private @Nullable BpfObjectSpec loadedSpec;
  private @Nullable Map<String, MapFd> loadedMaps;
  private List<String> loadNotes = List.of();
  private boolean closed;

  private BpfObject(BpfObjectSpec spec) {
    this.file = spec.file();
    this.spec = spec;
    this.parsed = spec.parsed();
    this.maps = spec.mapSpecs();
    List<BpfProgram> progs = new ArrayList<>();
    for (ProgramSpec p : spec.programsToLoad()) {
      progs.add(new BpfProgram(p));
    }
    this.programs = List.copyOf(progs);
  }

  /** {@link BpfObjectSpec#load}: a snapshot with its options applied, loaded or closed. */
  static BpfObject loadSpec(BpfObjectSpec snapshot, LoadOptions options) {
    BpfObject obj = new BpfObject(snapshot);
    try {
      obj.run(snapshot, options);
      return obj;
    } catch (RuntimeException | Error e) {
      obj.close();
      throw e;
    }
  }

  /**
   * Reads and loads a compiled BPF object with default options (no pin root, nothing reused); the
   * shorthand for {@code BpfObjectSpec.read(path).load()}. On failure nothing stays open.
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object
   * @throws BpfLoadException if the kernel refuses a program, with the verifier's log
   * @throws BpfException for any other refusal (see {@link #load(LoadOptions)})
   */
  public static BpfObject load(Path path) {
    return load(path, o -> {});
  }

  /**
   * Reads and loads a compiled BPF object; {@code options} configures a fresh {@link LoadOptions}.
   * The shorthand for {@code BpfObjectSpec.read(path).load(options)}. On failure nothing stays open
   * (nothing it created remains in the kernel).
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object
   * @throws BpfLoadException if the kernel refuses a program, with the verifier's log
   * @throws BpfException for any other refusal (see {@link #load(LoadOptions)})
   */
  public static BpfObject load(Path path, Consumer<LoadOptions> options) {
    return BpfObjectSpec.read(path).load(options);
  }

  /**
   * Reads a compiled BPF object, to load later with {@link #load()}.
   *
   * @deprecated read a {@link BpfObjectSpec} ({@link BpfObjectSpec#read(Path)}), edit it, and
   *     {@link BpfObjectSpec#load} it: the spec and the live object are two types now
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object (naming the
   *     section, and the BTF type id where one is at fault)
   * @throws BpfException if the file cannot be read
   */
  @Deprecated
  public static BpfObject open(Path path) {
    return new BpfObject(BpfObjectSpec.read(path));
  }

  /**
   * Reads a compiled BPF object from memory, to load later.
   *
   * @deprecated use {@link BpfObjectSpec#read(byte[], String, String)}
   * @param file names the object in messages
   * @param objectName the prefix of global-data map names (libbpf uses the file name up to its
   *     first dot)
   * @throws BpfObjectFormatException if the bytes are not a well-formed BPF object
   */
  @Deprecated
  public static BpfObject fromBytes(byte[] bytes, String file, String objectName) {
    return new BpfObject(BpfObjectSpec.read(bytes, file, objectName));
  }

  /** The file the object was read from. */
  public String file() {
    return file;
  }

  /**
   * A copy of the spec this object was loaded from (with the load's constants), or for an object
   * from {@link #open} not yet loaded, of the spec as opened. No system call.
   */
  public synchronized BpfObjectSpec spec() {
    checkOpen("spec");
    return (loadedSpec != null ? loadedSpec : spec).copy();
  }

  /**
   * Every map the object declares: BTF-defined, then legacy, then global data.
   *
   * @deprecated a spec: use {@link BpfObjectSpec#maps()} (or {@link #spec()}); the live maps are
   *     {@link #mapNames()} and {@link #mapFd}
   */
  @Deprecated
  public synchronized List<ObjectMapSpec> maps() {
    checkOpen("maps");
    return current().mapSpecs();
  }

  /** The names of the maps this object created or reused, once loaded (empty before). */
  public synchronized List<String> mapNames() {
    checkOpen("mapNames");
    return loadedMaps == null ? List.of() : List.copyOf(loadedMaps.keySet());
  }

  /**
   * The map with this name; global-data maps also answer to their section name ({@code .rodata}).
   *
   * @deprecated a spec: use {@link BpfObjectSpec#map(String)}; the live map is {@link #mapFd}
   * @throws BpfException if there is none, listing the maps there are
   */
  @Deprecated
  public synchronized ObjectMapSpec map(String name) {
    checkOpen("map");
    return current().find(name);
  }

  private BpfObjectSpec current() {
    BpfObjectSpec s = loadedSpec;
    return s != null ? s : spec;
  }

  /**
   * What the object declares about each loaded program, in section order. No system call.
   *
   * @deprecated a spec: use {@link BpfObjectSpec#programs()}; the live programs are {@link
   *     #loadedPrograms()}
   */
  @Deprecated
  public List<ProgramSpec> programs() {
    checkOpen("programs");
    return programs.stream().map(BpfProgram::spec).toList();
  }

  /** The programs of this object that load: every one but those a spec set {@code autoload(false)}. */
  public List<BpfProgram> loadedPrograms() {
    checkOpen("loadedPrograms");
    return programs;
  }

  /**
   * The program with this (function) name: a live handle once the object is loaded (it can be
   * test-run, pinned and inspected); its {@link BpfProgram#spec()} is the declaration. No system
   * call.
   *
   * @throws BpfException if there is none (listing the programs there are), or if the spec set it
   *     {@code autoload(false)}
   */
  public BpfProgram program(String name) {
    checkOpen("program");
    if (current().skipped(name)) {
      throw new BpfException("program", name, 0, file + ": program '" + name
          + "' was not loaded: its spec set autoload(false)");
    }
    return current().parsed().named(programs, BpfProgram::name, name, "program", "");
  }

  /**
   * A copy of a program's own instructions, before relocation. Allocates.
   *
   * @deprecated for tools that read objects; {@link BpfObjectSpec} will carry it
   */
  @Deprecated
  public byte[] instructions(String program) {
    checkOpen("instructions");
    ParsedObject parsed = spec.parsed();
    return parsed.instructions(parsed.program(program));
  }

  /** The object's license ({@code license} section); empty if it has none. */
  public String license() {
    checkOpen("license");
    return spec.license();
  }

  /**
   * The object's BTF, or null when it was compiled without {@code -g}.
   *
   * @deprecated exposes the internal BTF reader; kept for tools until objects are read by their
   *     own module
   */
  @Deprecated
  public @Nullable Btf btf() {
    checkOpen("btf");
    return spec.parsed().btf();
  }

  /**
   * The global variables of every data section described by BTF.
   *
   * @deprecated a spec: use {@link BpfObjectSpec#variables()}
   */
  @Deprecated
  public List<GlobalVariable> variables() {
    checkOpen("variables");
    return spec.variables();
  }

  /**
   * The global variable with this name.
   *
   * @deprecated a spec: use {@link BpfObjectSpec#variable(String)}
   * @throws BpfException if there is none
   */
  @Deprecated
  public GlobalVariable variable(String name) {
    checkOpen("variable");
    return spec.variable(name);
  }

  /**
   * Sets the initial value of a global variable before load.
   *
   * @deprecated edit a spec: {@link BpfObjectSpec#setVariable(String, byte[])}
   * @throws BpfException if there is no such variable, {@code value} is not exactly its size, or
   *     the object is loaded
   */
  @Deprecated
  public synchronized void setVariable(String name, byte[] value) {
    checkNotLoaded("setVariable");
    spec.setVariable(name, value);
  }

  /**
   * Sets an integer global variable of 1, 2, 4 or 8 bytes, little-endian.
   *
   * @deprecated edit a spec: {@link BpfObjectSpec#setVariable(String, long)}
   * @throws BpfException if the variable is not integer-sized or {@code value} does not fit it
   *     (signed or unsigned)
   */
  @Deprecated
  public synchronized void setVariable(String name, long value) {
    checkNotLoaded("setVariable");
    spec.setVariable(name, value);
  }

  /**
   * The relocation step of loading, with no system call: the program's instructions with its
   * subprograms appended, call offsets fixed and map references patched with the given fds.
   *
   * @deprecated exposes the internal linker's result; kept for tests and tools
   * @param mapFd the kernel fd of each map the program uses, by map name
   * @throws BpfException if there is no such program, or from {@code mapFd}
   */
  @Deprecated
  public LinkedProgram link(String program, ToIntFunction<String> mapFd) {
    checkOpen("link");
    return ProgramLinker.link(spec.parsed(), program, mapFd);
  }

  /**
   * Loads the object with default options; see {@link #load(LoadOptions)}.
   *
   * @deprecated load a {@link BpfObjectSpec}: {@link BpfObjectSpec#load()}
   * @return this object
   */
  @Deprecated
  public BpfObject load() {
    return load(new LoadOptions());
  }

  /**
   * Loads the object; {@code options} configures a fresh {@link LoadOptions}. See {@link
   * #load(LoadOptions)}.
   *
   * @deprecated load a {@link BpfObjectSpec}: {@link BpfObjectSpec#load(Consumer)}
   * @return this object
   */
  @Deprecated
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
   * @deprecated the description stays true for {@link BpfObjectSpec#load(LoadOptions)}, which is
   *     how to load now
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
  @Deprecated
  public synchronized BpfObject load(LoadOptions options) {
    checkOpen("load");
    checkNotLoaded("load");
    BpfObjectSpec snapshot = spec.copy();
    snapshot.applyOptions(options);
    run(snapshot, options);
    return this;
  }

  private synchronized void run(BpfObjectSpec snapshot, LoadOptions options) {
    ObjectLoader.Result r = new ObjectLoader(file, snapshot.parsed(), snapshot.mapSpecs(), programs, options).run();
    loadedSpec = snapshot;
    maps = snapshot.mapSpecs();
    loadedMaps = new LinkedHashMap<>(r.maps());
    loadNotes = List.copyOf(r.notes());
    for (String note : loadNotes) {
      System.getLogger(BpfObject.class.getName()).log(System.Logger.Level.INFO, note);
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
    return loaded("mapFd", current().find(name)).dup();
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

  /**
   * The parsed object behind this one.
   *
   * @deprecated exposes the internal ELF reader; kept for tools until objects are read by their
   *     own module
   */
  @Deprecated
  public ParsedObject parsed() {
    checkOpen("parsed");
    return spec.parsed();
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
      throw new BpfException(operation, file, 0, file + " is already loaded; load its BpfObjectSpec again for another copy");
    }
  }

  private synchronized void checkOpen(String operation) {
    if (closed) {
      throw new BpfException(operation, file, 0, file + ": the object is closed");
    }
  }

  @Override
  public String toString() {
    return "BpfObject[" + file + ", " + current().mapSpecs().size() + " maps, " + programs.size() + " programs]";
  }
}
