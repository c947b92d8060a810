package io.github.bpfmaps.runtime;

/**
 * Where an XDP program runs ({@code XDP_FLAGS_*_MODE} of {@code include/uapi/linux/if_link.h}).
 * {@link BpfProgram#attachXdp(String)} without a mode tries {@link #DRIVER} and falls back to
 * {@link #GENERIC}; {@link BpfLink#xdpMode()} says which it got.
 */
public enum XdpMode {
  /** In the network stack after the socket buffer is built ({@code XDP_FLAGS_SKB_MODE}): any device, slowest. */
  GENERIC,
  /** In the driver, before any allocation ({@code XDP_FLAGS_DRV_MODE}): needs driver support (veth has it). */
  DRIVER,
  /** On the NIC itself ({@code XDP_FLAGS_HW_MODE}): needs an offload-capable NIC and a program loaded for it. */
  OFFLOAD
}
