#!/usr/bin/env bash
# Renders the auditor's HTML report of examples/leaky-agency with headless
# Chromium (Debian's `chromium` package) at a desktop and a phone width:
#   docs/report-desktop.png (1280 px wide) and docs/report-phone.png (390 px).
#
# Usage: scripts/screenshots.sh
# Environment:
#   LEAKGUARD_BIN  a leakguard binary to use (default: cargo build --release)
#   CHROMIUM       the browser (default: chromium)
#   HEIGHT_DESKTOP / HEIGHT_PHONE  capture heights in CSS pixels
#
# The report has no script and no external resource; Chromium runs with a
# fresh profile, without network services, and the profile is removed after.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
chromium=${CHROMIUM:-chromium}
height_desktop=${HEIGHT_DESKTOP:-3000}
height_phone=${HEIGHT_PHONE:-3600}

if ! command -v "$chromium" >/dev/null 2>&1; then
    echo "screenshots.sh: $chromium not found (Debian: apt-get install -y chromium)" >&2
    exit 2
fi

bin=${LEAKGUARD_BIN:-}
if [[ -z $bin ]]; then
    cargo build --release --quiet
    bin=$root/target/release/leakguard
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A fixed time keeps the screenshots reproducible.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795176000} \
    "$bin" report examples/leaky-agency --format html --output "$tmp/report.html" --no-fail

shoot() {
    local name=$1 width=$2 height=$3 scale=$4
    "$chromium" \
        --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --no-default-browser-check --disable-extensions \
        --hide-scrollbars --force-device-scale-factor="$scale" \
        --user-data-dir="$tmp/profile-$name" \
        --window-size="$width,$height" \
        --screenshot="$root/docs/report-$name.png" \
        "file://$tmp/report.html" >"$tmp/chromium-$name.log" 2>&1 || {
        cat "$tmp/chromium-$name.log" >&2
        exit 1
    }
    echo "wrote docs/report-$name.png (${width}x${height} CSS px, scale $scale)"
}

mkdir -p docs
shoot desktop 1280 "$height_desktop" 1
shoot phone 390 "$height_phone" 2
