#!/usr/bin/env bash
# Times leakguard beside Checkov and Semgrep on the benchmark corpus.
#
#   benches/peers.sh [CORPUS]     (default target/bench/corpus-1x)
#
# Checkov and Semgrep are installed from PyPI into a throwaway virtual
# environment under target/bench/peers-venv (nothing global). Each tool
# runs once, single-process where it can be told so, on:
#   * the corpus's YAML and JSON (Checkov's ground: Kubernetes, compose is
#     not a Checkov framework, CloudFormation, Helm values as YAML);
#   * the whole corpus with benches/peers/semgrep.yml, a small Semgrep rule
#     set asking comparable questions (benches/peers/semgrep.yml).
# The tools do not find the same things: this compares throughput only.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-target/bench/corpus-1x}"
[ -d "$corpus" ] || cargo bench --bench bench -- --generate-only
venv=target/bench/peers-venv
if [ ! -x "$venv/bin/semgrep" ] || [ ! -x "$venv/bin/checkov" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet checkov semgrep
fi
cargo build --release --quiet
lg=target/release/leakguard
yaml_only="target/bench/peers-yaml"
rm -rf "$yaml_only"
# The corpus's YAML and JSON alone, same relative paths.
mkdir -p "$yaml_only"
(cd "$corpus" && find . -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 |
  tar -cf - --null -T -) | tar -xf - -C "$yaml_only"

secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
cores=$(nproc)
echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "checkov $("$venv/bin/checkov" --version 2>/dev/null), semgrep $("$venv/bin/semgrep" --version 2>/dev/null)"
echo "yaml/json: $(find "$yaml_only" -type f | wc -l) files; whole corpus: $(find "$corpus" -type f | wc -l) files"

lg_yaml=$(secs "$lg" check --no-cache --format json "$yaml_only")
ck_yaml=$(secs "$venv/bin/checkov" --quiet --compact -o json -d "$yaml_only" --framework kubernetes cloudformation helm)
lg_all=$(secs "$lg" check --no-cache --format json "$corpus")
sg_all=$(secs "$venv/bin/semgrep" scan --metrics=off --disable-version-check --no-git-ignore --quiet --json --jobs "$cores" --config benches/peers/semgrep.yml "$corpus")

printf '| Run | leakguard | peer | peer / leakguard |\n| --- | --- | --- | --- |\n'
printf '| YAML+JSON vs Checkov | %.2f s | %.2f s | %.1fx |\n' "$lg_yaml" "$ck_yaml" "$(echo "$ck_yaml / $lg_yaml" | bc -l)"
printf '| Whole corpus vs Semgrep | %.2f s | %.2f s | %.1fx |\n' "$lg_all" "$sg_all" "$(echo "$sg_all / $lg_all" | bc -l)"
