#!/usr/bin/env bash
# Rebuilds every *.bpf.c in the repository into the *.bpf.o next to it, reproducibly: paths are
# relative to the repository root and the debug info names the compilation directory ".", so a
# clone at another path produces the same bytes.
#
#   scripts/build-bpf.sh            rebuild in place
#   scripts/build-bpf.sh OUTDIR     write OUTDIR/<path>.bpf.o instead (the reproducibility test)
#
# A source may ask for extra flags on a line "build-bpf-flags: ..." (e.g. -g0 for an object
# without BTF, as old toolchains produced).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-}"
if [[ -n "$out" ]]; then
  mkdir -p "$out"
  out="$(cd "$out" && pwd)"
fi
CLANG="${CLANG:-clang}"
arch_include="/usr/include/$(uname -m)-linux-gnu"

git ls-files --cached --others --exclude-standard -- '*.bpf.c' | LC_ALL=C sort | while read -r src; do
  obj="${src%.c}.o"
  [[ -n "$out" ]] && obj="$out/$obj" && mkdir -p "$(dirname "$obj")"
  extra="$(sed -n 's/.*build-bpf-flags:\(.*\)$/\1/p' "$src" | head -n 1 | sed 's/\*\/.*//')"
  # shellcheck disable=SC2086
  "$CLANG" -O2 -g -target bpf -I"$arch_include" \
    -fdebug-compilation-dir=. -fdebug-prefix-map="$root"=. \
    $extra -c "$src" -o "$obj"
  echo "built $obj"
done
