#!/usr/bin/env bash
# Runs every libFuzzer target of a PILEMESH_FUZZ build for N seconds each, growing a scratch
# copy of its corpus. Crashes are written to build-fuzz/crashes/; copy the reproducer into the
# target's corpus folder once fixed.
set -euo pipefail
build=${1:-build-fuzz}; seconds=${2:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$build/crashes"
for bin in "$build"/bin/fuzz_*; do
  name=$(basename "$bin")
  corpus="$root/tests/fuzz/corpus/${name#fuzz_}"
  work="$build/corpus/${name#fuzz_}"
  mkdir -p "$work"; cp -n "$corpus"/* "$work"/ 2>/dev/null || true
  echo "== $name for ${seconds}s"
  "$bin" -max_total_time="$seconds" -artifact_prefix="$build/crashes/$name-" "$work"
done
