#!/usr/bin/env bash
# Installs the plugin SDK into a temporary prefix, builds plugins/example against it with
# find_package(PilemeshHAL) as a plugin author would, and checks that pilemeshd loads it.
set -euo pipefail
build=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" --component Unspecified >/dev/null
cmake -S "$src/plugins/example" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
test -f "$work/build/pilemesh-example.so"
cat > "$work/pilemesh.toml" <<TOML
[plugins]
dirs = ["$work/build"]
[[meters]]
id = "solar"
driver = "example/constant-meter"
[meters.settings]
power_w = 1200
TOML
"$build/bin/pilemeshd" --config "$work/pilemesh.toml" --check-config
echo "out-of-tree example plugin built against the installed SDK and accepted by pilemeshd"
