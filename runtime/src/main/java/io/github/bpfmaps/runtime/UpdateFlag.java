package io.github.bpfmaps.runtime;

/** The kernel's update semantics for {@code BPF_MAP_UPDATE_ELEM} ({@code BPF_ANY} and friends). */
public enum UpdateFlag {
  /** Create the entry or replace it ({@code BPF_ANY}). */
  ANY(0),
  /** Create only; fails with {@code EEXIST} if the key is there ({@code BPF_NOEXIST}). */
  NOEXIST(1),
  /** Replace only; fails with {@code ENOENT} if the key is absent ({@code BPF_EXIST}). */
  EXIST(2),
  /** Update under the value's {@code bpf_spin_lock} ({@code BPF_F_LOCK}). */
  LOCK(4);

  private final int bits;

  UpdateFlag(int bits) {
    this.bits = bits;
  }

  /** The flag's value in {@code bpf_attr.flags}. */
  public int bits() {
    return bits;
  }
}
