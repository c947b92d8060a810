/**
 * Annotations that turn a map's record components into metrics: key components into tags ({@link
 * io.github.bpfmaps.annotations.metrics.Tag}), value components into counters, gauges and log2
 * histograms ({@link io.github.bpfmaps.annotations.metrics.Counter}, {@link
 * io.github.bpfmaps.annotations.metrics.Gauge}, {@link io.github.bpfmaps.annotations.metrics.Histogram},
 * {@link io.github.bpfmaps.annotations.metrics.Bucket}). They are kept at run time so that
 * {@code bpfmaps-micrometer} reads them from the record components by reflection; like the rest of
 * this module they need no dependency (so no JSpecify {@code @NullMarked} here: nothing is nullable).
 */
package io.github.bpfmaps.annotations.metrics;
