package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.annotations.BpfMap
import io.github.bpfmaps.annotations.CName
import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.annotations.NetworkOrder
import io.github.bpfmaps.annotations.Pinning
import io.github.bpfmaps.annotations.Unsigned
import io.github.bpfmaps.kotlin.entrySequence
import io.github.bpfmaps.kotlin.getOrElse

/**
 * `struct flow_key` of `flows.bpf.c`: addresses and ports in network byte order, as the packet
 * has them; Kotlin sees host values (10.0.0.1 is 0x0A000001). 13 bytes, 3 of tail padding.
 */
@CName("flow_key")
data class FlowKey(
    @NetworkOrder val saddr: Int,
    @NetworkOrder val daddr: Int,
    @NetworkOrder @Unsigned val sport: Short,
    @NetworkOrder @Unsigned val dport: Short,
    @Unsigned val proto: Byte,
) {
    override fun toString(): String =
        "${protoName(proto)} ${ipv4(saddr)}:${sport.toInt() and 0xffff} -> ${ipv4(daddr)}:${dport.toInt() and 0xffff}"

    companion object {
        const val TCP: Byte = 6
        const val UDP: Byte = 17

        /** A key from dotted addresses and port numbers. */
        fun of(proto: Byte, from: String, sport: Int, to: String, dport: Int) =
            FlowKey(ipv4(from), ipv4(to), sport.toShort(), dport.toShort(), proto)
    }
}

/** `struct flow_stats` of `flows.bpf.c`. */
@CName("flow_stats")
data class FlowStats(@Unsigned val packets: Long, @Unsigned val bytes: Long)

/** The `flows` map of `flows.bpf.c`: a HASH keyed by the flow, pinned by name. */
@BpfMap(name = "flows", type = MapType.HASH, maxEntries = 65536, pinning = Pinning.BY_NAME)
data class Flows(val key: FlowKey, val value: FlowStats)

/**
 * Reads the flow table and prints the busiest flows.
 *
 * Today [count] fills it from this process, as `xdp_flows` would; once objects load, the table is
 * the map of the loaded `flows.bpf.o` (`obj.map<FlowsMap>()`), filled by test-running its program
 * with packets, and [count] goes away.
 */
class FlowTable(private val flows: FlowsMap) {
    /** Adds one packet of [bytes] to [key]'s counters (one lookup, one update). */
    fun count(key: FlowKey, bytes: Long) {
        val old = flows.getOrElse(key) { FlowStats(0, 0) }
        flows[key] = FlowStats(old.packets + 1, old.bytes + bytes)
    }

    /** The [n] flows with the most bytes, busiest first. */
    fun top(n: Int): List<Pair<FlowKey, FlowStats>> =
        flows.entrySequence().sortedByDescending { (_, stats) -> stats.bytes }.take(n).toList()

    /** The busiest flows as a table. */
    fun table(n: Int = 10): String = buildString {
        appendLine("%-42s %8s %10s".format("flow", "packets", "bytes"))
        for ((key, stats) in top(n)) {
            appendLine("%-42s %8d %10d".format(key, stats.packets, stats.bytes))
        }
    }
}

/** Creates a `flows` map, counts a few packets of three flows and prints the table to [out]. */
fun runFlowTable(out: Appendable) {
    FlowsMap.create().use { flows ->
        val table = FlowTable(flows)
        val web = FlowKey.of(FlowKey.TCP, "10.0.0.1", 40000, "10.0.0.2", 443)
        val dns = FlowKey.of(FlowKey.UDP, "10.0.0.1", 53000, "10.0.0.53", 53)
        val ssh = FlowKey.of(FlowKey.TCP, "192.168.1.7", 50022, "10.0.0.2", 22)
        repeat(4) { table.count(web, 1500) }
        table.count(dns, 80)
        repeat(2) { table.count(ssh, 100) }
        out.append(table.table())
    }
}

fun main() = runFlowTable(System.out)

internal fun ipv4(dotted: String): Int =
    dotted.split('.').map(String::toInt).fold(0) { acc, octet -> (acc shl 8) or octet }

internal fun ipv4(addr: Int): String =
    (3 downTo 0).joinToString(".") { ((addr ushr (8 * it)) and 0xff).toString() }

private fun protoName(proto: Byte): String = when (proto) {
    FlowKey.TCP -> "tcp"
    FlowKey.UDP -> "udp"
    else -> "ip/$proto"
}
