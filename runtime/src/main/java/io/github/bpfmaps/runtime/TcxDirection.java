package io.github.bpfmaps.runtime;

/** Which way a tcx program sees packets ({@code BPF_TCX_INGRESS} / {@code BPF_TCX_EGRESS}, Linux 6.6). */
public enum TcxDirection {
  /** Packets the interface receives. */
  INGRESS,
  /** Packets the interface sends. */
  EGRESS
}
