package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.runtime.NeedsBpf
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.AfterEach
import java.nio.file.Files
import java.nio.file.Path
import org.junit.jupiter.api.Test

@NeedsBpf
class FlowTableTest {
    private val pinRoot: Path = Path.of("/sys/fs/bpf/bpfmaps_kt_flows_" + ProcessHandle.current().pid())

    @AfterEach
    fun unpin() {
        Files.deleteIfExists(pinRoot.resolve("flows"))
        Files.deleteIfExists(pinRoot)
    }

    @Test
    fun samplePrintsFlowsBusiestFirst() {
        val out = StringBuilder()
        runFlowTable(out, pinRoot)
        val lines = out.lines().filter { it.isNotEmpty() }
        assertEquals(4, lines.size, out.toString())
        assertEquals(listOf("tcp", "tcp", "udp"), lines.drop(1).map { it.substringBefore(' ') })
        assertEquals("tcp 10.0.0.1:40000 -> 10.0.0.2:443", lines[1].substring(0, 42).trim())
        assertEquals(listOf("4", "6000"), lines[1].substring(42).trim().split(Regex(" +")))
        assertEquals("udp 10.0.0.1:53000 -> 10.0.0.53:53", lines[3].substring(0, 42).trim())
    }

    @Test
    fun secondRunReusesThePinnedMapAndAddsToIt() {
        runFlowTable(StringBuilder(), pinRoot)
        assertTrue(Files.exists(pinRoot.resolve("flows")), "flows is pinned by name under the pin root")
        val out = StringBuilder()
        runFlowTable(out, pinRoot)
        val web = out.lines()[1]
        assertEquals(listOf("8", "12000"), web.substring(42).trim().split(Regex(" +")), out.toString())
        FlowsMap.openPinned(pinRoot.resolve("flows")).use { flows ->
            val key = FlowKey.of(FlowKey.UDP, "10.0.0.1", 53000u, "10.0.0.53", 53u)
            assertEquals(FlowStats(2u, 160u), flows[key])
        }
    }

    @Test
    fun keyIsEncodedAsTheCStructWithPortsInNetworkOrder() {
        val key = FlowKey.of(FlowKey.TCP, "10.0.0.1", 0x1F90u, "10.0.0.2", 443u)
        val bytes = FlowKeyCodec.INSTANCE.toBytes(key)
        assertArrayEquals(
            byteArrayOf(10, 0, 0, 1, 10, 0, 0, 2, 0x1F, 0x90.toByte(), 0x01, 0xBB.toByte(), 6, 0, 0, 0),
            bytes,
        )
        assertEquals(key, FlowKeyCodec.INSTANCE.fromBytes(bytes))
    }
}
