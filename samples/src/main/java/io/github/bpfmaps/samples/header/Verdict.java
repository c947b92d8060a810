package io.github.bpfmaps.samples.header;

/** What the program did with the last packet of a key. */
public enum Verdict {
  /** {@code XDP_PASS}. */
  PASSED,
  /** {@code XDP_DROP}: the packet went to the discard port. */
  DROPPED
}
