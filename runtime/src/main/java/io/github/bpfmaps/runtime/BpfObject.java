package io.github.bpfmaps.runtime;

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
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A compiled BPF object ({@code clang -target bpf}), read without the kernel: the maps it
 * declares (BTF-defined in {@code .maps}, legacy {@code struct bpf_map_def} in {@code maps}, and
 * global data as internal ARRAY maps), its programs, and its global variables. {@code .rodata}
 * (and other data) variables may be set by name before the object is loaded.
 *
 * <p>Opening reads the whole file into memory (at most {@value #MAX_FILE_SIZE} bytes) and makes no
 * system call beyond reading it. Loading (creating maps, relocating and loading programs) is done
 * by the loader; {@link #link} is the pure relocation step it uses.
 *
 * <p>Thread-safe. After {@link #close()}, every method throws {@link BpfException}.
 */
public final class BpfObject implements AutoCloseable {
  /** The largest file {@link #open} reads. */
  public static final long MAX_FILE_SIZE = 64L << 20;

  private final String file;
  private final ParsedObject parsed;
  private final List<ObjectMapSpec> maps;
  private boolean closed;

  private BpfObject(String file, ParsedObject parsed) {
    this.file = file;
    this.parsed = parsed;
    this.maps = new ArrayList<>(parsed.maps());
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

  /** Every program, in section order. */
  public List<ProgramSpec> programs() {
    checkOpen("programs");
    return parsed.programs();
  }

  /**
   * The program with this (function) name.
   *
   * @throws BpfException if there is none, listing the programs there are
   */
  public ProgramSpec program(String name) {
    checkOpen("program");
    return parsed.program(name);
  }

  /** A copy of a program's own instructions, before relocation. Allocates. */
  public byte[] instructions(String program) {
    return parsed.instructions(program(program));
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
    GlobalVariable v = variable(name);
    if (value.length != v.size()) {
      throw new BpfException("setVariable", name, 0, "variable '" + name + "' in " + v.section() + " is "
          + v.size() + " bytes, not " + value.length);
    }
    for (int i = 0; i < maps.size(); i++) {
      ObjectMapSpec m = maps.get(i);
      if (m.kind() == MapKind.GLOBAL_DATA && m.section().equals(v.section())) {
        byte[] data = m.initialData();
        System.arraycopy(value, 0, data, v.offset(), value.length);
        maps.set(i, m.withInitialData(data));
        return;
      }
    }
    throw new BpfException("setVariable", name, 0, "no map holds section " + v.section());
  }

  /**
   * Sets an integer global variable of 1, 2, 4 or 8 bytes, little-endian.
   *
   * @throws BpfException if the variable is not integer-sized or {@code value} does not fit it
   *     (signed or unsigned)
   */
  public void setVariable(String name, long value) {
    int size = variable(name).size();
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
    setVariable(name, b);
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

  /** The parsed object behind this one, for the loader. */
  public ParsedObject parsed() {
    checkOpen("parsed");
    return parsed;
  }

  /**
   * A new {@link MapFd} for the object's map named by {@code spec}, after checking the object's
   * definition against the spec and, when the object has BTF, the codecs' layouts against the C key
   * and value types ({@link BtfLayoutCheck}). Needs a loaded object.
   *
   * @throws BpfException if the object has no such map, the definition or a codec differs (listing
   *     every difference), or the object has not been loaded
   */
  public MapFd bindMap(MapSpec spec, @Nullable Codec<?> key, Codec<?> value) {
    ObjectMapSpec m = map(spec.name());
    List<String> diffs = new ArrayList<>();
    if (m.type() != spec.type()) {
      diffs.add("type " + m.type() + " (expected " + spec.type() + ")");
    }
    if (m.keySize() != spec.keySize()) {
      diffs.add("key size " + m.keySize() + " (expected " + spec.keySize() + ")");
    }
    if (m.valueSize() != spec.valueSize()) {
      diffs.add("value size " + m.valueSize() + " (expected " + spec.valueSize() + ")");
    }
    if (m.maxEntries() != spec.maxEntries()) {
      diffs.add("max_entries " + m.maxEntries() + " (expected " + spec.maxEntries() + ")");
    }
    if (m.flags() != spec.flags()) {
      diffs.add("flags 0x" + Integer.toHexString(m.flags()) + " (expected 0x" + Integer.toHexString(spec.flags()) + ")");
    }
    if (key != null && key.byteSize() != m.keySize()) {
      diffs.add("key codec of " + key.byteSize() + " bytes (the map's keys are " + m.keySize() + ")");
    }
    if (value.byteSize() != m.valueSize()) {
      diffs.add("value codec of " + value.byteSize() + " bytes (the map's values are " + m.valueSize() + ")");
    }
    Btf btf = parsed.btf();
    if (btf != null) {
      Layout keyLayout = key == null ? null : key.layout();
      if (keyLayout != null && m.keyTypeId() != 0) {
        diffs.addAll(BtfLayoutCheck.differences(btf, m.keyTypeId(), keyLayout, "key"));
      }
      Layout valueLayout = value.layout();
      if (valueLayout != null && m.valueTypeId() != 0 && m.kind() != MapKind.GLOBAL_DATA) {
        diffs.addAll(BtfLayoutCheck.differences(btf, m.valueTypeId(), valueLayout, "value"));
      }
    }
    if (!diffs.isEmpty()) {
      throw new BpfException("bindMap", spec.name(), 0, file + ": map '" + spec.name() + "' differs: "
          + String.join("; ", diffs));
    }
    throw new BpfException("bindMap", spec.name(), 0, file + " is not loaded: loading objects (creating"
        + " their maps and programs) is not implemented yet, so its maps cannot be bound");
  }

  /** Marks the object closed. It holds no kernel resources until it is loaded. */
  @Override
  public synchronized void close() {
    closed = true;
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
