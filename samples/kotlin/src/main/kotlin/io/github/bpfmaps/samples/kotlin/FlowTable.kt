package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.annotations.BpfMap
import io.github.bpfmaps.annotations.CName
import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.annotations.NetworkOrder
import io.github.bpfmaps.annotations.Pinning
import io.github.bpfmaps.kotlin.entrySequence
import io.github.bpfmaps.kotlin.loadWith
import io.github.bpfmaps.kotlin.map
import io.github.bpfmaps.runtime.Packets
import io.github.bpfmaps.samples.SampleObjects
import java.nio.file.Path

/**
 * `struct flow_key` of `flows.bpf.c` (`__be32 saddr, daddr; __be16 sport, dport; __u8 proto`):
 * addresses and ports in network byte order, as the packet has them; Kotlin sees host values in
 * its unsigned types (10.0.0.1 is 0x0A000001u, port 53000 is 53000u). 13 bytes, 3 of tail padding.
 */
@CName("flow_key")
data class FlowKey(
    @NetworkOrder val saddr: UInt,
    @NetworkOrder val daddr: UInt,
    @NetworkOrder val sport: UShort,
    @NetworkOrder val dport: UShort,
    val proto: UByte,
) {
    override fun toString(): String = "${protoName(proto)} ${ipv4(saddr)}:$sport -> ${ipv4(daddr)}:$dport"

    companion object {
        const val TCP: UByte = 6u
        const val UDP: UByte = 17u

        /** A key from dotted addresses and port numbers. */
        fun of(proto: UByte, from: String, sport: UShort, to: String, dport: UShort) =
            FlowKey(ipv4(from), ipv4(to), sport, dport, proto)
    }
}

/** `struct flow_stats` of `flows.bpf.c` (`__u64 packets, bytes`). */
@CName("flow_stats")
data class FlowStats(val packets: ULong, val bytes: ULong)

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
            // %s: a ULong is not a java.lang.Number, and its toString is the unsigned decimal.
            appendLine("%-42s %8s %10s".format(key, stats.packets, stats.bytes))
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
            // Packets is Java: it takes the same bits as Int (UShort.toInt() is 0..65535).
            val (saddr, daddr) = key.saddr.toInt() to key.daddr.toInt()
            val (sport, dport) = key.sport.toInt() to key.dport.toInt()
            val frame = if (key.proto.toInt() == Packets.TCP) {
                Packets.tcp(saddr, daddr, sport, dport, frameLength)
            } else {
                Packets.udp(saddr, daddr, sport, dport, frameLength)
            }
            repeat(times) { program.testRun(frame, 1) }
        }
        send(FlowKey.of(FlowKey.TCP, "10.0.0.1", 40000u, "10.0.0.2", 443u), 1500, times = 4)
        send(FlowKey.of(FlowKey.UDP, "10.0.0.1", 53000u, "10.0.0.53", 53u), 80)
        send(FlowKey.of(FlowKey.TCP, "192.168.1.7", 50022u, "10.0.0.2", 22u), 100, times = 2)
        obj.map<FlowsMap>().use { flows -> out.append(FlowTable(flows).table()) }
    }
}

fun main(args: Array<String>) = runFlowTable(System.out, Path.of(args.getOrElse(0) { "/sys/fs/bpf/bpfmaps_flows" }))

internal fun ipv4(dotted: String): UInt =
    dotted.split('.').map(String::toUInt).fold(0u) { acc, octet -> (acc shl 8) or octet }

internal fun ipv4(addr: UInt): String =
    (3 downTo 0).joinToString(".") { ((addr shr (8 * it)) and 0xffu).toString() }

private fun protoName(proto: UByte): String = when (proto) {
    FlowKey.TCP -> "tcp"
    FlowKey.UDP -> "udp"
    else -> "ip/$proto"
}
