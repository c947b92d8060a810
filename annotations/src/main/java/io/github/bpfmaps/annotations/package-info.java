/**
 * Annotations that declare BPF maps as Java records. This package has no dependencies; put it on the
 * compile classpath and the {@code bpfmaps-processor} on the annotation processor path.
 */
package io.github.bpfmaps.annotations;
