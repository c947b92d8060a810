package io.github.bpfmaps.kotlin

import io.github.bpfmaps.micrometer.BpfMeterBinder
import io.github.bpfmaps.micrometer.BpfMetrics
import io.github.bpfmaps.runtime.maps.BpfKeyedMap
import io.micrometer.core.instrument.MeterRegistry
import kotlin.reflect.KClass

/**
 * Binds [map]'s meters (declared by the metric annotations of its `@BpfMap` data class or record,
 * found from the generated handle's name) to this registry: `registry.bind(stats).use { ... }`.
 * Needs `bpfmaps-micrometer` on the class path (an optional dependency of this module). Reads the
 * map once now, then at scrape time; see [BpfMetrics.bind].
 */
public fun MeterRegistry.bind(map: BpfKeyedMap<*, *>): BpfMeterBinder = BpfMetrics.bind(this, map)

/** As [bind], with the entry class given and options set in a block: `registry.bind(m, Flows::class) { maxSeries(500) }`. */
public fun MeterRegistry.bind(
    map: BpfKeyedMap<*, *>,
    entry: KClass<*>,
    options: BpfMetrics.Options.() -> Unit = {},
): BpfMeterBinder = BpfMetrics.bind(this, map, entry.java) { it.options() }
