/** JavaPoet writers of the generated {@code <Record>Codec} and {@code <Record>Map} classes. */
@NullMarked
package io.github.bpfmaps.processor.write;

import org.jspecify.annotations.NullMarked;
