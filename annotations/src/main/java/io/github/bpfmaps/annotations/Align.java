package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Raises the alignment of a record (as {@code __attribute__((aligned(n)))} on a C struct) or of one
 * component (on a C member). {@code value} is a power of two; it never lowers the natural alignment.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER,
    ElementType.METHOD})
public @interface Align {
  /** The alignment in bytes, a power of two. */
  int value();
}
