package io.github.bpfmaps.runtime;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfLayoutCheck;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.errors.BpfObjectFormatException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
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
import org.jspecify.annotations.Nullable;

/**
 * A loaded BPF object: the live maps and programs that {@link BpfObjectSpec#load} created from a
 * compiled object ({@code clang -target bpf}), as cilium/ebpf's {@code Collection} is to its {@code
 * CollectionSpec}. {@link #program} runs programs with {@link BpfProgram#testRun} and attaches them,
 * and generated {@code <Record>Map.bind(obj)} handles (or {@link #mapFd}) read and write the maps.
 * What the file declares, and what can be edited before load, is the {@link BpfObjectSpec}'s
 * ({@link #spec()} is the one this object was loaded from).
 *
 * <pre>{@code
 * try (BpfObject obj = BpfObject.load(path, o -> o.pinRoot("/sys/fs/bpf/app"))) {
 *   obj.program("xdp_count").testRun(packet, 1);
 *   XdpStatsMap stats = XdpStatsMap.bind(obj);
 * }
 * }</pre>
 *
 * <p>An instance exists only loaded: there is no state before load. {@link #close()} closes every
 * fd the object holds (maps, programs); maps pinned on bpffs stay.
 *
 * <p>Thread-safe. After {@link #close()}, every method but {@link #close()}, {@link #file()} and
 * {@link #loadNotes()} throws {@link BpfException}.
 */
public final class BpfObject implements AutoCloseable {
  private final String file;
  /** The spec as loaded (a private copy, with the load's constants); never edited. */
  private final BpfObjectSpec spec;
  private final @Nullable Btf btf;
  private final List<ObjectMapSpec> maps;
  private final List<BpfProgram> programs;
  private final Map<String, MapFd> mapFds;
  private final List<String> loadNotes;
  private boolean closed;

  private BpfObject(BpfObjectSpec spec, List<BpfProgram> programs, ObjectLoader.Result loaded) {
    this.file = spec.file();
    this.spec = spec;
    this.btf = spec.parsed().btf();
    this.maps = spec.mapSpecs();
    this.programs = programs;
    this.mapFds = new LinkedHashMap<>(loaded.maps());
    this.loadNotes = List.copyOf(loaded.notes());
  }

  /**
   * {@link BpfObjectSpec#load}: loads a snapshot with its options applied. On failure the loader has
   * released everything it made, so nothing stays open.
   */
  static BpfObject loadSpec(BpfObjectSpec snapshot, LoadOptions options) {
    List<BpfProgram> programs = new ArrayList<>();
    for (ProgramSpec p : snapshot.programsToLoad()) {
      programs.add(new BpfProgram(p));
    }
    ObjectLoader.Result r = new ObjectLoader(snapshot.file(), snapshot.parsed(), snapshot.mapSpecs(),
        programs, options).run();
    BpfObject obj = new BpfObject(snapshot, List.copyOf(programs), r);
    for (String note : obj.loadNotes) {
      System.getLogger(BpfObject.class.getName()).log(System.Logger.Level.INFO, note);
    }
    return obj;
  }

  /**
   * Reads and loads a compiled BPF object with default options (no pin root, nothing reused); the
   * shorthand for {@code BpfObjectSpec.read(path).load()}. On failure nothing stays open.
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object
   * @throws BpfLoadException if the kernel refuses a program, with the verifier's log
   * @throws BpfException for any other refusal (see {@link BpfObjectSpec#load(LoadOptions)})
   */
  public static BpfObject load(Path path) {
    return load(path, o -> {});
  }

  /**
   * Reads and loads a compiled BPF object; {@code options} configures a fresh {@link LoadOptions}.
   * The shorthand for {@code BpfObjectSpec.read(path).load(options)}; read the spec yourself to edit
   * it before load. On failure nothing stays open (nothing it created remains in the kernel).
   *
   * @throws BpfObjectFormatException if the file is not a well-formed BPF object
   * @throws BpfLoadException if the kernel refuses a program, with the verifier's log
   * @throws BpfException for any other refusal (see {@link BpfObjectSpec#load(LoadOptions)})
   */
  public static BpfObject load(Path path, Consumer<LoadOptions> options) {
    return BpfObjectSpec.read(path).load(options);
  }

