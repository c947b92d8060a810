package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.annotations.BpfMap
import io.github.bpfmaps.annotations.CName
import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.annotations.metrics.Counter
import io.github.bpfmaps.annotations.metrics.Tag
import io.github.bpfmaps.kotlin.loadWith
import io.github.bpfmaps.kotlin.map
import io.github.bpfmaps.runtime.Packets
import io.github.bpfmaps.samples.SampleObjects

/**
 * `struct datarec` of `xdp_counter.bpf.c`: packets and bytes seen for one XDP action; as metrics
 * (`registry.bind(stats)`), the counters `xdp_packets_total` and `xdp_bytes_total`.
 */
@CName("datarec")
data class DataRec(
    @Counter("xdp.packets") val packets: ULong,
    @Counter("xdp", baseUnit = "bytes") val bytes: ULong,
) {
    companion object {
        val ZERO = DataRec(0u, 0u)
    }
}

/**
 * The `xdp_stats` map of `xdp_counter.bpf.c`: an ARRAY indexed by the XDP action. kapt runs the
 * bpfmaps processor over this data class and generates `XdpStatsMap` and `DataRecCodec`.
 */
@BpfMap(name = "xdp_stats", type = MapType.ARRAY, maxEntries = 10)
data class XdpStats(
    @Tag("action", names = ["XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"])
    val action: UInt,
    val rec: DataRec,
)

/** The XDP verdicts (`enum xdp_action` of `linux/bpf.h`), by their value. */
enum class XdpAction { ABORTED, DROP, PASS, TX, REDIRECT }

/** Reads and prints the per-action counters of an `xdp_stats` map. */
class XdpCounter(private val stats: XdpStatsMap) {
    /** The non-zero counters, by action. One batch read of the whole array. */
    fun snapshot(): Map<XdpAction, DataRec> =
        stats.toMap()
            .filter { (index, rec) -> index < XdpAction.entries.size && rec != DataRec.ZERO }
            .mapKeys { (index, _) -> XdpAction.entries[index] }

    /** The counters as a table, one line per action that saw packets. */
    fun table(): String = buildString {
        appendLine("%-10s %10s %12s".format("action", "packets", "bytes"))
        for ((action, rec) in snapshot()) {
            // %s: a ULong is not a java.lang.Number, and its toString is the unsigned decimal.
            appendLine("%-10s %10s %12s".format("XDP_$action", rec.packets, rec.bytes))
        }
    }
}

/**
 * Loads `xdp_counter.bpf.o`, sends [frameSizes] frames through its `xdp_count` program with
 * `BPF_PROG_TEST_RUN`, and prints the typed `xdp_stats` map to [out].
 */
fun runXdpCounter(out: Appendable, frameSizes: List<Int> = listOf(64, 64, 64, 1500)) {
    SampleObjects.open("xdp_counter").loadWith { logLevel(0) }.use { obj ->
        val program = obj.program("xdp_count")
        val src = Packets.ipv4(192, 0, 2, 1)
        val dst = Packets.ipv4(198, 51, 100, 7)
        for (size in frameSizes) {
            program.testRun(Packets.tcp(src, dst, 40000, 443, size), 1)
        }
        obj.map<XdpStatsMap>().use { stats -> out.append(XdpCounter(stats).table()) }
    }
}

fun main() = runXdpCounter(System.out)
