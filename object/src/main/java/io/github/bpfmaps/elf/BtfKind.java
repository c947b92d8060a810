package io.github.bpfmaps.elf;

/** The {@code BTF_KIND_*} values of {@code include/uapi/linux/btf.h}, in kernel order. */
public enum BtfKind {
  UNKN,
  INT,
  PTR,
  ARRAY,
  STRUCT,
  UNION,
  ENUM,
  FWD,
  TYPEDEF,
  VOLATILE,
  CONST,
  RESTRICT,
  FUNC,
  FUNC_PROTO,
  VAR,
  DATASEC,
  FLOAT,
  DECL_TAG,
  TYPE_TAG,
  ENUM64;

  private static final BtfKind[] BY_ID = values();

  /** The kind numbered {@code id}, or {@link #UNKN} for a number this reader does not know. */
  static BtfKind fromId(int id) {
    return id >= 1 && id < BY_ID.length ? BY_ID[id] : UNKN;
  }

  /** True for the kinds that only qualify or rename another type. */
  public boolean isModifier() {
    return this == TYPEDEF || this == VOLATILE || this == CONST || this == RESTRICT || this == TYPE_TAG;
  }
}
