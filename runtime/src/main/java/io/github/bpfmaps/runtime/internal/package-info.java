/**
 * Internal: what the code the bpfmaps processor generates calls at run time. Public only because
 * generated classes live in the users' packages; for generated code only, with no compatibility
 * promise between releases (the processor and the runtime are released together). Do not call it
 * from hand-written code.
 */
@NullMarked
package io.github.bpfmaps.runtime.internal;

import org.jspecify.annotations.NullMarked;
