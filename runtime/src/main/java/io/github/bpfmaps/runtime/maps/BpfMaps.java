package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.HandleKind;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Typed map handles for code that has no {@code @BpfMap} records: the map is described at run time
 * and its key and value are given as {@link Codec}s.
 *
 * <p>Two ways, both ending in a {@link Declared} whose {@code create()}, {@code openPinned(Path)} and
 * {@code fromId(int)} return the handle class of the map type:
 *
 * <pre>{@code
 * // By family: the handle type is known at compile time.
 * BpfHashMap<Integer, Long> counts =
 *     BpfMaps.hash("counts", Codecs.U32, Codecs.U64, d -> d.maxEntries(1024)).create();
 * BpfArrayMap<Long> totals = BpfMaps.array("totals", Codecs.U64, d -> d.maxEntries(4)).create();
 *
 * // Any keyed type, chosen at run time: the handle is a BpfKeyedMap of the right class
 * // (deleting needs the class: m instanceof BpfDeletableMap, or declare by family).
 * BpfKeyedMap<Integer, Long> m = BpfMaps.declare("counts", d -> d.type(MapType.HASH).maxEntries(1024))
 *     .key(Codecs.U32).value(Codecs.U64).create();
 * }</pre>
 *
 * <p>Declaring makes no system call; {@code create()} makes one ({@code BPF_MAP_CREATE}). Errors in
 * a declaration (a type outside the family, a key of the wrong size for an array) are
 * {@link IllegalArgumentException}s thrown where the declaration is finished, before the kernel is
 * asked.
 */
public final class BpfMaps {
  private BpfMaps() {}

  /**
   * Starts a declaration of any map type; {@code block} sets its type (required), size and flags.
   * Follow with {@link MapDeclaration#key(Codec)} and {@link KeyStep#value(Codec)}.
   */
  public static MapDeclaration declare(String name, Consumer<MapDeclaration> block) {
    MapDeclaration d = new MapDeclaration(name, null);
    block.accept(d);
    return d;
  }

