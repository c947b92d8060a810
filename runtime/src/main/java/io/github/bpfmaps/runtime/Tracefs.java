package io.github.bpfmaps.runtime;

import io.github.bpfmaps.errors.BpfAttachException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Where tracefs is mounted, and the ids of its tracepoints. File reads only. */
final class Tracefs {
  private Tracefs() {}

  private static final Path[] MOUNTS = {Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing")};

  /** The tracefs mount with an {@code events} directory, or null. */
  static @Nullable Path root() {
    for (Path p : MOUNTS) {
      if (Files.isDirectory(p.resolve("events"))) {
        return p;
      }
    }
    return null;
  }

  /**
   * The id of tracepoint {@code category/name} ({@code events/<category>/<name>/id}), the {@code
   * config} of a {@code PERF_TYPE_TRACEPOINT} perf event.
   *
   * @throws BpfAttachException naming the tracepoint if tracefs is not mounted or has no such event
   */
  static int tracepointId(String program, String hook, String category, String name) {
    Path root = root();
    if (root == null) {
      throw new BpfAttachException(program, hook, "cannot attach '" + program + "' to " + hook
          + ": tracefs is not mounted (neither /sys/kernel/tracing/events nor /sys/kernel/debug/tracing/events"
          + " exists); mount it with `mount -t tracefs nodev /sys/kernel/tracing`");
    }
    if (category.isEmpty() || name.isEmpty() || category.contains("/") || name.contains("/")
        || category.startsWith(".") || name.startsWith(".")) {
      throw new BpfAttachException(program, hook, "cannot attach '" + program + "' to " + hook
          + ": a tracepoint is named by a category and an event, such as syscalls and sys_enter_execve");
    }
    Path id = root.resolve("events").resolve(category).resolve(name).resolve("id");
    if (!Files.isRegularFile(id)) {
      String which = Files.isDirectory(root.resolve("events").resolve(category))
          ? "category '" + category + "' has no event '" + name + "'"
          : "there is no tracepoint category '" + category + "'";
      throw new BpfAttachException(program, hook, "cannot attach '" + program + "' to " + hook
          + ": no tracepoint " + category + "/" + name + " in this kernel (" + which + "; " + id
          + " does not exist); " + root.resolve("available_events") + " lists the tracepoints");
    }
    try {
      return Integer.parseInt(Files.readString(id).trim());
    } catch (java.io.IOException | NumberFormatException e) {
      throw new BpfAttachException(program, hook, "cannot read the id of " + hook + " from " + id + ": " + e);
    }
  }
}
