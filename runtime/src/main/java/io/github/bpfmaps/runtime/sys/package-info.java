/**
 * Internal: the {@code bpf(2)} system call and the libc functions around it, bound through JNA direct
 * mapping; the {@code union bpf_attr} layouts ({@code include/uapi/linux/bpf.h}); errno names. Not a
 * stable API, except for the loader-facing wrappers in {@link io.github.bpfmaps.runtime.sys.BpfSys}.
 */
@NullMarked
package io.github.bpfmaps.runtime.sys;

import org.jspecify.annotations.NullMarked;
