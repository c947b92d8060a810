/** Command-line tools: {@code gen} writes Java records from a BPF object's BTF. */
@NullMarked
package io.github.bpfmaps.tools;

import org.jspecify.annotations.NullMarked;
