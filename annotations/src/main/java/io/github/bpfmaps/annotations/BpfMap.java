package io.github.bpfmaps.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a BPF map whose entry is the annotated record: the first component is the key, the second
 * the value; keyless types ({@link MapType#QUEUE}, {@link MapType#STACK},
 * {@link MapType#BLOOM_FILTER}, {@link MapType#RINGBUF}) have one component, the value.
 *
 * <p>The processor generates {@code <Record>Map}, a typed handle, and a {@code <Record>Codec} for each
 * record key or value. Sizes are computed with the C compiler's rules (natural alignment, padding) and
 * checked against the kernel's rules for {@link #type()} at compile time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BpfMap {
  /** The kernel map name; defaults to the record's simple name in snake_case. */
  String name() default "";

  /** The kernel map type. */
  MapType type();

  /** The kernel's {@code max_entries}. */
  int maxEntries();

  /** The kernel's {@code map_flags} ({@code BPF_F_*}), e.g. {@link MapFlags#NO_PREALLOC}. */
  int flags() default 0;

  /** How the map is pinned when loaded from an object with a pin root. */
  Pinning pinning() default Pinning.NONE;

  /** If set, the key size the C side declares; a different computed layout is a compile error. */
  int keySize() default -1;

  /** If set, the value size the C side declares; a different computed layout is a compile error. */
  int valueSize() default -1;

  /**
   * A compiled BPF object (path relative to the source or resource roots, or absolute) that declares
   * this map. When set, the processor reads the object's BTF and checks the record against the C map
   * and its key and value types.
   */
  String object() default "";

  /**
   * The same as {@link #object()}, under a name that is not a Kotlin keyword: {@code
   * @BpfMap(objectFile = "x.bpf.o")} needs no backticks. Set one of the two; both set to different
   * paths is a compile error.
   */
  String objectFile() default "";
}
