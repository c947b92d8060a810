package io.github.bpfmaps.spec;

import org.jspecify.annotations.Nullable;

/**
 * A program as a compiled object declares it, before loading: its function name, the ELF section
 * it lives in, the program type and expected attach type the section name implies (the way libbpf
 * reads {@code SEC()} names), the object's license and its own instructions (subprograms it calls
 * are appended when it is linked).
 *
 * @param name the function symbol (the kernel keeps the first 15 bytes)
 * @param section the ELF section, e.g. {@code xdp} or {@code kprobe/do_sys_open}
 * @param type the program type; {@link ProgramType#UNSPEC} when the section name is not one
 *     libbpf knows (loading then needs an explicit type)
 * @param attachType the expected attach type the section implies, or null for none
 * @param attachTarget what the section names after its prefix ({@code do_sys_open} in {@code
 *     kprobe/do_sys_open}); empty if nothing
 * @param license the object's {@code license} section, e.g. {@code GPL}; empty if none
 * @param kernelVersion the object's {@code version} section, or 0
 * @param instructionCount the number of 8-byte instructions of this function alone
 */
public record ProgramSpec(
    String name,
    String section,
    ProgramType type,
    @Nullable AttachType attachType,
    String attachTarget,
    String license,
    int kernelVersion,
    int instructionCount) {}
