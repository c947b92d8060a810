package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.maps.BpfArrayMap
import io.github.bpfmaps.runtime.maps.BpfKeyedMap
import io.github.bpfmaps.runtime.maps.BpfPerCpuArrayMap
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
 * `map -= key`: removes the entry if present, as [BpfKeyedMap.remove]. Not for arrays, whose
 * entries cannot be deleted: `array -= i` is a compile error (the overloads below).
 */
public operator fun <K : Any, V : Any> BpfKeyedMap<K, V>.minusAssign(key: K) {
    remove(key)
}

/** Arrays have no `-=`: their entries cannot be deleted ([BpfArrayMap.remove] always throws). */
@Deprecated(ARRAY_NO_REMOVE, level = DeprecationLevel.ERROR)
public operator fun <V : Any> BpfArrayMap<V>.minusAssign(index: Int) {
    @Suppress("DEPRECATION")
    remove(index)
}

/** Per-CPU arrays have no `-=` either; see the [BpfArrayMap] overload. */
@Deprecated(ARRAY_NO_REMOVE, level = DeprecationLevel.ERROR)
public operator fun <V : Any> BpfPerCpuArrayMap<V>.minusAssign(index: Int) {
    @Suppress("DEPRECATION")
    remove(index)
}

private const val ARRAY_NO_REMOVE =
    "array entries cannot be deleted; write a value at the index, or clear() to write zeros everywhere"

/**
 * The entries as a lazy [Sequence] of pairs: each step is one `GET_NEXT_KEY` and one lookup system
 * call, so `take(10)` reads ten entries, not the whole map. Entries that other writers add or remove
 * meanwhile may or may not be seen, as with the iterator.
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
