#!/usr/bin/env bash
# Engine benchmarks (JMH): our engine, the Drools peer, the naive interpreted-MVEL peer, and the scaling runs.
# Writes JMH's JSON to docs/bench-results/. Measurement only: `mvn -B verify` never compiles or runs these.
#
#   bench/jmh.sh                      full run (~18 min on 2 cores): 1 fork, 3x2 s warm-up, 5x2 s measurement, -prof gc
#   bench/jmh.sh --quick              smoke run: 1 fork, 1x1 s warm-up, 2x1 s measurement
#   bench/jmh.sh [--quick] REGEX...   only the benchmarks matching the regexes, e.g. 'EngineBench' 'DroolsBench'
#   bench/jmh.sh ... -- JMH_OPTS...   extra JMH options, e.g. -- -p lines=20 -prof stack
#
# Data: rules-catalog/ of this repository plus the national sets in ../shared/knowledge/nhsa-2025
# (override with PREAUDIT_KNOWLEDGE_DIR). Other people share this machine: run the measurement for real figures as
#   bench/jmh.sh
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
if [[ "${1:-}" == "--quick" ]]; then mode=quick; shift; fi
filters=()
while [[ $# -gt 0 && "$1" != "--" ]]; do filters+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift
extra=("$@")

if [[ $mode == quick ]]; then
  timing=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
else
  timing=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
fi
# an option given after -- replaces the default of the same name
opts=()
for ((i = 0; i < ${#timing[@]}; i += 2)); do
  o=${timing[i]}
  [[ " ${extra[*]-} " == *" $o "* ]] || opts+=("$o" "${timing[i+1]}")
done
label=$mode
if [[ ${#filters[@]} -eq 0 ]]; then filters=('com.preaudit.bench.*'); else label="$mode-partial"; fi

mkdir -p docs/bench-results target/bench-results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw="target/bench-results/engine-$label-$stamp.json"    # JMH's full output, with the raw latency histograms
out="docs/bench-results/engine-$label-$stamp.json"      # the same without them (percentiles are kept)

args=(-cp %classpath -Dpreaudit.repo.dir="$PWD" org.openjdk.jmh.Main "${filters[@]}" "${opts[@]}"
      -prof gc -rf json -rff "$raw" "${extra[@]+"${extra[@]}"}")
echo "JMH ${args[*]:3}" >&2
mvn -B -q -Pbench test-compile exec:exec -Dexec.args="${args[*]}"
bench/jmh-report.py --compact "$raw" "$out"
echo "results: $out (full: $raw)" >&2
