#!/usr/bin/env bash
# Runs every benchmark in release mode and prints the table: this engine against
# swift-prometheus 2.x, allocations, memory per series, HTTP throughput, summary accuracy.
# Needs wrk on the PATH for the HTTP row (apt-get install -y wrk). Takes about ten minutes,
# most of them swift-prometheus creating 100,000 labelled series for the memory rows.
set -euo pipefail
cd "$(dirname "$0")"
load_before=$(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')
results=.build/benchmark-results
rm -rf "$results"
swift package --allow-writing-to-package-directory benchmark \
    --no-progress --format jmh --path "$results" >&2
swift build -c release --product BenchmarkReport >&2
.build/release/BenchmarkReport table "$results/Current_run.jmh.json" "$load_before"
