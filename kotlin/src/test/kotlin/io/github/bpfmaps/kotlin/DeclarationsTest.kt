package io.github.bpfmaps.kotlin

import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.runtime.Bpf
import io.github.bpfmaps.runtime.NeedsBpf
import io.github.bpfmaps.runtime.Codecs
import io.github.bpfmaps.spec.MapSpec
import io.github.bpfmaps.runtime.maps.BpfDeletableMap
import io.github.bpfmaps.runtime.maps.BpfHashMap
import io.github.bpfmaps.runtime.maps.PerCpuValues
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The declaration DSL and the Kotlin conveniences, against the kernel. */
class DeclarationsTest {
    @Test
    fun declareMapBlockGivesTheSpecOfTheJavaBuilder() {
        val declared = declareMap("counts") { type(MapType.HASH); maxEntries(1024) }.of(Codecs.U32, Codecs.U64)
        assertEquals(MapSpec.of("counts", MapType.HASH, 4, 8, 1024, 0), declared.spec())
    }

    @Test
    @NeedsBpf
    fun hashMapReadsAndWritesWithKotlinOperators() {
        declareMap("counts") { type(MapType.HASH); maxEntries(1024) }.of(Codecs.U32, Codecs.U64).create().use { counts ->
            assertInstanceOf(BpfHashMap::class.java, counts)
            counts[1] = 10L
            counts += 2 to 20L
            assertEquals(10L, counts[1])
            assertTrue(2 in counts)
            assertTrue(3 !in counts)
            assertNull(counts[3])
            assertEquals(30L, counts.getOrElse(3) { 30L })
            assertEquals(40L, counts.getOrDefault(4, 40L))

            val seen = mutableMapOf<Int, Long>()
            for ((k, v) in counts) seen[k] = v
            assertEquals(mapOf(1 to 10L, 2 to 20L), seen)

            // declareMap's type is the common base (arrays have no delete); the hash handle deletes
            val deletable = counts as BpfDeletableMap<Int, Long>
            deletable -= 1
            assertNull(counts[1])
        }
    }

    @Test
    @NeedsBpf
    fun sequencesReadLazily() {
        declareHash("seq", Codecs.U32, Codecs.U64) { maxEntries(64) }.create().use { m ->
            for (i in 0 until 10) m[i] = i * 100L
            assertEquals(10, m.keySequence().count())
            assertEquals(4500L, m.valueSequence().sum())
            assertEquals(3, m.entrySequence().take(3).toList().size)
            assertEquals((0 until 10).associateWith { it * 100L }, m.entrySequence().toMap())
        }
    }

    @Test
    @NeedsBpf
    fun popSequenceDrainsAQueueInOrder() {
        declareQueue("q", Codecs.U64) { maxEntries(8) }.create().use { q ->
            listOf(3L, 1L, 2L).forEach(q::push)
            assertEquals(listOf(3L, 1L, 2L), q.popSequence().toList())
            assertNull(q.pop())
        }
    }

    @Test
    @NeedsBpf
    fun perCpuValuesDestructureAndSum() {
        declarePerCpuHash("pc", Codecs.U32, Codecs.U64) { maxEntries(4) }.create().use { pc ->
            val cpus = Bpf.possibleCpus()
            pc[0] = PerCpuValues.of((1..cpus).map { it.toLong() })
            val (first, second) = pc[0]!!
            assertEquals(1L, first)
            if (cpus > 1) assertEquals(2L, second)
            assertEquals(cpus.toLong() * (cpus + 1) / 2, pc[0]!!.sumOf { it })
        }
    }

    @Test
    fun typeOutsideTheFamilyIsRefusedBeforeAnySystemCall() {
        val e = org.junit.jupiter.api.assertThrows<IllegalArgumentException> {
            declareHash("h", Codecs.U32, Codecs.U64) { type(MapType.QUEUE) }
        }
        assertTrue("declared QUEUE" in e.message!!, e.message)
    }
}
