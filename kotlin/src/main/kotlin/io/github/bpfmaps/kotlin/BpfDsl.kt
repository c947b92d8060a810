package io.github.bpfmaps.kotlin

/**
 * Marks the receivers of bpfmaps' Kotlin blocks, so that inside a nested block only the innermost
 * receiver's members are called without a qualifier (a `reuse("flows") { ... }` block cannot call
 * `pinRoot` of the enclosing options by accident).
 */
@DslMarker
@Target(AnnotationTarget.CLASS)
public annotation class BpfDsl
