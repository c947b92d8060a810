package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.runtime.Bpf
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

class XdpCounterTest {
    @BeforeEach
    fun needBpf() = assumeTrue(Bpf.available(), Bpf.unavailableReason())

    @Test
    fun sampleCountsPerActionAndPrintsTheTable() {
        val out = StringBuilder()
        runXdpCounter(out)
        assertEquals(
            listOf(
                "action        packets        bytes",
                "XDP_DROP            1         1500",
                "XDP_PASS            3          192",
            ),
            out.lines().filter { it.isNotEmpty() },
        )
    }

    @Test
    fun countersLandInTheArraySlotOfTheAction() {
        XdpStatsMap.create().use { stats ->
            val counter = XdpCounter(stats)
            counter.count(XdpAction.TX, 100)
            counter.count(XdpAction.TX, 20)
            assertEquals(DataRec(2, 120), stats.toMap()[XdpAction.TX.ordinal])
            assertEquals(mapOf(XdpAction.TX to DataRec(2, 120)), counter.snapshot())
            assertEquals(10, stats.length())
        }
    }
}
