package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.maps.BpfDeletableMap
import io.github.bpfmaps.runtime.maps.BpfKeyedMap
import io.github.bpfmaps.runtime.maps.BpfPushPopMap

/**
 * The value at [key], or [defaultValue] when the map has none; one lookup system call.
 * (`map[key]` is already typed `V?`; this is the `Map.getOrElse` of the standard library.)
 */
public inline fun <K : Any, V : Any> BpfKeyedMap<K, V>.getOrElse(key: K, defaultValue: () -> V): V =
    get(key) ?: defaultValue()

/** The value at [key], or [defaultValue]; one lookup system call. */
public fun <K : Any, V : Any> BpfKeyedMap<K, V>.getOrDefault(key: K, defaultValue: V): V =
    get(key) ?: defaultValue

/** `map += key to value`: stores the value, as [BpfKeyedMap.set]. */
public operator fun <K : Any, V : Any> BpfKeyedMap<K, V>.plusAssign(entry: Pair<K, V>) {
    set(entry.first, entry.second)
}

/**
 * `map -= key`: removes the entry if present, as [BpfDeletableMap.remove]. Arrays are not
 * [BpfDeletableMap]s (their entries cannot be deleted), so `array -= i` does not compile.
 */
public operator fun <K : Any, V : Any> BpfDeletableMap<K, V>.minusAssign(key: K) {
    remove(key)
}

/**
 * The entries as a lazy [Sequence] of pairs over the next-key walk of [BpfKeyedMap.iterator]: each
 * step is one `GET_NEXT_KEY` and one lookup system call, so `take(10)` reads ten entries, not the
 * whole map. Under concurrent change, as the iterator: entries that other writers add or remove
 * meanwhile may or may not be seen, and after a concurrent delete entries may repeat. For each
 * entry exactly once, read with [BpfKeyedMap.forEachEntry] or [BpfKeyedMap.toMap].
 */
public fun <K : Any, V : Any> BpfKeyedMap<K, V>.entrySequence(): Sequence<Pair<K, V>> =
    Sequence { iterator() }.map { it.key to it.value }

/** The keys as a lazy [Sequence]; see [entrySequence] for what each step costs. */
public fun <K : Any, V : Any> BpfKeyedMap<K, V>.keySequence(): Sequence<K> =
    Sequence { iterator() }.map { it.key }

/** The values as a lazy [Sequence]; see [entrySequence] for what each step costs. */
public fun <K : Any, V : Any> BpfKeyedMap<K, V>.valueSequence(): Sequence<V> =
    Sequence { iterator() }.map { it.value }

/**
 * Pops values while there are any, lazily: one `LOOKUP_AND_DELETE` system call per value; the
 * sequence ends when the queue or stack is empty. It can be iterated once per drain.
 */
public fun <V : Any> BpfPushPopMap<V>.popSequence(): Sequence<V> = generateSequence { pop() }
