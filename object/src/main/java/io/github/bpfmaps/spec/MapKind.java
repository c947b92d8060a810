package io.github.bpfmaps.spec;

/** Where in a compiled object a map was declared. */
public enum MapKind {
  /** A BTF-defined map: a variable in the {@code .maps} section, described by {@code .BTF}. */
  BTF,
  /** A {@code struct bpf_map_def} (or iproute2's {@code struct bpf_elf_map}) in the {@code maps} section. */
  LEGACY,
  /**
   * A global-data section ({@code .data}, {@code .rodata}, {@code .bss}, {@code .data.*}, {@code
   * .rodata.*}) that becomes a one-element ARRAY map, as libbpf makes it.
   */
  GLOBAL_DATA
}
