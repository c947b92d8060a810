package io.github.bpfmaps.kotlin

import io.github.bpfmaps.runtime.maps.BpfPerfEventArray
import io.github.bpfmaps.runtime.maps.BpfRingBuf
import java.util.function.Consumer
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.toJavaDuration
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOn

/**
 * How long one blocking read waits before the flow checks for cancellation: the longest a
 * cancelled collection keeps a thread of [Dispatchers.IO].
 */
public val DEFAULT_EVENT_POLL: Duration = 100.milliseconds

/**
 * The events of a reader that [open] opens when the flow is collected and that is closed when the
 * collection ends: completed, cancelled or failed. Reads run on [Dispatchers.IO], each waiting at
 * most [pollTimeout]; the collector's pace sets the reading pace (a rendezvous hand-over, so at
 * most one read's events are held), and what the kernel ring cannot hold meanwhile is dropped and
 * counted by the kernel, not buffered in the JVM.
 *
 * ```
 * eventFlow({ PerfEventsMap.bind(obj).open() }) { timeout, action -> poll(timeout, action) }
 *     .collect { println(it) }
 * ```
 */
public fun <H : AutoCloseable, V : Any> eventFlow(
    open: () -> H,
    pollTimeout: Duration = DEFAULT_EVENT_POLL,
    poll: H.(java.time.Duration, Consumer<V>) -> Int,
): Flow<V> =
    flow {
        open().use { handle -> pollLoop(pollTimeout) { timeout, action -> handle.poll(timeout, action) } }
    }.buffer(Channel.RENDEZVOUS).flowOn(Dispatchers.IO)

/**
 * This perf event reader's events (it must be [open][BpfPerfEventArray.open]ed). The flow does
 * not close the reader; use [eventFlow] for a flow that owns it.
 */
public fun <V : Any> BpfPerfEventArray<V>.asFlow(pollTimeout: Duration = DEFAULT_EVENT_POLL): Flow<V> =
    flow { pollLoop<V>(pollTimeout) { timeout, action -> poll(timeout, action) } }
        .buffer(Channel.RENDEZVOUS).flowOn(Dispatchers.IO)

/** This ring buffer's records. The flow does not close the ring; use [eventFlow] for that. */
public fun <V : Any> BpfRingBuf<V>.asFlow(pollTimeout: Duration = DEFAULT_EVENT_POLL): Flow<V> =
    flow { pollLoop<V>(pollTimeout) { timeout, action -> poll(timeout, action) } }
        .buffer(Channel.RENDEZVOUS).flowOn(Dispatchers.IO)

private suspend fun <V : Any> FlowCollector<V>.pollLoop(
    pollTimeout: Duration,
    poll: (java.time.Duration, Consumer<V>) -> Int,
) {
    val timeout = pollTimeout.toJavaDuration()
    val batch = ArrayList<V>()
    val add = Consumer<V> { batch.add(it) }
    while (true) {
        currentCoroutineContext().ensureActive()
        batch.clear()
        poll(timeout, add)
        for (v in batch) {
            emit(v)
        }
    }
}