  /** A {@code HASH} map ({@code LRU_HASH} if the block says so). */
  public static <K, V> Declared<BpfHashMap<K, V>> hash(String name, Codec<K> key, Codec<V> value,
      Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.HASH, HandleKind.HASH, block);
    return d.declared(key.byteSize(), value.byteSize(),
        (fd, spec) -> new BpfHashMap<>(fd, spec, key, value));
  }

  /** A {@code PERCPU_HASH} map ({@code LRU_PERCPU_HASH} if the block says so). */
  public static <K, V> Declared<BpfPerCpuHashMap<K, V>> perCpuHash(String name, Codec<K> key,
      Codec<V> value, Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.PERCPU_HASH, HandleKind.PERCPU_HASH, block);
    return d.declared(key.byteSize(), value.byteSize(),
        (fd, spec) -> new BpfPerCpuHashMap<>(fd, spec, key, value));
  }

  /** An {@code ARRAY} map: {@code maxEntries} values indexed from 0, all present and zeroed. */
  public static <V> Declared<BpfArrayMap<V>> array(String name, Codec<V> value,
      Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.ARRAY, HandleKind.ARRAY, block);
    return d.declared(4, value.byteSize(), (fd, spec) -> new BpfArrayMap<>(fd, spec, value));
  }

  /** A {@code PERCPU_ARRAY} map. */
  public static <V> Declared<BpfPerCpuArrayMap<V>> perCpuArray(String name, Codec<V> value,
      Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.PERCPU_ARRAY, HandleKind.PERCPU_ARRAY, block);
    return d.declared(4, value.byteSize(), (fd, spec) -> new BpfPerCpuArrayMap<>(fd, spec, value));
  }

  /**
   * An {@code LPM_TRIE} map; the key codec's layout starts with the {@code __u32} prefix length. The
   * kernel requires {@code flags(MapFlags.NO_PREALLOC)}.
   */
  public static <K, V> Declared<BpfLpmTrieMap<K, V>> lpmTrie(String name, Codec<K> key,
      Codec<V> value, Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.LPM_TRIE, HandleKind.LPM_TRIE, block);
    return d.declared(key.byteSize(), value.byteSize(),
        (fd, spec) -> new BpfLpmTrieMap<>(fd, spec, key, value));
  }

  /** A {@code QUEUE} map (FIFO). */
  public static <V> Declared<BpfQueue<V>> queue(String name, Codec<V> value,
      Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.QUEUE, HandleKind.QUEUE, block);
    return d.declared(0, value.byteSize(), (fd, spec) -> new BpfQueue<>(fd, spec, value));
  }

  /** A {@code STACK} map (LIFO). */
  public static <V> Declared<BpfStack<V>> stack(String name, Codec<V> value,
      Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.STACK, HandleKind.STACK, block);
    return d.declared(0, value.byteSize(), (fd, spec) -> new BpfStack<>(fd, spec, value));
  }

  /** A {@code BLOOM_FILTER} map. */
  public static <V> Declared<BpfBloomFilter<V>> bloomFilter(String name, Codec<V> value,
      Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.BLOOM_FILTER, HandleKind.BLOOM_FILTER, block);
    return d.declared(0, value.byteSize(), (fd, spec) -> new BpfBloomFilter<>(fd, spec, value));
  }

  /**
   * A {@code RINGBUF} map of records decoded with {@code value}; {@code maxEntries} is the buffer
   * size in bytes (a power of two, a multiple of the page size).
   */
  public static <V> Declared<BpfRingBuf<V>> ringBuf(String name, Codec<V> value,
      Consumer<MapDeclaration> block) {
    MapDeclaration d = family(name, MapType.RINGBUF, HandleKind.RINGBUF, block);
    // kernel/bpf/ringbuf.c: key_size and value_size must be 0.
    return d.declared(0, 0, (fd, spec) -> new BpfRingBuf<>(fd, spec, value));
  }

  private static MapDeclaration family(String name, MapType first, HandleKind kind,
      Consumer<MapDeclaration> block) {
    MapDeclaration d = new MapDeclaration(name, first);
    block.accept(d);
    MapType type = d.type();
    if (HandleKind.of(type) != kind) {
      Set<MapType> family = kind.types();
      throw new IllegalArgumentException("map '" + name + "' is declared " + type + ", but this "
          + "declaration makes " + (family.size() == 1 ? first : "one of " + family) + " maps; use "
          + "BpfMaps.declare(name, d -> d.type(MapType." + type + ")) for other types");
    }
    return d;
  }

  /** Builds the handle of a declared map from its fd. */
  @FunctionalInterface
  interface HandleFactory<H> {
    H make(MapFd fd, MapSpec spec);
  }

  /**
   * What a map is: its type, size, flags and pinning. The setters return the declaration, so a
   * Java lambda chains them and a Kotlin block calls them in turn.
   */
  public static final class MapDeclaration {
    private final String name;
    private @Nullable MapType type;
    private int maxEntries = 1;
    private int flags;
    private Pinning pinning = Pinning.NONE;
    private @Nullable MapSpec innerMap;

    MapDeclaration(String name, @Nullable MapType type) {
      this.name = Objects.requireNonNull(name, "name");
      this.type = type;
    }

    /** The map type; the family methods of {@link BpfMaps} set a default. */
    public MapDeclaration type(MapType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /** {@code max_entries}: entries of a hash, length of an array, bytes of a ring buffer. */
    public MapDeclaration maxEntries(int maxEntries) {
      if (maxEntries <= 0) {
        throw new IllegalArgumentException("maxEntries of map '" + name + "' must be positive, "
            + "got " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /** {@code map_flags}, from {@code MapFlags}; 0 by default. */
    public MapDeclaration flags(int flags) {
      this.flags = flags;
      return this;
    }

    /** How {@link Declared#createOrOpenPinned(Path)} treats a pin; {@code NONE} by default. */
    public MapDeclaration pinning(Pinning pinning) {
      this.pinning = Objects.requireNonNull(pinning, "pinning");
      return this;
    }

    /** The spec of the inner maps of a map of maps. */
    public MapDeclaration innerMap(MapSpec inner) {
      this.innerMap = Objects.requireNonNull(inner, "inner");
      return this;
    }

    /** The map name. */
    public String name() {
      return name;
    }

    /** The type set so far; throws when none was set. */
    public MapType type() {
      if (type == null) {
        throw new IllegalArgumentException("map '" + name + "' has no type; call type(MapType."
            + "HASH) (or another type) in its declaration");
      }
      return type;
    }

    /** The key of a keyed map. For arrays it must be a 4-byte codec ({@code Codecs.U32}). */
    public <K> KeyStep<K> key(Codec<K> key) {
      return new KeyStep<>(this, Objects.requireNonNull(key, "key"));
    }

    <H extends BpfMapHandle> Declared<H> declared(int keySize, int valueSize,
        HandleFactory<H> factory) {
      return new Declared<>(MapSpec.of(name, type(), keySize, valueSize, maxEntries, flags,
          pinning, innerMap), factory);
    }
  }

  /** A declaration with its key codec; {@link #value(Codec)} finishes it. */
  public static final class KeyStep<K> {
    private final MapDeclaration declaration;
    private final Codec<K> key;

    KeyStep(MapDeclaration declaration, Codec<K> key) {
      this.declaration = declaration;
      this.key = key;
    }

    /**
     * Finishes a keyed declaration. The handle is the class of the type: a {@link BpfHashMap} for
     * {@code HASH}, a {@link BpfArrayMap} for {@code ARRAY} (with a 4-byte key), a
     * {@link BpfLpmTrieMap} for {@code LPM_TRIE}, a generic {@link BpfDeletableMap} for other keyed
     * types ({@link HandleKind}, the table the annotation processor generates from too). The
     * declared type is their common base, {@link BpfKeyedMap}, which has no deletes (arrays cannot
     * delete); the family methods ({@link BpfMaps#hash} ...) return the specific class.
     * Per-CPU, keyless and map-of-maps types have values of another shape: use
     * {@link BpfMaps#perCpuHash}, {@link BpfMaps#queue} and the other family methods.
     */
    @SuppressWarnings("unchecked") // ARRAY: K is Integer, checked through the codec's size.
    public <V> Declared<BpfKeyedMap<K, V>> value(Codec<V> value) {
      Objects.requireNonNull(value, "value");
      MapType type = declaration.type();
      String name = declaration.name();
      if (type.perCpu() || type.keyless() || type.mapOfMaps() || type == MapType.RINGBUF
          || type == MapType.USER_RINGBUF) {
        throw new IllegalArgumentException("map '" + name + "' is " + type + ", whose values are "
            + "not a plain key/value pair; declare it with the BpfMaps method of its family "
            + "(perCpuHash, perCpuArray, queue, stack, bloomFilter, ringBuf)");
      }
      HandleFactory<BpfKeyedMap<K, V>> factory;
      switch (HandleKind.of(type)) {
        case ARRAY:
          if (key.byteSize() != 4) {
            throw new IllegalArgumentException("ARRAY map '" + name + "' needs a 4-byte key (the "
                + "index), but the key codec has " + key.byteSize() + " bytes; use Codecs.U32");
          }
          factory = (fd, spec) -> (BpfKeyedMap<K, V>) (BpfKeyedMap<?, V>)
              new BpfArrayMap<>(fd, spec, value);
          break;
        case HASH:
          factory = (fd, spec) -> new BpfHashMap<>(fd, spec, key, value);
          break;
        case LPM_TRIE:
          factory = (fd, spec) -> new BpfLpmTrieMap<>(fd, spec, key, value);
          break;
        case KEYED:
          factory = (fd, spec) -> new BpfDeletableMap<>(fd, spec, key, value);
          break;
        default:
          // The families refused above (per-CPU, keyless, ring buffer, map of maps).
          throw new IllegalStateException(type + " reached the plain keyed declaration");
      }
      return declaration.declared(key.byteSize(), value.byteSize(), factory);
    }
  }

  /**
   * A finished declaration: the {@link MapSpec} and how to make its handle. Reusable; each call
   * opens a new kernel map fd, which the returned handle owns.
   *
   * @param <H> the handle class
   */
  public static final class Declared<H extends BpfMapHandle> {
    private final MapSpec spec;
    private final HandleFactory<H> factory;

    Declared(MapSpec spec, HandleFactory<H> factory) {
      this.spec = spec;
      this.factory = factory;
    }

    /** The spec that is created or checked against. */
    public MapSpec spec() {
      return spec;
    }

    /** Creates a new kernel map ({@code BPF_MAP_CREATE}). */
    public H create() {
      return wrap(MapFd.create(spec));
    }

    /** Opens the map pinned at {@code path}, checked against the spec (every difference listed). */
    public H openPinned(Path path) {
      return wrap(MapFd.openPinned(path, spec));
    }

    /** Opens the map with kernel id {@code id}, checked against the spec. */
    public H fromId(int id) {
      return wrap(MapFd.fromId(id, spec));
    }

    /**
     * Reuses a compatible map pinned at {@code <pinRoot>/<name>} or creates and pins one, as
     * {@code Pinning.BY_NAME} maps of an object do.
     */
    public H createOrOpenPinned(Path pinRoot) {
      return wrap(MapFd.createOrOpenPinned(spec, pinRoot));
    }

    private H wrap(MapFd fd) {
      try {
        return factory.make(fd, spec);
      } catch (RuntimeException | Error e) {
        fd.close();
        throw e;
      }
    }

    @Override
    public String toString() {
      return "Declared[" + spec + "]";
    }
  }
}
