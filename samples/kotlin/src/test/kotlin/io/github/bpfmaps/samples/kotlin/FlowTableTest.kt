package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.runtime.Bpf
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test

class FlowTableTest {
    private fun needBpf() = assumeTrue(Bpf.available(), Bpf.unavailableReason())

    @Test
    fun samplePrintsFlowsBusiestFirst() {
        needBpf()
        val out = StringBuilder()
        runFlowTable(out)
        val lines = out.lines().filter { it.isNotEmpty() }
        assertEquals(4, lines.size, out.toString())
        assertEquals(listOf("tcp", "tcp", "udp"), lines.drop(1).map { it.substringBefore(' ') })
        assertEquals("tcp 10.0.0.1:40000 -> 10.0.0.2:443", lines[1].substring(0, 42).trim())
        assertEquals(listOf("4", "6000"), lines[1].substring(42).trim().split(Regex(" +")))
        assertEquals("udp 10.0.0.1:53000 -> 10.0.0.53:53", lines[3].substring(0, 42).trim())
    }

    @Test
    fun flowTableAddsUpPacketsPerKey() {
        needBpf()
        FlowsMap.create().use { flows ->
            val table = FlowTable(flows)
            val key = FlowKey.of(FlowKey.UDP, "172.16.0.1", 65535, "172.16.0.2", 4789)
            table.count(key, 50)
            table.count(key, 70)
            assertEquals(FlowStats(2, 120), flows[key])
            assertEquals(listOf(key to FlowStats(2, 120)), table.top(5))
        }
    }

    @Test
    fun keyIsEncodedAsTheCStructWithPortsInNetworkOrder() {
        val key = FlowKey.of(FlowKey.TCP, "10.0.0.1", 0x1F90, "10.0.0.2", 443)
        val bytes = FlowKeyCodec.INSTANCE.toBytes(key)
        assertArrayEquals(
            byteArrayOf(10, 0, 0, 1, 10, 0, 0, 2, 0x1F, 0x90.toByte(), 0x01, 0xBB.toByte(), 6, 0, 0, 0),
            bytes,
        )
        assertEquals(key, FlowKeyCodec.INSTANCE.fromBytes(bytes))
    }
}
