package io.github.bpfmaps.processor.model;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Name rules shared by the checks and the writers. */
public final class Names {
  private Names() {}

  /**
   * The kernel keeps a map name in {@code char name[BPF_OBJ_NAME_LEN]} (16, NUL included:
   * {@code include/uapi/linux/bpf.h}), so 15 bytes survive.
   */
  public static final int MAX_MAP_NAME_BYTES = 15;

  /**
   * Kotlin's hard keywords. Generated members have fixed names chosen outside this set (the bind
   * parameter is {@code bpfObject}, not {@code object}), so Kotlin callers never need backticks.
   */
  public static final Set<String> KOTLIN_HARD_KEYWORDS = Set.of(
      "as", "break", "class", "continue", "do", "else", "false", "for", "fun", "if", "in",
      "interface", "is", "null", "object", "package", "return", "super", "this", "throw", "true",
      "try", "typealias", "typeof", "val", "var", "when", "while");

  /**
   * {@code XdpStats} → {@code xdp_stats}, {@code HTTPFlows} → {@code http_flows}, {@code Ipv4Lpm} →
   * {@code ipv4_lpm}: an underscore before an upper-case letter that follows a lower-case letter or a
   * digit, or that starts a new word after an acronym.
   */
  public static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean afterLower = i > 0
            && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
        boolean acronymEnd = i > 0 && Character.isUpperCase(name.charAt(i - 1))
            && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (afterLower || acronymEnd) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The first character the kernel refuses in a map name, or -1. {@code bpf_obj_name_cpy()} in
   * {@code kernel/bpf/syscall.c} accepts only {@code isalnum}, {@code '_'} and {@code '.'}.
   */
  public static int invalidMapNameChar(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.';
      if (!ok) {
        return i;
      }
    }
    return -1;
  }

  /** What the kernel shows for a name: its first 15 bytes. */
  public static String kernelName(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_MAP_NAME_BYTES) {
      return name;
    }
    return new String(bytes, 0, MAX_MAP_NAME_BYTES, StandardCharsets.UTF_8);
  }
}
