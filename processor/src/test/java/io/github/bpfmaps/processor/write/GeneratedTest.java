package io.github.bpfmaps.processor.write;

import static com.google.common.truth.Truth.assertThat;

import io.github.bpfmaps.processor.model.Component;
import io.github.bpfmaps.processor.model.FieldType;
import io.github.bpfmaps.processor.model.JavaPrimitive;
import io.github.bpfmaps.processor.model.StructLayout;
import io.github.bpfmaps.processor.model.TypeRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code @Generated} follows what the compilation's source level offers. */
class GeneratedTest {
  private static final StructLayout LAYOUT = StructLayout.compute(TypeRef.of("p", "Rec"), "Rec",
      false, 0, List.of(Component.of("n", FieldType.Scalar.of(JavaPrimitive.INT, false))));

  @Test
  void generatedAnnotationNamesTheProcessorWhenAvailable() {
    String source = new CodecWriter(Generated.of(true)).write(LAYOUT, List.of()).toString();
    assertThat(source).contains("@Generated(");
    assertThat(source).contains("value = \"io.github.bpfmaps.processor.BpfMapProcessor\"");
    assertThat(source).contains("import javax.annotation.processing.Generated;");
  }

  @Test
  void generatedAnnotationIsOmittedWhenTheSourceLevelHasNone() {
    String source = new CodecWriter(Generated.of(false)).write(LAYOUT, List.of()).toString();
    assertThat(source).doesNotContain("@Generated");
    assertThat(source).doesNotContain("javax.annotation.processing");
  }
}
