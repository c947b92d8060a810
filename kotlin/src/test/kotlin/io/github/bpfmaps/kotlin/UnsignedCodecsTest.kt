package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.Codecs
import io.github.bpfmaps.runtime.KernelTests
import io.github.bpfmaps.spec.MapSpec
import io.github.bpfmaps.annotations.MapType
import java.nio.ByteBuffer
import java.nio.ByteOrder
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Kotlin's unsigned types as a whole key or value, through the declaration DSL and the kernel. */
class UnsignedCodecsTest {
    @Test
    fun codecsWriteTheBitsOfTheirSignedTwinsAndSayUnsigned() {
        // Each value is above its signed twin's maximum, so a sign slip would show.
        assertEquals(250.toUByte(), UByteCodec.fromBytes(byteArrayOf(-6)))
        assertEquals(65000.toUShort(), UShortCodec.fromBytes(Codecs.U16.toBytes(65000.toShort())))
        assertEquals(4_000_000_000u, UIntCodec.fromBytes(Codecs.U32.toBytes(-294_967_296)))
        assertEquals(ULong.MAX_VALUE, ULongCodec.fromBytes(Codecs.U64.toBytes(-1L)))
        assertEquals(listOf(1, 2, 4, 8), listOf(UByteCodec, UShortCodec, UIntCodec, ULongCodec).map { it.byteSize() })
        // bind compares these layouts with the object's BTF: __u8..__u64, the Java codecs' own.
        assertEquals(Codecs.U32.layout(), UIntCodec.layout())
        assertEquals(listOf("__u8", "__u16", "__u32", "__u64"),
            listOf(UByteCodec, UShortCodec, UIntCodec, ULongCodec).map { it.layout()!!.cName() })
    }

    @Test
    fun declaredSpecHasTheSizesOfTheJavaCodecs() {
        val declared = declareHash("ucounts", UIntCodec, ULongCodec) { maxEntries(16) }
        assertEquals(MapSpec.of("ucounts", MapType.HASH, 4, 8, 16, 0), declared.spec())
    }

    @Test
    fun hashOfUIntToULongRoundTripsAboveTheSignedRangeAndAgreesWithBpftool() {
        KernelTests.needBpftool()
        declareHash("kt_ucounts", UIntCodec, ULongCodec) { maxEntries(16) }.create().use { counts ->
            val entries = mapOf(
                4_000_000_000u to 18_000_000_000_000_000_000uL,
                UInt.MAX_VALUE to ULong.MAX_VALUE,
                7u to 5_000_000_000uL,
            )
            for ((k, v) in entries) counts[k] = v
            for ((k, v) in entries) assertEquals(v, counts[k])
            assertNull(counts[8u])
            assertTrue(7u in counts)
            assertTrue(8u !in counts)
            assertEquals(entries, counts.entrySequence().toMap())

            // The kernel's own view: bpftool prints the key and value bytes of the map (no BTF).
            @Suppress("UNCHECKED_CAST")
            val dump = KernelTests.bpftoolJson("map", "dump", "id", counts.id().toString()) as List<Map<String, Any>>
            val seen = dump.associate { e ->
                val key = ByteBuffer.wrap(KernelTests.hexBytes(e.getValue("key"))).order(ByteOrder.nativeOrder()).int.toUInt()
                val value = ByteBuffer.wrap(KernelTests.hexBytes(e.getValue("value"))).order(ByteOrder.nativeOrder()).long.toULong()
                key to value
            }
            assertEquals(entries, seen)
        }
    }

    @Test
    fun arrayOfUByteValuesReadsBackAbove127() {
        KernelTests.needBpf()
        declareArray("kt_uttl", UByteCodec) { maxEntries(4) }.create().use { ttls ->
            ttls[1] = 255.toUByte()
            assertEquals(255.toUByte(), ttls[1])
            assertEquals(0.toUByte(), ttls[0])
        }
    }
}
