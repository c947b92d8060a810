package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The component is an unsigned C integer ({@code __u8} … {@code __u64}): the Java value holds the same
 * bits. Combined with {@link Width}, a wider Java type carries a narrower unsigned C field and values
 * outside its range are refused before any system call.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Unsigned {}
