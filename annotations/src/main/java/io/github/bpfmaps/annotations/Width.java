package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stores an integral or enum component in a C integer of {@code value} bytes (1, 2, 4 or 8) that is
 * narrower than the Java type: {@code @Unsigned @Width(2) int port} is a {@code __u16} that Java sees
 * as 0..65535; an enum with {@code @Width(1)} is a {@code __u8}. Values that do not fit are refused
 * before any system call.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Width {
  /** The C field's size in bytes: 1, 2, 4 or 8. */
  int value();
}
