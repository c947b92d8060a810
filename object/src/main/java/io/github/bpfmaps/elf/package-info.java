/**
 * Reading compiled BPF objects without the kernel: the ELF container ({@link
 * io.github.bpfmaps.elf.ElfFile}), BTF ({@link io.github.bpfmaps.elf.Btf}) and
 * {@code .BTF.ext} ({@link io.github.bpfmaps.elf.BtfExt}), the map and program definitions
 * they hold ({@link io.github.bpfmaps.elf.ObjectParser}), and the pure relocation step
 * that turns a program into the instructions the kernel loads ({@link
 * io.github.bpfmaps.elf.ProgramLinker}). No system calls and no JNA here: the annotation
 * processor uses the BTF reader at compile time.
 *
 * <p>Every malformed input is reported as a {@link
 * io.github.bpfmaps.errors.BpfObjectFormatException} naming the file and section; reads are
 * bounds-checked and every count is bounded by the bytes that hold it, so no input allocates more
 * than a small multiple of its own size.
 */
@NullMarked
package io.github.bpfmaps.elf;

import org.jspecify.annotations.NullMarked;
