package io.github.bpfmaps.processor.check;

/**
 * One finding of a check: a tagged message and where in the {@code @BpfMap} declaration it belongs.
 *
 * @param severity error or warning
 * @param site the part of the declaration the message is reported on
 * @param tag the stable tag, without brackets, e.g. {@code BpfMapArrayKey}
 * @param message what is wrong and how to fix it, without the tag
 */
public record Problem(Severity severity, Site site, String tag, String message) {
  /** How bad it is. */
  public enum Severity {
    ERROR,
    WARNING,
    /** Information only: something that was not checked, and why (never fails a -Werror build). */
    NOTE
  }

  /** Where a problem is reported: the processor maps each to an element or annotation value. */
  public enum Site {
    /** The annotated record. */
    RECORD,
    /** The key component. */
    KEY,
    /** The value component. */
    VALUE,
    /** {@code @BpfMap(type = ...)}. */
    TYPE,
    /** {@code @BpfMap(name = ...)} (the record when the name is defaulted). */
    NAME,
    /** {@code @BpfMap(maxEntries = ...)}. */
    MAX_ENTRIES,
    /** {@code @BpfMap(flags = ...)} (the annotation when the flags are defaulted). */
    FLAGS,
    /** {@code @BpfMap(keySize = ...)}. */
    KEY_SIZE,
    /** {@code @BpfMap(valueSize = ...)}. */
    VALUE_SIZE
  }

  static Problem error(Site site, String tag, String message) {
    return new Problem(Severity.ERROR, site, tag, message);
  }

  static Problem note(Site site, String tag, String message) {
    return new Problem(Severity.NOTE, site, tag, message);
  }

  static Problem warning(Site site, String tag, String message) {
    return new Problem(Severity.WARNING, site, tag, message);
  }

  /** The message as reported: {@code [Tag] message}. */
  public String formatted() {
    return "[" + tag + "] " + message;
  }
}
