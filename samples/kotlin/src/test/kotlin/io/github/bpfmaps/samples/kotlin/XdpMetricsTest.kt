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

    @Test
    fun wholeUnsignedKeyAndValueAreTaggedAndCountedAsUnsignedNumbers() {
        assumeTrue(Bpf.available(), Bpf.unavailableReason())
        val registry = SimpleMeterRegistry()
        PortBytesMap.create().use { bytes ->
            // Both above their signed twins' range: a sign slip would give a negative tag or count.
            bytes[4_000_000_000u] = 10_000_000_000_000_000_000uL
            bytes[443u] = 1500uL
            registry.bind(bytes).use { meters ->
                meters.refresh()
                val big = registry.get("port.bytes").tags("port", "4000000000").functionCounter()
                assertEquals(1.0e19, big.count())
                assertEquals(1500.0, registry.get("port.bytes").tags("port", "443").functionCounter().count())
            }
        }
    }
}
