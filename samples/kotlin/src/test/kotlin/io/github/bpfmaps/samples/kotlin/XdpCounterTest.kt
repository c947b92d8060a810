package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.runtime.NeedsBpf
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

@NeedsBpf
class XdpCounterTest {
    @Test
    fun sampleCountsTheFramesTheProgramSawAndPrintsTheTable() {
        val out = StringBuilder()
        runXdpCounter(out)
        assertEquals(
            listOf(
                "action        packets        bytes",
                "XDP_PASS            4         1692",
            ),
            out.lines().filter { it.isNotEmpty() },
        )
    }

    @Test
    fun bytesAreTheFrameLengthsTheKernelCounted() {
        val out = StringBuilder()
        runXdpCounter(out, frameSizes = listOf(60, 1514))
        assertEquals("XDP_PASS            2         1574", out.lines()[1])
    }
}
