/** Typed handles, one per family of kernel map types. */
@NullMarked
package io.github.bpfmaps.runtime.maps;

import org.jspecify.annotations.NullMarked;
