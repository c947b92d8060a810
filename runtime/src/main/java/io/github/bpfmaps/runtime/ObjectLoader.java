package io.github.bpfmaps.runtime;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.elf.AttachTargets;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfKind;
import io.github.bpfmaps.elf.Extern;
import io.github.bpfmaps.elf.ExternValue;
import io.github.bpfmaps.elf.Kallsyms;
import io.github.bpfmaps.elf.Kconfig;
import io.github.bpfmaps.elf.KernelBtf;
import io.github.bpfmaps.elf.LinkedProgram;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.elf.ProgramLinker;
import io.github.bpfmaps.elf.ProgramSections;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfKeyExistsException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapKind;
import io.github.bpfmaps.spec.MapSpec;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;
import io.github.bpfmaps.spec.ProgramType;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * One load of a {@link BpfObjectSpec}, what libbpf's {@code bpf_object__load} does: the object's BTF,
 * then every map (created, reused, or found pinned by name), global data written and {@code .rodata}
 * frozen, map-in-map slots filled, every program linked and loaded, program-array slots filled.
 * All or nothing: if any step throws, every fd it opened is closed and every pin it made is removed
 * before the exception leaves {@link #run()}.
 */
final class ObjectLoader {
  /**
   * Map types whose kernel implementation refuses BTF key/value types (as libbpf, which clears them
   * for these): creating with them would fail and be retried without.
   */
  private static final Set<MapType> NO_BTF = EnumSet.of(
      MapType.PERF_EVENT_ARRAY, MapType.CGROUP_ARRAY, MapType.STACK_TRACE, MapType.ARRAY_OF_MAPS,
      MapType.HASH_OF_MAPS, MapType.DEVMAP, MapType.DEVMAP_HASH, MapType.CPUMAP, MapType.XSKMAP,
      MapType.SOCKMAP, MapType.SOCKHASH, MapType.REUSEPORT_SOCKARRAY, MapType.PROG_ARRAY,
      MapType.QUEUE, MapType.STACK, MapType.RINGBUF, MapType.USER_RINGBUF);

  /** Program types the kernel loads only with a target this loader cannot give yet. */
  private static final Set<ProgramType> UNSUPPORTED_TARGET = EnumSet.of(ProgramType.EXT, ProgramType.STRUCT_OPS);

  /** What a successful load leaves to the object. */
  record Result(Map<String, MapFd> maps, List<Path> createdPins, List<String> notes) {}

  private final String file;
  private final ParsedObject parsed;
  private final List<ObjectMapSpec> specs;
  private final List<BpfProgram> programs;
  private final LoadOptions options;
  private final Map<String, MapFd> maps = new LinkedHashMap<>();
  /** Maps created by this load: only these get their initial data, freeze and slots. */
  private final Set<String> created = new HashSet<>();
  private final List<Path> newPins = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private @Nullable Path newPinRoot;
  private int btfFd;
  /** Fds of module BTF objects opened for attach targets, by module name; closed when the load ends. */
  private final Map<String, Integer> moduleBtfFds = new LinkedHashMap<>();
  /** Externs resolved so far in this load, by name. */
  private final Map<String, ExternValue> externValues = new HashMap<>();
  /**
   * {@code fd_array} of every program: module BTF fds that kfunc calls name by index ({@code off});
   * index 0 stands for vmlinux and is never read.
   */
  private final List<Integer> fdArray = new ArrayList<>(List.of(0));

  ObjectLoader(String file, ParsedObject parsed, List<ObjectMapSpec> specs, List<BpfProgram> programs,
      LoadOptions options) {
    this.file = file;
    this.parsed = parsed;
    this.specs = specs;
    this.programs = programs;
    this.options = options;
  }

  Result run() {
    try {
      loadBtf();
      for (ObjectMapSpec m : specs) {
        maps.put(m.name(), openOrCreate(m));
      }
      for (ObjectMapSpec m : specs) {
        if (created.contains(m.name()) && m.type().mapOfMaps()) {
          fillSlots(m, name -> mapFdOf(m, name));
        }
      }
      for (BpfProgram p : programs) {
        load(p);
      }
      for (ObjectMapSpec m : specs) {
        if (created.contains(m.name()) && m.type() == MapType.PROG_ARRAY) {
          fillSlots(m, name -> programFdOf(m, name));
        }
      }
      closeBtf();
      return new Result(maps, newPins, notes);
    } catch (RuntimeException | Error e) {
      releaseAll(e);
      throw e;
    }
  }

  // ---- BTF ----

  private void loadBtf() {
    Btf btf = parsed.btf();
    if (btf == null) {
      return;
    }
    if (!parsed.externs().isEmpty()) {
      btf = btf.withExternsAllocated(name -> {
        Extern e = parsed.extern(name);
        return e != null && e.kind() == Extern.Kind.KCONFIG ? e.offset() : -1;
      }, kconfigSpec() == null ? 0 : kconfigSpec().valueSize());
    }
    try {
      btfFd = BpfSys.btfLoad(btf.raw(), file);
    } catch (BpfSyscallException e) {
      if (e.errno() == Errno.EPERM) {
        throw BpfException.withCause(BpfSyscallException.of("BPF_BTF_LOAD", file, e.errno(), null), e);
      }
      // As libbpf: an older kernel may not know every BTF kind the compiler emits; the programs and
      // maps load without BTF then (no func/line info in the verifier's messages, no BTF-typed maps).
      notes.add(file + ": the kernel refused the object's BTF (" + e.errnoName() + "); loading without it. "
          + lastLine(e instanceof BpfLoadException l ? l.verifierLog() : ""));
    }
  }

  private void closeBtf() {
    for (int fd : moduleBtfFds.values()) {
      closeQuietly(fd); // a loaded program holds its own reference to its target's BTF
    }
    moduleBtfFds.clear();
    if (btfFd > 0) {
      // Maps and programs hold their own references to the BTF object.
      closeQuietly(btfFd);
      btfFd = 0;
    }
  }

  // ---- maps ----

  private MapFd openOrCreate(ObjectMapSpec m) {
    LoadOptions.Reuse reuse = options.reuses().get(m.name());
    if (reuse == null && m.kind() == MapKind.GLOBAL_DATA) {
      reuse = options.reuses().get(m.section());
    }
    if (reuse != null) {
      return reuse(m, reuse);
    }
    Path root = options.pinRoot();
    if (m.pinning() == Pinning.BY_NAME && root != null) {
      return pinnedByName(m, root);
    }
    MapFd fd = create(m);
    try {
      initialize(m, fd);
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
    created.add(m.name());
    return fd;
  }

  private MapFd reuse(ObjectMapSpec m, LoadOptions.Reuse reuse) {
    Path pinned = reuse.pinned();
    MapFd handle = reuse.fd();
    if (pinned != null) {
      return MapFd.openPinned(pinned, m);
    }
    if (handle != null) {
      MapFd dup = handle.dup();
      try {
        List<String> diffs = MapFd.differences(m, dup.info());
        if (!diffs.isEmpty()) {
          throw new BpfSpecMismatchException("reuse", m.name(), "handle " + handle, diffs);
        }
      } catch (RuntimeException e) {
        dup.close();
        throw e;
      }
      return dup;
    }
    return MapFd.fromId(reuse.id(), m);
  }

  /**
   * libbpf's {@code LIBBPF_PIN_BY_NAME}: a map pinned at {@code <root>/<name>} is reused when it
   * matches (and refused, never replaced, when it does not); otherwise the map is created, written
   * and then pinned, so another process never sees it half initialized.
   */
  private MapFd pinnedByName(ObjectMapSpec m, Path root) {
    Path path = BpfSys.pinPath(root, m.name(), "map");
    try {
      return MapFd.openPinned(path, m);
    } catch (BpfNotFoundException absent) {
      // fall through: nothing pinned there yet
    } catch (BpfSpecMismatchException e) {
      throw BpfException.withCause(new BpfSpecMismatchException("pin by name", m.name(), "pinned at " + path
          + "; remove the pin or change the pin root to load " + file, e.differences()), e);
    }
    ensurePinRoot(root);
    MapFd fd = create(m);
    try {
      initialize(m, fd);
      fd.pin(path);
    } catch (BpfKeyExistsException lostRace) {
      fd.close();
      return MapFd.openPinned(path, m);
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
    newPins.add(path);
    created.add(m.name());
    return fd;
  }

  private void ensurePinRoot(Path root) {
    if (Files.isDirectory(root)) {
      return;
    }
    try {
      Path existing = root;
      while (existing.getParent() != null && !Files.exists(existing.getParent())) {
        existing = existing.getParent();
      }
      Files.createDirectories(root);
      newPinRoot = existing;
    } catch (IOException e) {
      throw new BpfException("pin by name", root.toString(), 0, "cannot create the pin root " + root
          + " (it must be on a bpffs mount such as /sys/fs/bpf): " + e.getMessage(), e);
    }
  }

  private MapFd create(ObjectMapSpec m) {
    MapFd inner = null;
    int innerFd = 0;
    if (m.type().mapOfMaps()) {
      MapSpec innerSpec = m.innerMap();
      if (innerSpec == null) {
        throw new BpfException("BPF_MAP_CREATE", m.name(), 0, file + ": " + m.type() + " map '" + m.name()
            + "' declares no inner map (use __array(values, struct inner) in its definition)");
      }
      inner = MapFd.create(innerSpec); // the template: the kernel copies what it needs and we close it
      innerFd = inner.acquire();
    }
    try {
      int maxEntries = m.maxEntries();
      if (m.type() == MapType.PERF_EVENT_ARRAY && maxEntries == 0) {
        maxEntries = Bpf.possibleCpus(); // as libbpf: one slot per CPU unless the object says
      }
      int keyId = m.kind() == MapKind.GLOBAL_DATA ? 0 : m.keyTypeId();
      int valueId = m.valueTypeId();
      if (btfFd > 0 && valueId != 0 && !NO_BTF.contains(m.type())) {
        try {
          return MapFd.adopt(BpfSys.mapCreate(m.name(), m.type().id(), m.keySize(), m.valueSize(),
              maxEntries, m.flags(), innerFd, 0, btfFd, keyId, valueId), m.name());
        } catch (BpfPermissionException e) {
          throw e;
        } catch (BpfSyscallException e) {
          notes.add(file + ": map '" + m.name() + "' refused its BTF types (" + e.errnoName()
              + "); created without them");
        }
      }
      return MapFd.adopt(BpfSys.mapCreate(m.name(), m.type().id(), m.keySize(), m.valueSize(), maxEntries,
          m.flags(), innerFd, 0, 0, 0, 0), m.name());
    } finally {
      if (inner != null) {
        inner.release();
        inner.close();
      }
    }
  }

  /** Writes a global-data map's initial bytes and freezes {@code .rodata}, before any program loads. */
  private void initialize(ObjectMapSpec m, MapFd fd) {
    if (m.kind() != MapKind.GLOBAL_DATA) {
      return;
    }
    byte[] data = m.section().equals(Extern.KCONFIG_SECTION)
        ? Kconfig.values(parsed.externs(), m.valueSize(), Kconfig.running(), file)
        : m.initialData();
    boolean zero = true;
    for (byte b : data) {
      zero &= b == 0;
    }
    if (!zero) { // a new ARRAY starts zeroed: .bss, and untouched .data, need no write
      update(fd, 0, data, "initial value of " + m.section());
    }
    if (m.freezeAfterLoad()) {
      // The verifier reads a frozen BPF_F_RDONLY_PROG map as constants: branches on them are pruned.
      fd.freeze();
    }
  }

  /** Fills map-in-map or program-array slots declared with {@code .values = {...}}. */
  private void fillSlots(ObjectMapSpec m, ToIntFunction<String> fdOf) {
    MapFd outer = maps.get(m.name());
    for (Map.Entry<Integer, String> slot : new TreeMap<>(m.initialSlots()).entrySet()) {
      int valueFd = fdOf.applyAsInt(slot.getValue());
      byte[] v = {(byte) valueFd, (byte) (valueFd >>> 8), (byte) (valueFd >>> 16), (byte) (valueFd >>> 24)};
      update(outer, slot.getKey(), v, "slot " + slot.getKey() + " = '" + slot.getValue() + "'");
    }
  }

  private int mapFdOf(ObjectMapSpec outer, String name) {
    MapFd fd = maps.get(name);
    if (fd == null) {
      throw new BpfException("load", outer.name(), 0, file + ": map '" + outer.name()
          + "' presets a slot to map '" + name + "', which the object does not declare");
    }
    return rawFd(fd);
  }

  private int programFdOf(ObjectMapSpec outer, String name) {
    for (BpfProgram p : programs) {
      if (p.name().equals(name)) {
        int fd = p.acquire();
        p.release(); // the object holds the program until the load returns
        return fd;
      }
    }
    throw new BpfException("load", outer.name(), 0, file + ": program array '" + outer.name()
        + "' presets a slot to program '" + name + "', which the object does not declare");
  }

  private static int rawFd(MapFd fd) {
    int n = fd.acquire();
    fd.release(); // the loader holds every MapFd open until it returns
    return n;
  }

  private static void update(MapFd fd, int key, byte[] value, String what) {
    ByteBuffer k = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putInt(0, key);
    ByteBuffer v = ByteBuffer.allocateDirect(Math.max(8, value.length)).put(0, value);
    int n = fd.acquire();
    try {
      int errno = BpfSys.mapUpdate(n, Scratch.address(k), Scratch.address(v), 0);
      if (errno != 0) {
        throw BpfSyscallException.of("BPF_MAP_UPDATE_ELEM", fd.name(), errno, what);
      }
    } finally {
      fd.release();
      Reference.reachabilityFence(k);
      Reference.reachabilityFence(v);
    }
  }

  // ---- programs ----

  private void load(BpfProgram p) {
    ProgramSpec s = p.spec();
    String where = s.name() + " (section " + s.section() + " of " + file + ")";
    if (s.type() == ProgramType.UNSPEC) {
      throw new BpfException("BPF_PROG_LOAD", s.name(), 0, "program " + where
          + ": the section name does not say the program type (use a libbpf section name such as"
          + " SEC(\"xdp\") or SEC(\"socket\"))");
    }
    if (UNSUPPORTED_TARGET.contains(s.type())) {
      throw new BpfException("BPF_PROG_LOAD", s.name(), 0, "program " + where + " is " + s.type()
          + (s.type() == ProgramType.EXT
              ? ", which the kernel loads only with the program it replaces (attach_prog_fd);"
              + " loading freplace programs is not supported yet"
              : ", which the kernel loads only as part of a struct_ops map; struct_ops is not supported yet"));
    }
    AttachTargets.Target target = null;
    if (AttachTargets.needsKernelTarget(s)) {
      target = attachTarget(s, where);
    }
    LinkedProgram linked = ProgramLinker.link(parsed, s.name(), name -> {
      MapFd fd = maps.get(name);
      if (fd == null) {
        throw new BpfException("link", s.name(), 0, "program " + where + " uses map '" + name
            + "', which was not created");
      }
      return rawFd(fd);
    }, name -> externValue(name, where));
    if (!linked.coreRelos().isEmpty() && btfFd == 0) {
      notes.add("program " + where + " has " + linked.coreRelos().size()
          + " CO-RE relocations, which need the object's BTF; they are not applied (the compile-time"
          + " offsets stay)");
    }
    ProgLoad request = new ProgLoad()
        .type(s.type().id())
        .insns(linked.instructions())
        .license(s.license())
        .name(s.name())
        .kernVersion(s.kernelVersion())
        .expectedAttachType(s.attachType() == null ? 0 : s.attachType().id())
        .flags(ProgramSections.loadFlags(s.section()))
        .logLevel(options.logLevel())
        .logSize(options.logSize());
    if (fdArray.size() > 1) {
      request.fdArray(fdArray.stream().mapToInt(Integer::intValue).toArray());
    }
    if (target != null) {
      request.attachBtfId(target.btfId());
      if (!target.module().isEmpty()) {
        request.attachFd(moduleBtfFd(target.module(), where));
      }
    }
    if (btfFd > 0) {
      request.btfFd(btfFd);
      if (!linked.funcInfo().isEmpty()) {
        request.funcInfo(linked.funcInfoBytes(), LinkedProgram.FUNC_INFO_SIZE);
      }
      if (!linked.lineInfo().isEmpty()) {
        request.lineInfo(linked.lineInfoBytes(), LinkedProgram.LINE_INFO_SIZE);
      }
      if (!linked.coreRelos().isEmpty()) {
        // The kernel (5.17+) relocates field offsets and existence checks against its own BTF, as
        // libbpf would in user space; the object's BTF names the local types.
        request.coreRelos(linked.coreReloBytes(), LinkedProgram.CORE_RELO_SIZE);
      }
    }
    int fd;
    try {
      fd = BpfSys.progLoad(request);
    } catch (BpfSyscallException e) {
      String log = e instanceof BpfLoadException l ? l.verifierLog() : "";
      // A refusal whose cause we know better than the kernel's errno and log say (no trampolines
      // on this kernel, a typed __ksym without an address): that reason leads.
      String why = target == null ? typedKsymRefused(log) : TracingLimits.whyRefused(s, target, e.errno(), log);
      if (why != null) {
        throw BpfException.withCause(new BpfLoadException("BPF_PROG_LOAD", where, e.errno(), log, why), e);
      }
      // The same error, naming the program, its section and the file instead of the bare name.
      throw BpfException.withCause(BpfSys.loadError("BPF_PROG_LOAD", where, e.errno(), log), e);
    }
    p.loaded(fd, request.log());
  }

  /** The BTF id (and module) a tracing or LSM program attaches to, or an error naming what was looked for. */
  private AttachTargets.Target attachTarget(ProgramSpec s, String where) {
    if (s.attachTarget().isEmpty()) {
      throw new BpfException("BPF_PROG_LOAD", s.name(), 0, "program " + where + " is " + s.type()
          + ", which the kernel loads only with an attach target, and its section names none; write it"
          + " as SEC(\"" + s.section() + "/<target>\")");
    }
    AttachTargets.Lookup lookup = AttachTargets.lookupFor(s);
    AttachTargets.Target t;
    try {
      t = AttachTargets.resolve(lookup);
    } catch (BpfException e) {
      throw new BpfException("BPF_PROG_LOAD", s.name(), 0, "program " + where + ": cannot look up its attach"
          + " target, the kernel's " + lookup.describe() + ": " + e.getMessage(), e);
    }
    if (t == null) {
      throw new BpfException("BPF_PROG_LOAD", s.name(), 0, "program " + where + ": the kernel has no "
          + lookup.describe() + " in its BTF (" + KernelBtf.DIR + "/vmlinux"
          + (lookup.module() == null ? " or any module's" : "") + "), so there is nothing to attach "
          + s.attachTarget() + " to" + TracingLimits.hintFor(s));
    }
    return t;
  }

  /**
   * An fd of a module's BTF object, for {@code attach_btf_obj_fd}: the kernel names its BTF objects
   * only by id, so walk them ({@code BPF_BTF_GET_NEXT_ID}) and match the name, as libbpf does.
   */
  private int moduleBtfFd(String module, String where) {
    Integer known = moduleBtfFds.get(module);
    if (known != null) {
      return known;
    }
    int id = 0;
    while ((id = BpfSys.btfGetNextId(id)) != 0) {
      int fd;
      try {
        fd = BpfSys.btfGetFdById(id);
      } catch (BpfNotFoundException gone) {
        continue; // freed between the two calls
      }
      String name;
      try {
        name = BpfSys.kernelBtfName(fd);
      } catch (RuntimeException e) {
        closeQuietly(fd);
        throw e;
      }
      if (module.equals(name)) {
        moduleBtfFds.put(module, fd);
        return fd;
      }
      closeQuietly(fd);
    }
    throw new BpfException("BPF_BTF_GET_FD_BY_ID", module, 0, "program " + where + ": module '" + module
        + "' has BTF in " + KernelBtf.DIR + " but no kernel BTF object of that name (was it unloaded?)");
  }

  // ---- externs ----

  private @Nullable ObjectMapSpec kconfigSpec() {
    for (ObjectMapSpec m : specs) {
      if (m.kind() == MapKind.GLOBAL_DATA && m.section().equals(Extern.KCONFIG_SECTION)) {
        return m;
      }
    }
    return null;
  }

  /** What an extern is on this kernel, resolved once per load (libbpf's bpf_object__resolve_externs). */
  private ExternValue externValue(String name, String where) {
    ExternValue known = externValues.get(name);
    if (known != null) {
      return known;
    }
    Extern e = parsed.extern(name);
    if (e == null || e.kind() == Extern.Kind.UNKNOWN) {
      throw new BpfException("resolve extern", name, 0, "program " + where + " uses the undefined symbol '" + name
          + "', which the object's BTF does not declare as __kconfig, __ksym or a kfunc (compile with -g, and"
          + " declare it with __kconfig or __ksym from bpf_helpers.h)");
    }
    ExternValue v;
    switch (e.kind()) {
      case KCONFIG:
        ObjectMapSpec k = kconfigSpec();
        if (k == null) {
          throw new IllegalStateException("no .kconfig map for " + name);
        }
        v = new ExternValue.KconfigSlot(k.name(), e.offset());
        break;
      case KSYM:
        v = e.typed() ? btfExtern(e, BtfKind.VAR, where, "__ksym variable") : addressExtern(e, where);
        break;
      default:
        v = btfExtern(e, BtfKind.FUNC, where, "kfunc");
        break;
    }
    externValues.put(name, v);
    return v;
  }

  private ExternValue btfExtern(Extern e, BtfKind kind, String where, String what) {
    AttachTargets.Lookup lookup = new AttachTargets.Lookup(e.name(), kind, null);
    AttachTargets.Target t;
    try {
      t = AttachTargets.resolve(lookup);
    } catch (BpfException ex) {
      if (e.weak()) {
        return new ExternValue.Absent();
      }
      throw new BpfException("resolve extern", e.name(), 0, "program " + where + " uses the " + what + " '"
          + e.name() + "', which needs the kernel's BTF: " + ex.getMessage(), ex);
    }
    if (t == null) {
      if (e.weak()) {
        return new ExternValue.Absent(); // bpf_ksym_exists() reads 0
      }
      throw new BpfException("resolve extern", e.name(), 0, "program " + where + " uses the " + what + " '"
          + e.name() + "', but the kernel has no " + lookup.describe() + " in its BTF (" + KernelBtf.DIR
          + "/vmlinux or any module's); declare it __weak to load without it and test bpf_ksym_exists()");
    }
    if (t.module().isEmpty()) {
      return new ExternValue.BtfId(t.btfId(), 0, 0);
    }
    int fd = moduleBtfFd(t.module(), where);
    int index = fdArray.indexOf(fd);
    if (index < 0) {
      index = fdArray.size();
      fdArray.add(fd);
    }
    return new ExternValue.BtfId(t.btfId(), fd, index);
  }

  /**
   * For a verifier refusal "ldimm64 failed to find the address for kernel symbol 'X'": the typed
   * {@code __ksym} was found by BTF id, but the verifier also needs its address, which kallsyms lists
   * for variables only with {@code CONFIG_KALLSYMS_ALL}.
   */
  private @Nullable String typedKsymRefused(String log) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("failed to find the address for kernel symbol '([^']+)'").matcher(log);
    if (!m.find()) {
      return null;
    }
    ExternValue v = externValues.get(m.group(1));
    String id = v instanceof ExternValue.BtfId b ? " (vmlinux BTF id " + b.id() + ")" : "";
    String all = Kconfig.running().get("CONFIG_KALLSYMS_ALL");
    return "the typed __ksym '" + m.group(1) + "'" + id + " was found in the kernel's BTF, but the verifier"
        + " also needs its address from kallsyms, which "
        + (all == null ? "lists only functions on this kernel (CONFIG_KALLSYMS_ALL is not set)"
            : "does not list it")
        + "; libbpf fails the same way";
  }

  private ExternValue addressExtern(Extern e, String where) {
    Set<String> typeless = new HashSet<>();
    for (Extern x : parsed.externs()) {
      if (x.kind() == Extern.Kind.KSYM && !x.typed()) {
        typeless.add(x.name()); // one pass over /proc/kallsyms for all of them
      }
    }
    Map<String, Long> found = Kallsyms.addresses(typeless);
    for (Map.Entry<String, Long> f : found.entrySet()) {
      if (f.getValue() != 0) {
        externValues.putIfAbsent(f.getKey(), new ExternValue.Address(f.getValue()));
      }
    }
    Long addr = found.get(e.name());
    if (addr != null && addr != 0) {
      return new ExternValue.Address(addr);
    }
    if (e.weak() && addr == null) {
      return new ExternValue.Absent();
    }
    throw new BpfException("resolve extern", e.name(), 0, "program " + where + " uses the typeless __ksym '"
        + e.name() + "', but " + (addr == null ? Kallsyms.FILE + " does not list it"
            + "; declare it __weak to load without it"
            : Kallsyms.FILE + " shows its address as 0: reading kernel addresses needs CAP_SYSLOG"
            + " (kernel.kptr_restrict); run as root"));
  }

  // ---- failure ----

  private void releaseAll(Throwable cause) {
    for (BpfProgram p : programs) {
      p.close();
    }
    for (MapFd fd : maps.values()) {
      fd.close();
    }
    maps.clear();
    for (Path pin : newPins) {
      try {
        MapFd.unpin(pin);
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
    newPins.clear();
    if (newPinRoot != null) {
      try (var walk = Files.walk(newPinRoot)) {
        for (Path d : walk.sorted(Comparator.reverseOrder()).toList()) {
          if (Files.isDirectory(d)) {
            Files.deleteIfExists(d); // directories we made, emptied above
          }
        }
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
    closeBtf();
  }

  private static void closeQuietly(int fd) {
    try {
      BpfSys.close(fd);
    } catch (BpfException ignored) {
      // the number is released either way
    }
  }

  private static String lastLine(String log) {
    String[] lines = log.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
