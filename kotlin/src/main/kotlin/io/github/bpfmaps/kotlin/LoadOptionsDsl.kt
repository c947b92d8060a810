package io.github.bpfmaps.kotlin

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
        reuse.handle(handle)
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
