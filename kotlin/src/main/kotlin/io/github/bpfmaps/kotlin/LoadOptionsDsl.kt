package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.BpfObject
import io.github.bpfmaps.runtime.BpfObjectSpec
import io.github.bpfmaps.runtime.LoadOptions
import io.github.bpfmaps.runtime.MapFd
import io.github.bpfmaps.runtime.maps.BpfMapHandle
import java.nio.file.Path
import java.util.function.Consumer

/**
 * The receiver of a load-options block: each call sets the [LoadOptions] it wraps.
 *
 * ```
 * val options = loadOptions {
 *     pinRoot("/sys/fs/bpf/app")
 *     reuse("flows").pinned("/sys/fs/bpf/flows")
 *     constant("cfg_port", 8080)
 * }
 * ```
 *
 * Nothing here makes a system call; the options are checked when the object loads.
 */
@BpfDsl
public class LoadOptionsScope internal constructor(
    /** The options being built, for the rare setting this block does not cover. */
    public val options: LoadOptions,
) {
    /** Pin maps declared with `pinning = BY_NAME` under [dir] (see [LoadOptions.pinRoot]). */
    public fun pinRoot(dir: String) {
        options.pinRoot(dir)
    }

    /** As [pinRoot] with a [Path]. */
    public fun pinRoot(dir: Path) {
        options.pinRoot(dir)
    }

    /** Chooses where the object's map [mapName] comes from: `reuse("flows").pinned(path)`. */
    public fun reuse(mapName: String): ReuseScope = ReuseScope(options.reuse(mapName))

    /** Block form: `reuse("flows") { pinned("/sys/fs/bpf/flows") }`. */
    public fun reuse(mapName: String, block: ReuseScope.() -> Unit) {
        reuse(mapName).block()
    }

    /** Sets a `.rodata`/`.data` integer variable, written in the variable's own size. */
    public fun constant(variable: String, value: Long) {
        options.constant(variable, value)
    }

    /** As [constant] for an `Int`, so that an `Int` value needs no `.toLong()`. */
    public fun constant(variable: String, value: Int) {
        options.constant(variable, value.toLong())
    }

    /** Sets a variable to raw bytes, exactly its size. */
    public fun constant(variable: String, value: ByteArray) {
        options.constant(variable, value)
    }

    /** Sets a `char[]` variable to a NUL-padded UTF-8 string. */
    public fun constant(variable: String, value: String) {
        options.constant(variable, value)
    }

    /** Verifier log level for every program: 0, 1 or 2. */
    public fun logLevel(level: Int) {
        options.logLevel(level)
    }

    /** Verifier log buffer size in bytes. */
    public fun logSize(bytes: Int) {
        options.logSize(bytes)
    }
}

/** The second half of [LoadOptionsScope.reuse]: where the reused map comes from. */
@BpfDsl
public class ReuseScope internal constructor(private val reuse: LoadOptions.MapReuse) {
    /** Reuse the map pinned at [path]. */
    public fun pinned(path: String) {
        reuse.pinned(path)
    }

    /** Reuse the map pinned at [path]. */
    public fun pinned(path: Path) {
        reuse.pinned(path)
    }

    /** Reuse the map with kernel id [mapId]. */
    public fun id(mapId: Int) {
        reuse.id(mapId)
    }

    /** Reuse an open map; the caller keeps ownership of [fd]. */
    public fun handle(fd: MapFd) {
        reuse.handle(fd)
    }

    /** Reuse the map behind an open handle; the caller keeps ownership of it. */
    public fun handle(handle: BpfMapHandle) {
        reuse.handle(handle.fd())
    }
}

/**
 * A load-options block as the `Consumer<LoadOptions>` that `BpfObject.load(path, options)` takes.
 * The block runs each time the consumer is applied.
 */
public fun loadOptions(block: LoadOptionsScope.() -> Unit): Consumer<LoadOptions> =
    Consumer { options -> LoadOptionsScope(options).block() }

/** Applies a load-options block to these options and returns them. */
public fun LoadOptions.configure(block: LoadOptionsScope.() -> Unit): LoadOptions {
    LoadOptionsScope(this).block()
    return this
}

/**
 * Reads and loads the BPF object at [path] with the options of [block], receiver style:
 *
 * ```
 * loadBpfObject(path) {
 *     pinRoot("/sys/fs/bpf/app")
 *     reuse("flows").pinned("/sys/fs/bpf/flows")
 * }.use { obj -> ... }
 * ```
 *
 * This is `BpfObject.load(path, loadOptions(block))`. It has a name of its own because a Kotlin
 * lambda given to the Java `BpfObject.load(path, Consumer)` binds to that member as a `Consumer`
 * (`it.pinRoot(...)`), and Kotlin has no static extensions on a Java class.
 *
 * Costs the system calls of loading: BTF, one per map and one per program.
 *
 * @throws io.github.bpfmaps.errors.BpfException when the object cannot be read or loaded; nothing
 *     it created is left behind
 */
public fun loadBpfObject(path: Path, block: LoadOptionsScope.() -> Unit = {}): BpfObject =
    BpfObject.load(path, loadOptions(block))

/** As [loadBpfObject] with a path string. */
public fun loadBpfObject(path: String, block: LoadOptionsScope.() -> Unit = {}): BpfObject =
    loadBpfObject(Path.of(path), block)

/**
 * Reads the BPF object at [path] as a [BpfObjectSpec] and applies [edits] to it, receiver style,
 * before anything reaches the kernel:
 *
 * ```
 * val spec = readBpfObjectSpec(path) {
 *     map("flows").maxEntries(1 shl 20)
 *     program("debug_dump").autoload(false)
 *     setVariable("min_len", 64)
 * }
 * spec.loadWith { pinRoot("/sys/fs/bpf/app") }.use { obj -> ... }
 * ```
 *
 * Reads the file and makes no other system call.
 *
 * @throws io.github.bpfmaps.errors.BpfException when the object cannot be read, or an edit names
 *     a map, program or variable it lacks
 */
public fun readBpfObjectSpec(path: Path, edits: BpfObjectSpec.() -> Unit = {}): BpfObjectSpec =
    BpfObjectSpec.read(path).apply(edits)

/** As [readBpfObjectSpec] with a path string. */
public fun readBpfObjectSpec(path: String, edits: BpfObjectSpec.() -> Unit = {}): BpfObjectSpec =
    readBpfObjectSpec(Path.of(path), edits)

/** Loads a copy of this spec with the options of [block]; see [BpfObjectSpec.load]. */
public fun BpfObjectSpec.loadWith(block: LoadOptionsScope.() -> Unit): BpfObject = load(loadOptions(block))
