package io.github.bpfmaps.micrometer;

import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.BpfRunTimeStats;
import io.github.bpfmaps.spec.ProgramInfo;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Run count and run time of programs as counters ({@code bpf.program.runs}, {@code
 * bpf.program.run.time} in seconds; Prometheus {@code bpf_program_runs_total}, {@code
 * bpf_program_run_time_seconds_total}), tagged {@code program} and {@code type}. Holds a {@link
 * BpfRunTimeStats} for its whole life, so the kernel counts only while someone exports. Each scrape
 * reads {@code bpf_prog_info} once per program (one system call each), at most once per second.
 * {@link #close()} removes the meters and switches the statistics off (unless another holder keeps
 * them on). Thread-safe.
 */
public final class BpfProgramMeters implements AutoCloseable {
  private final MeterRegistry registry;
  private final BpfRunTimeStats stats;
  private final List<Meter> meters = new ArrayList<>();
  private final long maxAgeNanos;

  BpfProgramMeters(MeterRegistry registry, Collection<BpfProgram> programs, Duration maxAge) {
    this.registry = registry;
    this.maxAgeNanos = maxAge.toNanos();
    this.stats = BpfRunTimeStats.enable();
    try {
      register(programs);
    } catch (RuntimeException e) {
      close(); // a program that cannot be read: no meter and no statistics fd left behind
      throw e;
    }
  }

  private void register(Collection<BpfProgram> programs) {
    for (BpfProgram p : programs) {
      Probe probe = new Probe(p);
      Tags tags = Tags.of("program", p.name(), "type", p.type().name().toLowerCase(Locale.ROOT));
      meters.add(FunctionCounter.builder("bpf.program.runs", probe, q -> q.read().runCount())
          .description("Runs of the program since it was loaded, while statistics were on")
          .tags(tags).register(registry));
      meters.add(FunctionCounter.builder("bpf.program.run.time", probe, q -> q.read().runTimeNs() / 1e9)
          .description("Time spent running the program, while statistics were on").baseUnit("seconds")
          .tags(tags).register(registry));
    }
  }

  /** One program's info, read at most once per {@code maxAge}; a closed program reads as its last info. */
  private final class Probe {
    private final BpfProgram program;
    private ProgramInfo last;
    private long readAt;

    Probe(BpfProgram program) {
      this.program = program;
      this.last = program.info();
      this.readAt = System.nanoTime();
    }

    synchronized ProgramInfo read() {
      if (System.nanoTime() - readAt >= maxAgeNanos && program.isLoaded()) {
        try {
          last = program.info();
        } catch (RuntimeException e) {
          // closed between the check and the call: keep the last figures
        }
        readAt = System.nanoTime();
      }
      return last;
    }
  }

  /** Removes the meters and closes the statistics fd. Idempotent. */
  @Override
  public synchronized void close() {
    for (Meter m : meters) {
      registry.remove(m);
    }
    meters.clear();
    stats.close();
  }
}
