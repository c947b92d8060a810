package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The fixed length of an array or string component, as {@code T name[n]} in C: arrays of primitives,
 * enums or records, {@code byte[]}, and {@code String} as a NUL-padded {@code char[n]} (UTF-8, at
 * most {@code n} bytes). A value of another length is refused before any system call.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Size {
  /** The number of elements (bytes, for strings). */
  int value();
}
