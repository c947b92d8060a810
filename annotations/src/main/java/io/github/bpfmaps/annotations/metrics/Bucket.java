package io.github.bpfmaps.annotations.metrics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The key component that holds a log2 slot number, for maps whose value is the count of one slot
 * (see {@link Histogram}): it is not a tag; it says which bucket the entry's count goes to.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Bucket {}
