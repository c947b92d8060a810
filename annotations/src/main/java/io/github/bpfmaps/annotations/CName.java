package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The C name of a record (its struct tag) or of a component (its member), when it differs from the
 * Java name. Used by the generated C header and by the BTF check against a compiled object.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER,
    ElementType.METHOD})
public @interface CName {
  /** The C identifier. */
  String value();
}
