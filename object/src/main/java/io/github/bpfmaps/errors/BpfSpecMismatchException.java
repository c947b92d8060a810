package io.github.bpfmaps.errors;

import java.util.List;

/**
 * An existing map (pinned, found by id, or in a loaded object) differs from the spec it was opened
 * with. The message names the map and lists every differing field with both values; {@link
 * #differences()} has them one per entry ({@code key size: expected 4, found 8}).
 */
public class BpfSpecMismatchException extends BpfException {
  private static final long serialVersionUID = 1L;

  private final List<String> differences;

  /**
   * @param operation how the map was opened ({@code BPF_OBJ_GET}, {@code BPF_MAP_GET_FD_BY_ID})
   * @param target the map's name
   * @param where where it was found ({@code pinned at /sys/fs/bpf/x}, {@code id 42})
   * @param differences one line per differing field
   */
  public BpfSpecMismatchException(String operation, String target, String where, List<String> differences) {
    super(operation, target, 0, operation + ": map '" + target + "' (" + where
        + ") does not match its spec: " + String.join("; ", differences));
    this.differences = List.copyOf(differences);
  }

  /** Each differing field, {@code field: expected X, found Y}. */
  public List<String> differences() {
    return differences;
  }
}
