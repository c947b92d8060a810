package io.github.bpfmaps.processor.model;

import org.jspecify.annotations.Nullable;


/**
 * Bytes of a struct that no component owns: alignment padding the C compiler inserts, or explicit
 * {@code @Padding}. The codecs write them as zeros.
 *
 * @param offset the first byte
 * @param size the number of bytes
 * @param after the component the gap follows, null at the start of the struct
 * @param explicit true for {@code @Padding}, false for alignment padding
 */
public record Gap(int offset, int size, @Nullable String after, boolean explicit) {}
