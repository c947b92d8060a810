package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.annotations.BpfMap
import io.github.bpfmaps.annotations.CName
import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.annotations.NetworkOrder
import io.github.bpfmaps.annotations.Pinning
import io.github.bpfmaps.annotations.Unsigned
import io.github.bpfmaps.kotlin.entrySequence
import io.github.bpfmaps.kotlin.loadWith
import io.github.bpfmaps.kotlin.map
import io.github.bpfmaps.runtime.Packets
import io.github.bpfmaps.samples.SampleObjects
import java.nio.file.Path

/**
 * `struct flow_key` of `flows.bpf.c`: addresses and ports in network byte order, as the packet
 * has them; Kotlin sees host values (10.0.0.1 is 0x0A000001). 13 bytes, 3 of tail padding.
 */
@CName("flow_key")
data class FlowKey(
    @NetworkOrder @Unsigned val saddr: Int,
    @NetworkOrder @Unsigned val daddr: Int,
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

/** Reads the flow table and prints the busiest flows. */
class FlowTable(private val flows: FlowsMap) {
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

/**
 * Loads `flows.bpf.o` with its `flows` map pinned by name under [pinRoot], sends packets of three
 * flows through `xdp_flows` with `BPF_PROG_TEST_RUN`, and prints the table to [out]. A second run
 * with the same pin root reuses the pinned map and adds to it.
 */
fun runFlowTable(out: Appendable, pinRoot: Path) {
    SampleObjects.open("flows").loadWith { pinRoot(pinRoot) }.use { obj ->
        val program = obj.program("xdp_flows")
        fun send(key: FlowKey, frameLength: Int, times: Int = 1) {
            val proto = key.proto.toInt()
            val sport = key.sport.toInt() and 0xffff
            val dport = key.dport.toInt() and 0xffff
            val frame = if (proto == Packets.TCP) {
                Packets.tcp(key.saddr, key.daddr, sport, dport, frameLength)
            } else {
                Packets.udp(key.saddr, key.daddr, sport, dport, frameLength)
            }
            repeat(times) { program.testRun(frame, 1) }
        }
        send(FlowKey.of(FlowKey.TCP, "10.0.0.1", 40000, "10.0.0.2", 443), 1500, times = 4)
        send(FlowKey.of(FlowKey.UDP, "10.0.0.1", 53000, "10.0.0.53", 53), 80)
        send(FlowKey.of(FlowKey.TCP, "192.168.1.7", 50022, "10.0.0.2", 22), 100, times = 2)
        obj.map<FlowsMap>().use { flows -> out.append(FlowTable(flows).table()) }
    }
}

fun main(args: Array<String>) = runFlowTable(System.out, Path.of(args.getOrElse(0) { "/sys/fs/bpf/bpfmaps_flows" }))

internal fun ipv4(dotted: String): Int =
    dotted.split('.').map(String::toInt).fold(0) { acc, octet -> (acc shl 8) or octet }

internal fun ipv4(addr: Int): String =
    (3 downTo 0).joinToString(".") { ((addr ushr (8 * it)) and 0xff).toString() }

private fun protoName(proto: Byte): String = when (proto) {
    FlowKey.TCP -> "tcp"
    FlowKey.UDP -> "udp"
    else -> "ip/$proto"
}
