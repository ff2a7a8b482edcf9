#!/usr/bin/env bash
# `make bench`: see scripts/bench.py, bench_sharded.py, bench_stall.py and bench_migration.py.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 scripts/bench.py "$@"
# Three groups on one ring: Porter against twemproxy (README § Benchmarks, sharded).
python3 scripts/bench_sharded.py
# The session migration: backfill rate and session GET latency per stage (README § Session migration).
python3 scripts/bench_migration.py
# Does one client's large value or a burst of connections stall the others (README § Benchmarks)?
python3 scripts/bench_stall.py
