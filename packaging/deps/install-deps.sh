#!/usr/bin/env bash
# Installs the Debian packages listed in debian-packages.txt that are not installed yet.
# Idempotent and quiet when nothing is missing, so `make test` can call it every time.
set -euo pipefail
list="$(dirname "$0")/debian-packages.txt"
missing=()
while read -r pkg; do
  pkg="${pkg%%#*}"; pkg="${pkg//[[:space:]]/}"
  [ -z "$pkg" ] && continue
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done < "$list"
if [ ${#missing[@]} -gt 0 ]; then
  echo "pilemesh: installing missing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "pilemesh: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm ships with Node.js from most sources; Debian's own nodejs package needs its npm package.
if ! command -v npm >/dev/null; then
  echo "pilemesh: installing Debian's npm"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends npm
fi

# npm packages, exactly as each package-lock.json pins them; again only when they changed:
# the web UI's libraries and browser driver, the OCPP schemas the ocpp plugin embeds, and the
# independent OCPP charge point the integration tests use.
top="$(dirname "$0")/../.."
for dir in web/ui plugins/ocpp/schemas tests/integration/ocpp; do
  if [ ! -f "$top/$dir/node_modules/.package-lock.json" ] || [ "$top/$dir/package-lock.json" -nt "$top/$dir/node_modules/.package-lock.json" ]; then
    echo "pilemesh: installing the npm packages of $dir"
    npm ci --prefix "$top/$dir" --no-audit --no-fund --loglevel=error
  fi
done
