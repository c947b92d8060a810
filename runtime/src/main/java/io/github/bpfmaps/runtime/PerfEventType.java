package io.github.bpfmaps.runtime;

/**
 * The sampling events {@link BpfProgram#attachPerfEvent} can fire a {@code perf_event} program on:
 * software clocks that every kernel has, and hardware counters a PMU may offer ({@code
 * perf_type_id} and {@code perf_sw_ids}/{@code perf_hw_id} of {@code include/uapi/linux/perf_event.h}).
 * Virtual machines often have no hardware PMU; there the hardware events fail with ENOENT.
 */
public enum PerfEventType {
  /** {@code PERF_COUNT_SW_CPU_CLOCK}: a per-CPU timer; the usual profiler clock. */
  CPU_CLOCK(1, 0),
  /** {@code PERF_COUNT_SW_TASK_CLOCK}: time a task runs. */
  TASK_CLOCK(1, 1),
  /** {@code PERF_COUNT_SW_PAGE_FAULTS}. */
  PAGE_FAULTS(1, 2),
  /** {@code PERF_COUNT_SW_CONTEXT_SWITCHES}. */
  CONTEXT_SWITCHES(1, 3),
  /** {@code PERF_COUNT_HW_CPU_CYCLES} (hardware PMU). */
  CPU_CYCLES(0, 0),
  /** {@code PERF_COUNT_HW_INSTRUCTIONS} (hardware PMU). */
  INSTRUCTIONS(0, 1),
  /** {@code PERF_COUNT_HW_CACHE_MISSES} (hardware PMU). */
  CACHE_MISSES(0, 3),
  /** {@code PERF_COUNT_HW_BRANCH_MISSES} (hardware PMU). */
  BRANCH_MISSES(0, 5);

  private final int type;
  private final long config;

  PerfEventType(int type, long config) {
    this.type = type;
    this.config = config;
  }

  /** {@code perf_event_attr.type}: 0 hardware, 1 software. */
  int perfType() {
    return type;
  }

  /** {@code perf_event_attr.config}. */
  long perfConfig() {
    return config;
  }
}
