/**
 * Records that are the single source of truth for {@code header_counter.bpf.c}: the processor writes
 * {@code io_github_bpfmaps_samples_header_maps.h} from them ({@code -Abpfmaps.header=true}), the C
 * includes a committed copy of it, and the processor checks the records against the compiled object
 * ({@code @BpfMap(object = "header_counter.bpf.o")}) on every build.
 */
@NullMarked
package io.github.bpfmaps.samples.header;

import org.jspecify.annotations.NullMarked;
