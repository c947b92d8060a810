package io.github.bpfmaps.spec;

/**
 * A global variable of a data section, from the section's BTF {@code DATASEC}.
 *
 * @param name the C name
 * @param section the ELF section holding it ({@code .rodata}, {@code .data}, {@code .bss}, ...)
 * @param offset the byte offset in the section (and so in the value of its map)
 * @param size the size in bytes
 * @param btfTypeId the BTF id of the variable's type (not of the VAR)
 */
public record GlobalVariable(String name, String section, int offset, int size, int btfTypeId) {}
