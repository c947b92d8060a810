/**
 * The C layout of records as plain, immutable Java values: sizes, offsets, alignment and padding,
 * computed with the C rules of x86-64 and arm64. Nothing from javax.lang.model appears here, so the
 * model is unit-tested without a compiler.
 */
@NullMarked
package io.github.bpfmaps.processor.model;

import org.jspecify.annotations.NullMarked;
