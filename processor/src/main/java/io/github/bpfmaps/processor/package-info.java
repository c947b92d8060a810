/**
 * The bpfmaps annotation processor: {@link io.github.bpfmaps.processor.BpfMapProcessor} turns
 * {@code @BpfMap} records into typed map handles and byte-exact codecs. Put the processor on the
 * annotation processor path and the runtime on the class path of the code it generates.
 */
@NullMarked
package io.github.bpfmaps.processor;

import org.jspecify.annotations.NullMarked;
