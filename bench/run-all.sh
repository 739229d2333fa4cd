#!/usr/bin/env bash
# `make bench`: runs every benchmark, one after the other (never two at once: the machine is
# small and shared). Each prints its figures last as `BENCH <name> <value> <unit>`; the summary
# at the end repeats them all.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp); trap 'rm -f "$out"' EXIT
for bench in "$root"/bench/*_bench.py; do
  echo "== $(basename "$bench")"
  python3 "$bench" "$build" | tee -a "$out"
done
for bin in "$build"/bin/bench_*; do
  [ -x "$bin" ] || continue
  echo "== $(basename "$bin")"
  "$bin" | tee -a "$out"
done
echo "== summary"
grep '^BENCH ' "$out"