  /** The file the object was read from. */
  public String file() {
    return file;
  }

  /**
   * A copy of the spec this object was loaded from, with the load's {@link LoadOptions#constant}s
   * applied: what the file declares about each map, program and variable, and the edits made before
   * load. Editing the copy changes nothing here; loading it makes another object. No system call.
   */
  public synchronized BpfObjectSpec spec() {
    checkOpen("spec");
    return spec.copy();
  }

  /** The names of the maps this object created or reused, in the spec's order. */
  public synchronized List<String> mapNames() {
    checkOpen("mapNames");
    return List.copyOf(mapFds.keySet());
  }

  /**
   * The object's loaded programs, in section order: every program of its spec but those set {@code
   * autoload(false)}. No system call.
   */
  public List<BpfProgram> programs() {
    checkOpen("programs");
    return programs;
  }

  /**
   * The loaded program with this (function) name: it can be test-run, attached, pinned and
   * inspected; its {@link BpfProgram#spec()} is the declaration. No system call.
   *
   * @throws BpfException if there is none (listing the programs there are), or if the spec set it
   *     {@code autoload(false)}
   */
  public BpfProgram program(String name) {
    checkOpen("program");
    if (spec.skipped(name)) {
      throw new BpfException("program", name, 0, file + ": program '" + name
          + "' was not loaded: its spec set autoload(false)");
    }
    return spec.parsed().named(programs, BpfProgram::name, name, "program", "");
  }

  /**
   * What the load did differently from what the object asked, one sentence each: BTF the kernel
   * refused, maps created without their BTF types, CO-RE relocations left as compiled. Empty for
   * most objects. Also logged at INFO through {@link System.Logger}.
   */
  public List<String> loadNotes() {
    return loadNotes;
  }

  /**
   * A new fd for the object's map (one {@code fcntl(F_DUPFD_CLOEXEC)}); the caller owns and closes
   * it. Global-data maps also answer to their section name ({@code .rodata}). For a typed handle,
   * use the generated {@code <Record>Map.bind(obj)} or wrap this fd in a {@link
   * io.github.bpfmaps.runtime.maps} handle.
   *
   * @throws BpfException if the object has no such map (listing its maps), or is closed
   */
  public synchronized MapFd mapFd(String name) {
    checkOpen("mapFd");
    return loaded("mapFd", spec.find(name)).dup();
  }

  private MapFd loaded(String operation, ObjectMapSpec m) {
    MapFd fd = mapFds.get(m.name());
    if (fd == null) {
      throw new BpfException(operation, m.name(), 0, file + ": map '" + m.name() + "' was not created");
    }
    return fd;
  }

  /**
   * A new {@link MapFd} for the object's map named by {@code spec}, after checking the object's
   * definition against the spec and, when the object has BTF, the codecs' layouts against the C key
   * and value types ({@link BtfLayoutCheck}). Every generated {@code
   * <Record>Map.bind(obj)} calls this. One system call ({@code fcntl(F_DUPFD_CLOEXEC)}); the caller
   * owns the returned fd.
   *
   * @throws BpfSpecMismatchException if the object's definition, key or value type differs from the
   *     record's ({@link SpecComparison}, the comparison the processor runs at compile time): every
   *     difference, both sides, {@code Java} the record and {@code C} the object, with the fix where
   *     there is one ({@code max_entries: Java 8, C 4; use maxEntries = 4}); C enums are compared
   *     constant by constant
   * @throws BpfException if the object has no map of that name (the message lists its maps and
   *     says where the name came from), or is closed
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
    Btf btf = this.btf;
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
   * @throws BpfException if the object is closed, or an attachment fails
   */
  public BpfLinks attachAll() {
    List<BpfLink> links = new ArrayList<>();
    synchronized (this) {
      checkOpen("attachAll");
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
    for (MapFd fd : mapFds.values()) {
      fd.close();
    }
  }

  private synchronized void checkOpen(String operation) {
    if (closed) {
      throw new BpfException(operation, file, 0, file + ": the object is closed");
    }
  }

  @Override
  public String toString() {
    return "BpfObject[" + file + ", " + mapFds.size() + " maps, " + programs.size() + " programs]";
  }
}
