/**
 * What a compiled BPF object declares, before any kernel is involved: map specs ({@link
 * io.github.bpfmaps.spec.MapSpec}, {@link io.github.bpfmaps.spec.ObjectMapSpec}), program specs
 * ({@link io.github.bpfmaps.spec.ProgramSpec}), global variables, the C layout of a record
 * ({@link io.github.bpfmaps.spec.Layout}), and the one comparison of a map with a spec ({@link
 * io.github.bpfmaps.spec.SpecComparison}) that reuse, bind and the annotation processor share.
 *
 * <p>No system call and no JNA: this package is read at compile time by the annotation processor
 * and the tools, and at run time by the runtime, which builds live maps and programs from it.
 */
@NullMarked
package io.github.bpfmaps.spec;

import org.jspecify.annotations.NullMarked;
