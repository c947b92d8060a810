package io.github.bpfmaps.kotlin

import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.annotations.Pinning
import io.github.bpfmaps.runtime.maps.BpfMaps
import io.github.bpfmaps.runtime.Codec
import io.github.bpfmaps.spec.MapSpec
import io.github.bpfmaps.runtime.maps.BpfArrayMap
import io.github.bpfmaps.runtime.maps.BpfHashMap
import io.github.bpfmaps.runtime.maps.BpfKeyedMap
import io.github.bpfmaps.runtime.maps.BpfPerCpuArrayMap
import io.github.bpfmaps.runtime.maps.BpfPerCpuHashMap
import io.github.bpfmaps.runtime.maps.BpfQueue
import io.github.bpfmaps.runtime.maps.BpfRingBuf
import io.github.bpfmaps.runtime.maps.BpfStack

/**
 * The receiver of a map declaration block, over [BpfMaps.MapDeclaration]:
 *
 * ```
 * val counts = declareMap("counts") { type(MapType.HASH); maxEntries(1024) }
 *     .key(Codecs.U32).value(Codecs.U64).create()
 * ```
 */
@BpfDsl
public class MapDeclarationScope internal constructor(private val declaration: BpfMaps.MapDeclaration) {
    /** The map type (the typed declarations set one; [declareMap] needs it). */
    public fun type(type: MapType) {
        declaration.type(type)
    }

    /** `max_entries`. */
    public fun maxEntries(maxEntries: Int) {
        declaration.maxEntries(maxEntries)
    }

    /** `map_flags`, from `MapFlags`. */
    public fun flags(flags: Int) {
        declaration.flags(flags)
    }

    /** How `createOrOpenPinned` treats a pin. */
    public fun pinning(pinning: Pinning) {
        declaration.pinning(pinning)
    }

    /** The spec of the inner maps of a map of maps. */
    public fun innerMap(inner: MapSpec) {
        declaration.innerMap(inner)
    }
}

private fun BpfMaps.MapDeclaration.run(block: MapDeclarationScope.() -> Unit) {
    MapDeclarationScope(this).block()
}

/** [BpfMaps.declare] with a receiver block; follow with `.key(codec).value(codec)`. */
public fun declareMap(name: String, block: MapDeclarationScope.() -> Unit): BpfMaps.MapDeclaration =
    BpfMaps.declare(name) { it.run(block) }

/** Finishes a declaration with both codecs at once: `declareMap(...) { ... }.of(Codecs.U32, Codecs.U64)`. */
public fun <K : Any, V : Any> BpfMaps.MapDeclaration.of(
    key: Codec<K>,
    value: Codec<V>,
): BpfMaps.Declared<BpfKeyedMap<K, V>> = key(key).value(value)

/** [BpfMaps.hash] with a receiver block. */
public fun <K : Any, V : Any> declareHash(
    name: String,
    key: Codec<K>,
    value: Codec<V>,
    block: MapDeclarationScope.() -> Unit = {},
): BpfMaps.Declared<BpfHashMap<K, V>> = BpfMaps.hash(name, key, value) { it.run(block) }

/** [BpfMaps.perCpuHash] with a receiver block. */
public fun <K : Any, V : Any> declarePerCpuHash(
    name: String,
    key: Codec<K>,
    value: Codec<V>,
    block: MapDeclarationScope.() -> Unit = {},
): BpfMaps.Declared<BpfPerCpuHashMap<K, V>> = BpfMaps.perCpuHash(name, key, value) { it.run(block) }

/** [BpfMaps.array] with a receiver block. */
public fun <V : Any> declareArray(
    name: String,
    value: Codec<V>,
    block: MapDeclarationScope.() -> Unit = {},
): BpfMaps.Declared<BpfArrayMap<V>> = BpfMaps.array(name, value) { it.run(block) }

/** [BpfMaps.perCpuArray] with a receiver block. */
public fun <V : Any> declarePerCpuArray(
    name: String,
    value: Codec<V>,
    block: MapDeclarationScope.() -> Unit = {},
): BpfMaps.Declared<BpfPerCpuArrayMap<V>> = BpfMaps.perCpuArray(name, value) { it.run(block) }

/** [BpfMaps.queue] with a receiver block. */
public fun <V : Any> declareQueue(
    name: String,
    value: Codec<V>,
    block: MapDeclarationScope.() -> Unit = {},
): BpfMaps.Declared<BpfQueue<V>> = BpfMaps.queue(name, value) { it.run(block) }

/** [BpfMaps.stack] with a receiver block. */
public fun <V : Any> declareStack(
    name: String,
    value: Codec<V>,
    block: MapDeclarationScope.() -> Unit = {},
): BpfMaps.Declared<BpfStack<V>> = BpfMaps.stack(name, value) { it.run(block) }

/** [BpfMaps.ringBuf] with a receiver block; `maxEntries` is the buffer size in bytes. */
public fun <V : Any> declareRingBuf(
    name: String,
    value: Codec<V>,
    block: MapDeclarationScope.() -> Unit = {},
): BpfMaps.Declared<BpfRingBuf<V>> = BpfMaps.ringBuf(name, value) { it.run(block) }
