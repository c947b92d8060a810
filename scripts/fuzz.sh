#!/usr/bin/env bash
# Fuzzes the BPF object reader (runtime/src/test/java/io/github/bpfmaps/runtime/fuzz) for longer
# than the bounded run `mvn verify` does, one target after another.
#
#   scripts/fuzz.sh                    each target for 10 minutes
#   scripts/fuzz.sh 1h                 each target for an hour (plain seconds, or s/m/h)
#   scripts/fuzz.sh 30m object         only the whole-object target (object | btf | btf-ext | all)
#
# Seeds are the committed inputs under runtime/src/test/resources/.../fuzz/*Inputs/ plus, for the
# object target, Debian's xdp-tools objects when installed. What the fuzzer learns is kept in
# runtime/.cifuzz-corpus/ (ignored by git) and reused by the next run. A finding fails the run and
# is written as crash-<sha1> into the target's Inputs directory: fix the parser, then commit the
# file, which keeps it as a regression test in every `mvn verify`. Logs: runtime/target/fuzz-*.log.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

duration="${1:-10m}"
which="${2:-all}"
case "$duration" in
  *h) seconds=$(( ${duration%h} * 3600 )) ;;
  *m) seconds=$(( ${duration%m} * 60 )) ;;
  *s) seconds=${duration%s} ;;
  *) seconds=$duration ;;
esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || (( seconds < 1 )); then
  echo "usage: $0 [duration: seconds or Ns/Nm/Nh] [object|btf|btf-ext|all]" >&2
  exit 2
fi

case "$which" in
  all) targets=(object btf btf-ext) ;;
  object|btf|btf-ext) targets=("$which") ;;
  *) echo "unknown target '$which'; use object, btf, btf-ext or all" >&2; exit 2 ;;
esac

xdp_tools=/usr/lib/x86_64-linux-gnu/bpf
object_corpus=runtime/.cifuzz-corpus/io.github.bpfmaps.runtime.fuzz.ObjectFuzzTest/anyBytesGiveAnObjectOrAFormatErrorNamingTheFile
if [[ -d "$xdp_tools" ]] && [[ " ${targets[*]} " == *" object "* ]]; then
  mkdir -p "$object_corpus"
  cp -n "$xdp_tools"/*.o "$object_corpus"/ 2>/dev/null || true
fi

status=0
for target in "${targets[@]}"; do
  skips=()
  for other in object btf btf-ext; do
    [[ "$other" == "$target" ]] || skips+=("-Dfuzz.skip.$other=true")
  done
  log="runtime/target/fuzz-$target.log"
  mkdir -p runtime/target
  echo "fuzzing '$target' for $seconds s (log: $log)"
  # -Dtest limits the ordinary test run to the fuzz tests' regression inputs.
  if mvn -B -ntp -pl runtime -am verify -Dfuzz.seconds="$seconds" "${skips[@]}" \
      -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    echo "  no finding"
  else
    echo "  FAILED: a finding (or a build error); see $log"
    grep -E "FuzzTestFindingException|Test unit written|crash-|ERROR\]" "$log" | head -20 || true
    status=1
  fi
  grep -E "^Done [0-9]+ runs|^#[0-9]+[[:space:]]+DONE" "$log" | tail -2 | sed 's/^/  /' || true
done
exit $status
