package io.github.bpfmaps.annotations.metrics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A log2 histogram (biolatency, runqlat), exported as a real histogram whose bucket {@code i} has
 * the upper bound {@code 2^i * multiplier} (ebpf_exporter's {@code exp2} buckets), plus {@code +Inf}.
 * Two shapes of map are understood:
 * <ul>
 *   <li>on a value component {@code @Size(n) long[]} (or {@code int[]}): element {@code i} is the
 *       count of slot {@code i} (BCC's {@code struct hist { u64 slots[n]; }});
 *   <li>on a scalar value component (the count), with exactly one key component marked {@link
 *       Bucket} holding the slot number (ebpf_exporter's {@code increment_exp2_histogram} maps).
 * </ul>
 * Slots above {@link #bucketMax()} count only in {@code +Inf}; slots below {@link #bucketMin()} count
 * in the first bucket. The sum is estimated from the bucket bounds (a log2 map has no exact sum).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Histogram {
  /** The meter's name in Micrometer's dotted form ({@code bio.latency}); empty: the map's name. */
  String value() default "";

  /** The meter's description (Prometheus {@code # HELP}). */
  String description() default "";

  /** The base unit ({@code seconds}, {@code bytes}); Prometheus adds it to the name. */
  String baseUnit() default "";

  /** The first slot exported as a bucket. */
  int bucketMin() default 0;

  /** The last slot exported as a bucket; -1: the array's last element (for {@link Bucket} maps, 63). */
  int bucketMax() default -1;

  /** What slot {@code i}'s bound {@code 2^i} is multiplied by ({@code 0.000001}: microseconds to seconds). */
  double multiplier() default 1.0;
}
