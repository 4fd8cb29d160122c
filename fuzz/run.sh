#!/usr/bin/env bash
# Runs one built fuzz target for N seconds (default 600) on its corpus;
# the log goes to fuzz/logs/<target>.log. Build first (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
t=$1; secs=${2:-600}
mkdir -p logs "artifacts/$t" "corpus/$t"
exec "${FUZZ_BIN:-target/x86_64-unknown-linux-gnu/release}/$t" "corpus/$t" \
  -artifact_prefix="artifacts/$t/" -max_total_time="$secs" -timeout=10 \
  -rss_limit_mb=4096 -max_len=32768 -print_final_stats=1 >"logs/$t.log" 2>&1
