package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.annotations.BpfMap
import io.github.bpfmaps.annotations.CName
import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.annotations.Unsigned
import io.github.bpfmaps.kotlin.getOrElse
import io.github.bpfmaps.kotlin.plusAssign

/** `struct datarec` of `xdp_counter.bpf.c`: packets and bytes seen for one XDP action. */
@CName("datarec")
data class DataRec(@Unsigned val packets: Long, @Unsigned val bytes: Long) {
    operator fun plus(other: DataRec) = DataRec(packets + other.packets, bytes + other.bytes)

    companion object {
        val ZERO = DataRec(0, 0)
    }
}

/**
 * The `xdp_stats` map of `xdp_counter.bpf.c`: an ARRAY indexed by the XDP action. kapt runs the
 * bpfmaps processor over this data class and generates `XdpStatsMap` and `DataRecCodec`.
 */
@BpfMap(name = "xdp_stats", type = MapType.ARRAY, maxEntries = 10)
data class XdpStats(@Unsigned val action: Int, val rec: DataRec)

/** The XDP verdicts (`enum xdp_action` of `linux/bpf.h`), by their value. */
enum class XdpAction { ABORTED, DROP, PASS, TX, REDIRECT }

/**
 * Reads and prints the per-action counters of an `xdp_stats` map.
 *
 * Today the counts come from [count], which does in this process what `xdp_count` does in the
 * kernel. Once objects load, the same class reads the map of the loaded `xdp_counter.bpf.o`
 * (`obj.map<XdpStatsMap>()`) after its program ran (`testRun`), and [count] is no longer needed.
 */
class XdpCounter(private val stats: XdpStatsMap) {
    /** Adds one packet of [bytes] to [action], as `xdp_count` does (one lookup, one update). */
    fun count(action: XdpAction, bytes: Long) {
        // getOrElse and += take the generic BpfKeyedMap<Int, V> path: stats[i] is ambiguous in
        // Kotlin while BpfArrayMap also declares get(int)/set(int, V).
        val old = stats.getOrElse(action.ordinal) { DataRec.ZERO }
        stats += action.ordinal to old + DataRec(1, bytes)
    }

    /** The non-zero counters, by action. One batch read of the whole array. */
    fun snapshot(): Map<XdpAction, DataRec> =
        stats.toMap()
            .filter { (index, rec) -> index < XdpAction.entries.size && rec != DataRec.ZERO }
            .mapKeys { (index, _) -> XdpAction.entries[index] }

    /** The counters as a table, one line per action that saw packets. */
    fun table(): String = buildString {
        appendLine("%-10s %10s %12s".format("action", "packets", "bytes"))
        for ((action, rec) in snapshot()) {
            appendLine("%-10s %10d %12d".format("XDP_$action", rec.packets, rec.bytes))
        }
    }
}

/** Creates an `xdp_stats` map, counts a few packets into it and prints the table to [out]. */
fun runXdpCounter(out: Appendable) {
    XdpStatsMap.create().use { stats ->
        val counter = XdpCounter(stats)
        repeat(3) { counter.count(XdpAction.PASS, 64) }
        counter.count(XdpAction.DROP, 1500)
        out.append(counter.table())
    }
}

fun main() = runXdpCounter(System.out)
