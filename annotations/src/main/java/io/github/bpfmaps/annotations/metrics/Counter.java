package io.github.bpfmaps.annotations.metrics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A value component (an integer or floating-point number) that is a monotonic count: exported as
 * a counter, one series per distinct tag set, read from the map at scrape time. Per-CPU values are
 * summed over the CPUs; entries whose tags are equal are summed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Counter {
  /** The meter's name in Micrometer's dotted form ({@code xdp.packets}); empty: map name and component name. */
  String value() default "";

  /** The meter's description (Prometheus {@code # HELP}). */
  String description() default "";

  /** The base unit ({@code bytes}, {@code packets}, {@code seconds}); Prometheus adds it to the name. */
  String baseUnit() default "";
}
