package io.github.bpfmaps.kotlin

import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.runtime.Bpf
import io.github.bpfmaps.runtime.BpfObject
import io.github.bpfmaps.runtime.Codecs
import io.github.bpfmaps.spec.MapSpec
import io.github.bpfmaps.runtime.maps.BpfRingBuf
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Path
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test

/** Flows over the samples' events.bpf.o: its XDP program puts one 16-byte record per run in a ring. */
class EventFlowsTest {
    private val spec = MapSpec.of("events", MapType.RINGBUF, 0, 0, 64 * 1024, 0)

    private fun objectPath(): Path {
        var dir: Path? = Path.of("").toAbsolutePath()
        while (dir != null && !Files.exists(dir.resolve("samples/src/main/bpf/events.bpf.o"))) {
            dir = dir.parent
        }
        return checkNotNull(dir) { "repository root not found" }.resolve("samples/src/main/bpf/events.bpf.o")
    }

    private fun seq(record: ByteArray): Long = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder()).getLong(0)

    @Test
    fun aFlowDeliversEventsInOrderAndClosesTheReaderItOpened() {
        assumeTrue(Bpf.available(), Bpf.unavailableReason())
        BpfObject.load(objectPath()).use { obj ->
            obj.program("xdp_events").testRun(ByteArray(64), 5)
            var opened: BpfRingBuf<ByteArray>? = null
            val flow = eventFlow({
                BpfRingBuf(obj.bindMap(spec, null, Codecs.bytes(16)), spec, Codecs.bytes(16)).also { opened = it }
            }) { timeout, action -> poll(timeout, action) }
            val got = runBlocking { withTimeout(10_000) { flow.take(5).toList() } }
            assertEquals(listOf(0L, 1L, 2L, 3L, 4L), got.map(::seq))
            assertTrue(opened!!.isClosed, "take(5) ended the collection, and the flow closed its ring")
        }
    }

    @Test
    fun cancellingAWaitingCollectionStopsWithinAPollAndCloses() {
        assumeTrue(Bpf.available(), Bpf.unavailableReason())
        BpfObject.load(objectPath()).use { obj ->
            var opened: BpfRingBuf<ByteArray>? = null
            val flow = eventFlow({
                BpfRingBuf(obj.bindMap(spec, null, Codecs.bytes(16)), spec, Codecs.bytes(16)).also { opened = it }
            }, pollTimeout = 50.milliseconds) { timeout, action -> poll(timeout, action) }
            val seen = ArrayList<Long>()
            runBlocking {
                val job = launch { flow.collect { seen.add(seq(it)) } }
                delay(200) // the ring is empty: the collection waits in poll
                val t0 = System.nanoTime()
                job.cancel()
                job.join()
                val ms = (System.nanoTime() - t0) / 1_000_000
                assertTrue(ms < 2_000, "cancelled after $ms ms")
            }
            assertEquals(emptyList<Long>(), seen)
            // the IO thread may finish its last poll just after join; closing follows it
            val deadline = System.nanoTime() + 2_000_000_000L
            while (!opened!!.isClosed && System.nanoTime() < deadline) Thread.sleep(10)
            assertTrue(opened!!.isClosed, "the ring the flow opened is closed")
        }
    }

    @Test
    fun aReadersFlowLeavesTheReaderOpen() {
        assumeTrue(Bpf.available(), Bpf.unavailableReason())
        BpfObject.load(objectPath()).use { obj ->
            BpfRingBuf(obj.bindMap(spec, null, Codecs.bytes(16)), spec, Codecs.bytes(16)).use { ring ->
                obj.program("xdp_events").testRun(ByteArray(64), 3)
                val got = runBlocking { withTimeout(10_000) { ring.asFlow().take(3).toList() } }
                assertEquals(listOf(0L, 1L, 2L), got.map(::seq))
                assertTrue(!ring.isClosed)
            }
        }
    }
}
