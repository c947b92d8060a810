package io.github.bpfmaps.annotations;

/** How a map is pinned in bpffs, as libbpf's {@code LIBBPF_PIN_*}. */
public enum Pinning {
  /** Not pinned: the map lives as long as a file descriptor or a program holds it. */
  NONE,
  /**
   * Pinned under the pin root by its name ({@code LIBBPF_PIN_BY_NAME}): an existing compatible pin
   * is reused, an incompatible one is refused.
   */
  BY_NAME
}
