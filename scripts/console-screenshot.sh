#!/usr/bin/env bash
# Takes docs/console.png: the `make run` topology under a bounded redis-benchmark load, one
# replica killed, and the console in headless Chromium. Needs the release build (make build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/run-local.sh > /tmp/porter-console-run.log 2>&1 &
run_pid=$!
trap 'kill -INT $run_pid 2>/dev/null; wait $run_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do curl -sf http://127.0.0.1:9180/readyz >/dev/null && break; sleep 0.1; done
# Session-like traffic for 12 s at most: reads and writes of 10,000 keys.
timeout 12 redis-benchmark -p 6380 -c 20 -n 2000000 -r 10000 -t set,get -q -P 4 >/dev/null 2>&1 &
sleep 4
redis-cli -p 6392 shutdown nosave >/dev/null 2>&1 || true
sleep 4
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
  --window-size=1280,900 --virtual-time-budget=6000 --screenshot=docs/console.png http://127.0.0.1:9180/ 2>/dev/null
echo "wrote docs/console.png"
