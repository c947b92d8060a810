package io.github.bpfmaps.processor.check;

import static com.google.common.truth.Truth.assertThat;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.processor.model.Component;
import io.github.bpfmaps.processor.model.FieldType;
import io.github.bpfmaps.processor.model.JavaPrimitive;
import io.github.bpfmaps.processor.model.MapModel;
import io.github.bpfmaps.processor.model.StructLayout;
import io.github.bpfmaps.processor.model.TypeRef;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-type kernel rules on plain models, without a compiler. */
class MapRulesTest {
  private static final FieldType U32 = FieldType.Scalar.of(JavaPrimitive.INT, true);
  private static final FieldType U64 = FieldType.Scalar.of(JavaPrimitive.LONG, true);

  private static MapModel map(MapType type, int maxEntries, int flags, FieldType key,
      FieldType value) {
    boolean keyless = MapModel.keyless(type);
    return new MapModel(TypeRef.of("p", "M"), "m", type, maxEntries, flags, Pinning.NONE, -1, -1,
        keyless ? 1 : 2,
        keyless ? Optional.empty() : Optional.of(new MapModel.Entry("key", "K", key)),
        Optional.of(new MapModel.Entry("value", "V", value)));
  }

  private static List<String> tags(MapModel m) {
    return MapRules.check(m).stream().map(Problem::tag).toList();
  }

  @Test
  void aValidHashHasNoProblems() {
    assertThat(MapRules.check(map(MapType.HASH, 10, 0, U64, U64))).isEmpty();
  }

  @Test
  void arrayKeyMustBeFourBytes() {
    assertThat(tags(map(MapType.ARRAY, 10, 0, U64, U64))).containsExactly("BpfMapArrayKey");
    assertThat(tags(map(MapType.ARRAY, 10, 0, U32, U64))).isEmpty();
  }

  @Test
  void ringBufSizeMustBeAPowerOfTwoNumberOfPages() {
    assertThat(tags(map(MapType.RINGBUF, 4096, 0, null, U64))).isEmpty();
    assertThat(tags(map(MapType.RINGBUF, 1 << 20, 0, null, U64))).isEmpty();
    assertThat(tags(map(MapType.RINGBUF, 3 * 4096, 0, null, U64)))
        .containsExactly("BpfMapRingBufSize");
    assertThat(tags(map(MapType.RINGBUF, 2048, 0, null, U64)))
        .containsExactly("BpfMapRingBufSize");
  }

  @Test
  void ringBufSpecHasNoKeyOrValueSize() {
    MapModel m = map(MapType.RINGBUF, 4096, 0, null, U64);
    assertThat(m.keySize()).isEqualTo(0);
    assertThat(m.valueSize()).isEqualTo(0);
  }

  @Test
  void perfEventArrayTakesTheEventTypeAsItsValueAndKeepsFourByteFdValues() {
    StructLayout event = StructLayout.compute(TypeRef.of("p", "Exec"), "Exec", false, 0,
        List.of(Component.of("pid", U32), Component.of("ts", U64)));
    MapModel m = map(MapType.PERF_EVENT_ARRAY, 2, 0, null, new FieldType.StructType(event));
    assertThat(tags(m)).isEmpty();
    assertThat(m.keySize()).isEqualTo(4);
    assertThat(m.valueSize()).isEqualTo(4);
  }

  @Test
  void lpmTrieNeedsAPrefixLengthKeyAndNoPrealloc() {
    StructLayout key = StructLayout.compute(TypeRef.of("p", "Prefix"), "Prefix", false, 0,
        List.of(Component.of("prefixLen", U32), Component.of("addr", U32)));
    FieldType prefix = new FieldType.StructType(key);
    assertThat(tags(map(MapType.LPM_TRIE, 8, MapFlags.NO_PREALLOC, prefix, U32))).isEmpty();
    assertThat(tags(map(MapType.LPM_TRIE, 8, 0, prefix, U32))).containsExactly("BpfMapLpmFlags");
    assertThat(tags(map(MapType.LPM_TRIE, 8, MapFlags.NO_PREALLOC, U64, U32)))
        .containsExactly("BpfMapLpmKey");
  }

  @Test
  void perCpuValuesAreLimitedToThePerCpuUnit() {
    FieldType big = new FieldType.ArrayType(FieldType.Scalar.of(JavaPrimitive.BYTE, false), 32769);
    assertThat(tags(map(MapType.PERCPU_ARRAY, 1, 0, U32, big))).containsExactly("BpfMapValueSize");
    FieldType fits = new FieldType.ArrayType(FieldType.Scalar.of(JavaPrimitive.BYTE, false), 32768);
    assertThat(tags(map(MapType.PERCPU_ARRAY, 1, 0, U32, fits))).isEmpty();
  }

  @Test
  void longNamesAreAWarningNotAnError() {
    MapModel m = new MapModel(TypeRef.of("p", "M"), "a_rather_long_map_name", MapType.HASH, 1, 0,
        Pinning.NONE, -1, -1, 2, Optional.of(new MapModel.Entry("key", "int", U32)),
        Optional.of(new MapModel.Entry("value", "long", U64)));
    List<Problem> problems = MapRules.check(m);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).severity()).isEqualTo(Problem.Severity.WARNING);
    assertThat(problems.get(0).formatted()).contains("will show 'a_rather_long_m'");
  }

  @Test
  void flagsTheKernelRefusesForTheTypeAreErrors() {
    assertThat(tags(map(MapType.ARRAY, 1, MapFlags.NO_PREALLOC, U32, U64)))
        .containsExactly("BpfMapFlags");
    assertThat(tags(map(MapType.ARRAY, 1, MapFlags.MMAPABLE, U32, U64))).isEmpty();
    assertThat(tags(map(MapType.PERCPU_ARRAY, 1, MapFlags.MMAPABLE, U32, U64)))
        .containsExactly("BpfMapFlags");
    assertThat(tags(map(MapType.HASH, 1, MapFlags.MMAPABLE, U32, U64)))
        .containsExactly("BpfMapFlags");
    assertThat(tags(map(MapType.HASH, 1, MapFlags.NO_PREALLOC | MapFlags.RDONLY_PROG, U32, U64)))
        .isEmpty();
  }

  @Test
  void lruFlagsFollowTheHashTableRules() {
    assertThat(tags(map(MapType.HASH, 1, MapFlags.NO_COMMON_LRU, U32, U64)))
        .containsExactly("BpfMapFlags");
    assertThat(tags(map(MapType.LRU_HASH, 1, MapFlags.NO_COMMON_LRU, U32, U64))).isEmpty();
    assertThat(tags(map(MapType.LRU_HASH, 1, MapFlags.NO_PREALLOC, U32, U64)))
        .containsExactly("BpfMapFlags");
  }

  @Test
  void readOnlyAndWriteOnlyTogetherAreAnError() {
    assertThat(tags(map(MapType.HASH, 1, MapFlags.RDONLY | MapFlags.WRONLY, U32, U64)))
        .containsExactly("BpfMapFlags");
    assertThat(tags(map(MapType.HASH, 1, MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG, U32, U64)))
        .containsExactly("BpfMapFlags");
  }
}
