/**
 * Typed BPF maps as Micrometer meters: {@link io.github.bpfmaps.micrometer.BpfMetrics#bind} reads the
 * metric annotations of a map's record ({@code io.github.bpfmaps.annotations.metrics}) and registers
 * counters, gauges and log2 histograms whose values are read from the map at scrape time, in
 * batches; {@link io.github.bpfmaps.micrometer.BpfMetrics#bindPrograms} exports the kernel's run
 * count and run time of programs.
 */
@NullMarked
package io.github.bpfmaps.micrometer;

import org.jspecify.annotations.NullMarked;
