package io.github.bpfmaps.processor.write;

import com.squareup.javapoet.AnnotationSpec;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeSpec;
import org.jspecify.annotations.Nullable;

/**
 * The {@code @Generated} annotation of generated types, or none: {@code
 * javax.annotation.processing.Generated} exists from Java 9 on, and a build on an older source level
 * or without {@code java.compiler} gets no annotation rather than a missing class.
 */
public final class Generated {
  static final String PROCESSOR = "io.github.bpfmaps.processor.BpfMapProcessor";
  static final String URL = "https://github.com/bpfmaps/bpfmaps";

  private final @Nullable ClassName annotation;

  private Generated(@Nullable ClassName annotation) {
    this.annotation = annotation;
  }

  /** {@code javax.annotation.processing.Generated} when {@code available}, else nothing. */
  public static Generated of(boolean available) {
    return new Generated(available ? ClassName.get("javax.annotation.processing", "Generated") : null);
  }

  void addTo(TypeSpec.Builder type) {
    if (annotation != null) {
      type.addAnnotation(AnnotationSpec.builder(annotation)
          .addMember("value", "$S", PROCESSOR)
          .addMember("comments", "$S", URL)
          .build());
    }
  }
}
