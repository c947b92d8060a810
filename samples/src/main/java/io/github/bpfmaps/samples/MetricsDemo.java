package io.github.bpfmaps.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.micrometer.BpfMeterBinder;
import io.github.bpfmaps.micrometer.BpfMetrics;
import io.github.bpfmaps.micrometer.BpfProgramMeters;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Packets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./demo metrics [--port N] [--seconds S]}: the XDP counter and a packet-size histogram as
 * Prometheus metrics. Loads {@code xdp_counter.bpf.o} and {@code xdp_sizes.bpf.o}, binds their
 * maps to Micrometer's Prometheus registry through the metric annotations of {@link XdpStats},
 * {@link DataRec}, {@link PktSizes} and {@link SizeHist}, exports the programs' run counts and run
 * times, drives frames through both programs with {@code BPF_PROG_TEST_RUN} once a second, and
 * serves {@code /metrics} on {@code 127.0.0.1} (port 9436 by default, beside ebpf_exporter's 9435; 0 for any free port) for
 * {@code S} seconds (default: until interrupted).
 */
public final class MetricsDemo implements AutoCloseable {
  /** The frame sizes each round sends: they fall in the buckets le=64, 128, 512 and 2048. */
  static final int[] SIZES = {42, 128, 512, 1514};

  private final BpfObject counter;
  private final BpfObject sizes;
  private final XdpStatsMap stats;
  private final PktSizesMap hist;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BpfMeterBinder statsMeters;
  private final BpfMeterBinder histMeters;
  private final @Nullable BpfProgramMeters programMeters;
  private final @Nullable String programMetersNote;
  private final HttpServer server;

  private MetricsDemo(int port) {
    counter = SampleObjects.open("xdp_counter").load();
    sizes = SampleObjects.open("xdp_sizes").load();
    stats = XdpStatsMap.bind(counter);
    hist = PktSizesMap.bind(sizes);
    statsMeters = BpfMetrics.bind(registry, stats);
    histMeters = BpfMetrics.bind(registry, hist);
    BpfProgramMeters pm = null;
    String note = null;
    try {
      pm = BpfMetrics.bindPrograms(registry, List.of(counter.program("xdp_count"), sizes.program("xdp_sizes")));
    } catch (BpfSyscallException e) {
      note = "program statistics are off: " + e.getMessage();
    }
    programMeters = pm;
    programMetersNote = note;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    server.createContext("/metrics", this::serve);
    server.start();
  }

  /**
   * Loads both objects, binds the meters and starts serving on {@code 127.0.0.1:port} (0: any free
   * port). Close it to stop serving and release every map, program and meter.
   *
   * @throws io.github.bpfmaps.errors.BpfException if an object cannot be loaded
   */
  public static MetricsDemo start(int port) {
    return new MetricsDemo(port);
  }

  /** Where the metrics are served: {@code http://127.0.0.1:<port>/metrics}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
  }

  /** Why program statistics are not exported (no CAP_SYS_ADMIN), or null if they are. */
  public @Nullable String programStatsNote() {
    return programMetersNote;
  }

  /** Sends one frame of {@code size} bytes through both programs (two {@code BPF_PROG_TEST_RUN}s). */
  public void send(int size) {
    int src = Packets.ipv4(192, 0, 2, 1);
    int dst = Packets.ipv4(198, 51, 100, 7);
    byte[] frame = size < 54 ? Packets.udp(src, dst, 40000, 53, size) : Packets.tcp(src, dst, 40000, 443, size);
    for (BpfProgram p : List.of(counter.program("xdp_count"), sizes.program("xdp_sizes"))) {
      p.testRun(frame, 1);
    }
  }

  /** What {@code /metrics} answers now: both maps read (one batch read each), then the registry's text. */
  public synchronized String scrape() {
    statsMeters.refresh();
    histMeters.refresh();
    return registry.scrape();
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body;
      int status = 200;
      try {
        body = scrape().getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        status = 500;
        body = ("scrape failed: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
      }
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }

  /** Stops serving, removes the meters, switches program statistics off, releases the objects. */
  @Override
  public void close() {
    server.stop(0);
    statsMeters.close();
    histMeters.close();
    if (programMeters != null) {
      programMeters.close();
    }
    stats.close();
    hist.close();
    counter.close();
    sizes.close();
    registry.close();
  }

  /** {@code metrics [--port N] [--seconds S]}; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    int port = 9436;
    long seconds = Long.MAX_VALUE;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--seconds") && i + 1 < args.length) {
        seconds = Long.parseLong(args[++i]);
      } else {
        err.println("usage: metrics [--port N] [--seconds S]");
        return 2;
      }
    }
    int p = port;
    long s = seconds;
    return SampleRun.guarded("metrics", err, () -> {
      try (MetricsDemo demo = start(p)) {
        for (int size : SIZES) {
          demo.send(size);
        }
        out.println("serving " + demo.url() + " (Ctrl-C to stop); one round of "
            + SIZES.length + " frames a second");
        if (demo.programStatsNote() != null) {
          out.println(demo.programStatsNote());
        }
        for (String line : demo.scrape().split("\n")) {
          if (line.startsWith("xdp_packets_total") || line.startsWith("xdp_packet_size_bytes_bucket")
              || line.startsWith("bpf_program_runs_total")) {
            out.println(line);
          }
        }
        out.flush();
        long end = s == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + s * 1_000_000_000L;
        while (System.nanoTime() < end) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
          for (int size : SIZES) {
            demo.send(size);
          }
        }
        return 0;
      }
    });
  }
}
