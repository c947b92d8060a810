package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * {@code commands} of {@code user_commands.bpf.c}: a 4 KiB user ring buffer of {@code struct
 * command}, written by Java and drained by the XDP program.
 */
@BpfMap(type = MapType.USER_RINGBUF, maxEntries = 4096)
public record Commands(Commands.Command value) {
  /** {@code OP_ADD}: add {@code arg} to the sum. */
  public static final int OP_ADD = 0;
  /** {@code OP_MAX}: keep the largest {@code arg}. */
  public static final int OP_MAX = 1;

  /** {@code struct command}: an operation and its argument. */
  public record Command(@Unsigned int op, @Unsigned int arg) {}
}
