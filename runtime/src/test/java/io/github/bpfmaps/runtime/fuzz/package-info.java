/**
 * Fuzzing and damaged-input tests of the object reader ({@code io.github.bpfmaps.elf}, which {@code
 * BpfObjectSpec.read} calls).
 *
 * <h2>The property</h2>
 *
 * {@link io.github.bpfmaps.runtime.fuzz.ParseProperty}: any input ends in a result or in a {@code
 * BpfException} whose message names the input. A failure is any other exception or error (a
 * {@code StackOverflowError}, an {@code OutOfMemoryError}), a {@code BpfException} wrapping another
 * exception (the parser's safety net caught what a check missed), more allocation than {@code 40
 * MiB + 2 KiB per input byte} (re-measured once, so class loading does not count), or more than
 * 10 s for one input.
 *
 * <h2>Targets</h2>
 *
 * <ul>
 *   <li>{@code ObjectFuzzTest}: {@code ObjectParser.parse} and everything asked of the result
 *       (maps, variables, programs, instructions, {@code link}, BTF sizes); seeds: the committed
 *       samples and test objects, plus xdp-tools' objects in {@code scripts/fuzz.sh}.
 *   <li>{@code BtfFuzzTest}: {@code Btf.parse}, resolving and sizing every type, DATASEC layout;
 *       seeds: the samples' {@code .BTF} sections.
 *   <li>{@code BtfExtFuzzTest}: {@code BtfExt.parse} against xdp_counter's BTF; seed: its {@code
 *       .BTF.ext}.
 * </ul>
 *
 * <h2>How they run</h2>
 *
 * <ul>
 *   <li>{@code mvn test}: regression mode; each file under {@code
 *       src/test/resources/io/github/bpfmaps/runtime/fuzz/<Test>Inputs/<method>/} is one case.
 *   <li>{@code mvn verify} (phase integration-test): three surefire executions ({@code fuzz-object},
 *       {@code fuzz-btf}, {@code fuzz-btf-ext}) each run one target with {@code JAZZER_FUZZ=1} for
 *       {@code fuzz.seconds} (50) with {@code -timeout=10} and {@code -Xmx1g}: about three minutes
 *       in all. No finding: the build passes. A finding fails it and writes {@code crash-<sha1>}
 *       into the target's Inputs directory; fix the parser and commit the file as a regression.
 *       {@code -Dfuzz.skip} skips them.
 *   <li>{@code scripts/fuzz.sh [duration] [object|btf|btf-ext|all]}: longer runs on demand; the
 *       learned corpus stays in {@code runtime/.cifuzz-corpus/} (ignored by git).
 * </ul>
 *
 * <h2>Record</h2>
 *
 * On a 2-core VM shared with other builds, Jazzer 0.24.0, JDK 17 (24-25 Nov 2026):
 *
 * <table>
 *   <caption>Fuzzing runs</caption>
 *   <tr><th>target<th>parser<th>seconds<th>executions<th>per second<th>findings
 *   <tr><td>object<td>elf branch<td>481<td>6,724,125<td>13,979<td>none
 *   <tr><td>object<td>with the fixes below<td>241<td>2,997,322<td>12,437<td>none
 *   <tr><td>btf<td>with the fixes below<td>241<td>6,463,117<td>26,817<td>none
 *   <tr><td>btf-ext<td>elf branch<td>21<td>1,935,457<td>92,164<td>none
 *   <tr><td>object<td>main merged, in {@code mvn -B -ntp verify}<td>51<td>655,304<td>12,849<td>none
 *   <tr><td>btf<td>main merged, in {@code mvn -B -ntp verify}<td>51<td>1,495,435<td>29,322<td>none
 *   <tr><td>btf-ext<td>main merged, in {@code mvn -B -ntp verify}<td>51<td>3,363,609<td>65,953<td>none
 *   <tr><td>object<td>final, {@code scripts/fuzz.sh 5m}<td>301<td>3,301,979<td>10,970<td>none
 *   <tr><td>btf<td>final, {@code scripts/fuzz.sh 5m}<td>301<td>5,123,654<td>17,022<td>none
 *   <tr><td>btf-ext<td>final, {@code scripts/fuzz.sh 5m}<td>301<td>18,434,828<td>61,245<td>none
 * </table>
 *
 * That {@code mvn -B -ntp verify} took 4 min 3 s in all, of which the three fuzzing runs (with
 * their JVM start-up) about 2 min 50 s.
 *
 * The fuzzer found nothing in these runs. What failed came from the hand-made inputs of {@code DamagedObjectTest}, {@code
 * LongNameAmplificationTest} and {@code ManyRecordsTest}, each fixed in the parser: negative map
 * sizes from u32 values of 2^31 and more; gigabytes of zeros from many {@code .bss} headers; the
 * file copied once per overlapping section header; names scanned and copied once per record that
 * names them (BTF types, ELF symbols and sections, {@code .BTF.ext} records); and per-record scans
 * of all sections or symbols (DATASEC layout, relocation sections, function symbols, {@code .maps}
 * relocations), quadratic in objects of a few MiB. The fuzzer cannot reach these: its inputs stay
 * near the seeds' size (at most 27 KiB), where the blow-up is still within bounds.
 */
package io.github.bpfmaps.runtime.fuzz;
