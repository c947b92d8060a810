package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The C value of an enum constant, as {@code KIND_EXEC = 4} in a C enum. Without it an enum constant's
 * value is its ordinal. Decoding a number that no constant has is an error that names the enum.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface CValue {
  /** The constant's value in C. */
  long value();
}
