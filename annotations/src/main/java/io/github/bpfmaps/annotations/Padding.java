package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Explicit padding: {@code value} zero bytes placed before this component, exactly as a
 * {@code __u8 pad[n]} member declared just before it in C (the component is then aligned after the
 * padding as usual). Padding is always written as zeros, so hash keys with padding are found again.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Padding {
  /** Bytes of padding before the component. */
  int value();
}
