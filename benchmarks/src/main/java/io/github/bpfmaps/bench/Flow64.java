package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * A 64-byte flow record as a tracing program would emit it: addresses and ports in network order,
 * counters, timestamps. Offsets: saddr 0, daddr 4, sport 8, dport 10, proto 12, flags 13, vlan 14,
 * packets 16, bytes 24, firstNs 32, lastNs 40, ifindex 48, mark 52, cpu 56, reserved 60.
 */
public record Flow64(
    @NetworkOrder int saddr,
    @NetworkOrder int daddr,
    @NetworkOrder short sport,
    @NetworkOrder short dport,
    byte proto,
    byte flags,
    @Unsigned short vlan,
    @Unsigned long packets,
    @Unsigned long bytes,
    @Unsigned long firstNs,
    @Unsigned long lastNs,
    int ifindex,
    @Unsigned int mark,
    int cpu,
    int reserved) {}
