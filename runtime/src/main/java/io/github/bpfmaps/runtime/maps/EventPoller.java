package io.github.bpfmaps.runtime.maps;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Something that waits up to a timeout for events and hands over what is there: the {@code poll}
 * method of a reader, as {@code ring::poll} ({@link BpfRingBuf}) or {@code perf::poll} ({@link
 * BpfPerfEventArray}). What {@link EventStreams} runs.
 *
 * @param <V> the event type
 */
@FunctionalInterface
public interface EventPoller<V> {
  /** Waits up to {@code timeout}, delivers the events that are there, returns how many. */
  int poll(Duration timeout, Consumer<V> action);
}
