/**
 * The public runtime API: codecs, map specifications, loaded objects and typed map handles. Every
 * error is a {@link io.github.bpfmaps.errors.BpfException}.
 */
@NullMarked
package io.github.bpfmaps.runtime;

import org.jspecify.annotations.NullMarked;
