package io.github.bpfmaps.samples.kotlin

import io.github.bpfmaps.annotations.BpfMap
import io.github.bpfmaps.annotations.MapType
import io.github.bpfmaps.annotations.metrics.Counter
import io.github.bpfmaps.annotations.metrics.Tag

/**
 * A per-port tally in Kotlin's own unsigned types: `UByte`..`ULong` are `__u8`..`__u64`, no
 * `@Unsigned` needed. C: `struct tally { __u8 last_ttl; __u16 port; __u32 packets; __u64 bytes; }`
 * (16 bytes: 1 byte of padding after `last_ttl`, none after `packets`).
 */
data class Tally(val lastTtl: UByte, val port: UShort, val packets: UInt, val bytes: ULong)

/** An ARRAY of [Tally] by slot; declared for its codec, which the tests round-trip. */
@BpfMap(type = MapType.ARRAY, maxEntries = 4)
data class Tallies(val slot: UInt, val value: Tally)

/**
 * Bytes by port, key and value both Kotlin unsigned scalars (`__u32` → `__u64`): the generated
 * `PortBytesMap` is a `BpfHashMap<UInt, ULong>` (through bpfmaps-kotlin's `UIntCodec` and
 * `ULongCodec`), so `bytes[4_000_000_000u] = ULong.MAX_VALUE` needs no conversion. As metrics
 * (`registry.bind(map)`): the counter `port_bytes_total`, tagged with the port.
 */
@BpfMap(type = MapType.HASH, maxEntries = 64)
data class PortBytes(@Tag("port") val port: UInt, @Counter("port.bytes", baseUnit = "bytes") val bytes: ULong)
