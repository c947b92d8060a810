/**
 * The kernel's per-map-type rules, applied to the model so that maps the kernel would refuse are
 * compile errors. Problems name a site of the declaration; the processor turns them into messages.
 */
@NullMarked
package io.github.bpfmaps.processor.check;

import org.jspecify.annotations.NullMarked;
