package demo;

import io.github.bpfmaps.annotations.CValue;

public enum Kind {
  EXEC,
  @CValue(7) EXIT,
  FORK
}
