package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.runtime.KernelTests
import io.github.bpfmaps.runtime.NeedsBpf
import io.github.bpfmaps.runtime.maps.BpfHashMap
import java.nio.ByteBuffer
import java.nio.ByteOrder
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

class TallyTest {
    @Test
    fun unsignedPropertiesRoundTripAboveTheSignedRange() {
        // Every value is above its signed twin's maximum, so a sign slip would show.
        val tally = Tally(250u, 65000u, 4_000_000_000u, 18_000_000_000_000_000_000uL)
        val bytes = TallyCodec.INSTANCE.toBytes(tally)
        assertEquals(16, bytes.size)
        val buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder())
        assertEquals(250.toUByte(), buf.get(0).toUByte())
        assertEquals(65000.toUShort(), buf.getShort(2).toUShort())
        assertEquals(4_000_000_000u, buf.getInt(4).toUInt())
        assertEquals(18_000_000_000_000_000_000uL, buf.getLong(8).toULong())
        assertEquals(tally, TallyCodec.INSTANCE.fromBytes(bytes))
    }

    @Test
    fun layoutSaysTheMembersAreUnsigned() {
        // The layout is what bind compares with the object's BTF: __u8..__u64, not __s8..__s64.
        val fields = TallyCodec.LAYOUT.fields()
        assertEquals(listOf("last_ttl", "port", "packets", "bytes"), fields.map { it.cName() })
        assertEquals(listOf(0, 2, 4, 8), fields.map { it.offset() })
        assertEquals(listOf(false, false, false, false), fields.map { it.signed() })
    }

    @Test
    @NeedsBpf
    fun unsignedValuesSurviveAKernelArrayMap() {
        // The kernel stores the 16 bytes; reading them back must give the same unsigned values.
        val tally = Tally(255u, 65535u, UInt.MAX_VALUE, ULong.MAX_VALUE)
        TalliesMap.create().use { map ->
            map.setAt(2, tally)
            assertEquals(tally, map.getAt(2))
            assertEquals(Tally(0u, 0u, 0u, 0uL), map.getAt(1))
        }
    }

    @Test
    fun wholeUIntKeyAndULongValueRoundTripThroughAKernelHashAndAgreeWithBpftool() {
        KernelTests.needBpftool()
        val entries = mapOf(
            4_000_000_000u to ULong.MAX_VALUE,
            UInt.MAX_VALUE to 10_000_000_000_000_000_000uL,
            443u to 1500uL,
        )
        PortBytesMap.create().use { bytes ->
            // The handle takes Kotlin's types: no toInt(), no toLong().
            val typed: BpfHashMap<UInt, ULong> = bytes
            assertInstanceOf(BpfHashMap::class.java, typed)
            for ((port, n) in entries) bytes[port] = n
            for ((port, n) in entries) assertEquals(n, bytes[port])
            assertNull(bytes[80u])
            assertEquals(entries, bytes.associate { it.key to it.value })

            // The kernel's bytes, as bpftool dumps them (the map has no BTF): __u32 key, __u64 value.
            @Suppress("UNCHECKED_CAST")
            val dump = KernelTests.bpftoolJson("map", "dump", "id", bytes.id().toString()) as List<Map<String, Any>>
            val seen = dump.associate { e ->
                val k = ByteBuffer.wrap(KernelTests.hexBytes(e.getValue("key"))).order(ByteOrder.nativeOrder())
                val v = ByteBuffer.wrap(KernelTests.hexBytes(e.getValue("value"))).order(ByteOrder.nativeOrder())
                k.int.toUInt() to v.long.toULong()
            }
            assertEquals(entries, seen)
        }
    }
}
