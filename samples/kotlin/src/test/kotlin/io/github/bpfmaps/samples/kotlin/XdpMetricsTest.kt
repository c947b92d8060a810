package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.kotlin.bind
import io.github.bpfmaps.runtime.Bpf
import io.github.bpfmaps.runtime.Packets
import io.github.bpfmaps.samples.SampleObjects
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test

class XdpMetricsTest {
    @Test
    fun dataClassAnnotationsBecomeMetersThroughRegistryBind() {
        assumeTrue(Bpf.available(), Bpf.unavailableReason())
        val registry = SimpleMeterRegistry()
        SampleObjects.open("xdp_counter").load().use { obj ->
            XdpStatsMap.bind(obj).use { stats ->
                registry.bind(stats).use { meters ->
                    val src = Packets.ipv4(192, 0, 2, 1)
                    val dst = Packets.ipv4(198, 51, 100, 7)
                    for (size in listOf(60, 100, 1514)) {
                        obj.program("xdp_count").testRun(Packets.tcp(src, dst, 40000, 443, size), 1)
                    }
                    meters.refresh()
                    val pass = registry.get("xdp.packets").tags("action", "XDP_PASS").functionCounter()
                    assertEquals(3.0, pass.count())
                    assertEquals(1674.0, registry.get("xdp").tags("action", "XDP_PASS").functionCounter().count())
                }
            }
        }
    }
}
