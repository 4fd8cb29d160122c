#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's fixtures and examples.
# The yaml and pipeline targets read a routing byte first (see src/lib.rs).
set -euo pipefail
cd "$(dirname "$0")"
src=(../tests/fixtures ../examples seeds)
mkdir -p corpus/{rust,sql,json,yaml,redisconf,dotenv,cargo,pipeline}
n=0
seed() { # target routing-byte-or-empty file
  local out="corpus/$1/seed-$((n++))"
  if [ -n "$2" ]; then { printf "\\x$(printf %02x "$2")"; cat "$3"; } >"$out"; else cp "$3" "$out"; fi
}
while IFS= read -r -d '' f; do
  base=$(basename "$f"); lower=${base,,}
  case "$lower" in
    cargo.toml) seed cargo "" "$f"; seed pipeline 11 "$f" ;;
    *.rs) seed rust "" "$f"; seed pipeline 0 "$f" ;;
    *.sql) seed sql "" "$f"; seed pipeline 1 "$f" ;;
    *.json) seed json "" "$f"; seed pipeline 2 "$f" ;;
    redis*.conf) seed redisconf "" "$f"; seed pipeline 9 "$f" ;;
    .env|.env.*|*.env) seed dotenv "" "$f"; seed pipeline 10 "$f" ;;
    *.yml|*.yaml|mongod*.conf)
      # Each seed under every YAML name, so each kind starts from real files.
      for r in 0 1 2 3 4 5; do seed yaml "$r" "$f"; done
      for r in 3 4 5 6 7 8; do seed pipeline "$r" "$f"; done ;;
  esac
done < <(find "${src[@]}" -type f -size -64k -print0)
for t in corpus/*; do echo "$t: $(ls "$t" | wc -l) seeds"; done
