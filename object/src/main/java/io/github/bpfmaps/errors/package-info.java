/**
 * Every exception bpfmaps throws, in one place below all other packages: {@link
 * io.github.bpfmaps.errors.BpfException} and its subclasses, each naming the thing at fault (the
 * map, program, section, record component) and, for a refused system call, the errno by name with
 * what it means in that context ({@link io.github.bpfmaps.errors.Errno}). All are unchecked.
 *
 * <p>The package sits in {@code bpfmaps-object} so that the object reader (which reports malformed
 * objects), the runtime's system-call layer and its public API all throw the same types without
 * depending on each other.
 */
@NullMarked
package io.github.bpfmaps.errors;

import org.jspecify.annotations.NullMarked;
