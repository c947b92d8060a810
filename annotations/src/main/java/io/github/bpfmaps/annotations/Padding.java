package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Explicit padding: {@code value} zero bytes placed before this component (after any alignment
 * padding the C compiler would insert anyway), as a {@code __u8 pad[n]} member in C. Padding is always
 * written as zeros, so hash keys with padding are found again.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Padding {
  /** Bytes of padding before the component. */
  int value();
}
