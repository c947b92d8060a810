package io.github.bpfmaps.processor.write;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeName;
import io.github.bpfmaps.processor.model.FieldType;
import io.github.bpfmaps.processor.model.TypeRef;
import java.util.List;

/** The runtime names generated code refers to, and the Java types of model types. */
final class Types {
  private Types() {}

  static final String RUNTIME = "io.github.bpfmaps.runtime";
  static final ClassName CODEC = ClassName.get(RUNTIME, "Codec");
  static final ClassName CODECS = ClassName.get(RUNTIME, "Codecs");
  /** What generated codecs call: internal, no compatibility promise. */
  static final ClassName CODEC_SUPPORT = ClassName.get(RUNTIME + ".internal", "CodecSupport");
  static final String SPEC = "io.github.bpfmaps.spec";
  static final ClassName LAYOUT = ClassName.get(SPEC, "Layout");
  static final ClassName LAYOUT_FIELD = LAYOUT.nestedClass("Field");
  static final ClassName LAYOUT_ENUM_CONSTANT = LAYOUT.nestedClass("EnumConstant");
  static final ClassName MAP_SPEC = ClassName.get(SPEC, "MapSpec");
  static final ClassName MAP_FD = ClassName.get(RUNTIME, "MapFd");
  static final ClassName BPF_OBJECT = ClassName.get(RUNTIME, "BpfObject");
  static final ClassName MAP_TYPE = ClassName.get("io.github.bpfmaps.annotations", "MapType");
  static final ClassName MAP_FLAGS = ClassName.get("io.github.bpfmaps.annotations", "MapFlags");
  static final ClassName PINNING = ClassName.get("io.github.bpfmaps.annotations", "Pinning");
  static final ClassName BYTE_BUFFER = ClassName.get("java.nio", "ByteBuffer");
  static final ClassName LIST = ClassName.get(List.class);
  static final String MAPS = io.github.bpfmaps.spec.HandleKind.HANDLE_PACKAGE;

  /** The bpfmaps-kotlin package, home of the codecs of Kotlin's unsigned types. */
  static final String KOTLIN = "io.github.bpfmaps.kotlin";

  /** The codec of a Kotlin unsigned type as a whole key or value: {@code UInt} -> {@code UIntCodec}. */
  static ClassName kotlinCodec(String kotlinType) {
    return ClassName.get(KOTLIN, kotlinType + "Codec");
  }

  static ClassName className(TypeRef ref) {
    List<String> names = ref.simpleNames();
    return ClassName.get(ref.packageName(), names.get(0),
        names.subList(1, names.size()).toArray(new String[0]));
  }

  static ClassName codecName(TypeRef ref) {
    return ClassName.get(ref.packageName(), ref.flatName() + "Codec");
  }

  /** The Java type of a component. */
  static TypeName javaType(FieldType type) {
    if (type instanceof FieldType.Scalar s) {
      switch (s.java()) {
        case BYTE: return TypeName.BYTE;
        case SHORT: return TypeName.SHORT;
        case CHAR: return TypeName.CHAR;
        case INT: return TypeName.INT;
        case LONG: return TypeName.LONG;
        case FLOAT: return TypeName.FLOAT;
        case DOUBLE: return TypeName.DOUBLE;
        default: return TypeName.BOOLEAN;
      }
    }
    if (type instanceof FieldType.EnumType e) {
      return className(e.name());
    }
    if (type instanceof FieldType.StringType) {
      return ClassName.get(String.class);
    }
    if (type instanceof FieldType.ArrayType a) {
      return ArrayTypeName.of(javaType(a.element()));
    }
    return className(((FieldType.StructType) type).layout().name());
  }
}
