#!/usr/bin/env bash
# Takes docs/console.png: a primary (6490) and two replicas (6491, 6492), Porter on 6480 with
# sessions on the primary and `cache:` keys read from replicas, bounded redis-benchmark loads,
# then the replica on 6492 hung (SIGSTOP, like a dead reader) and the console in headless
# Chromium. Needs the release build (make build). Everything stops at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for port in 6490 6491 6492; do
  extra=()
  [[ $port != 6490 ]] && extra=(--replicaof 127.0.0.1 6490)
  redis-server --bind 127.0.0.1 --port $port --save '' --dir "$work" "${extra[@]}" >/dev/null &
  pids+=($!)
done
cat > "$work/porter.yaml" <<YAML
listen: 127.0.0.1:6480
admin: 127.0.0.1:9190
log: { level: warning }
upstream:
  read_from: primary
  read_routes: [ { prefix: "cache:", read_from: replicas_then_primary } ]
  health: { interval: 500ms, timeout: 250ms, rise: 2, fall: 2 }
  groups:
    - name: sessions
      primary: 127.0.0.1:6490
      replicas: [127.0.0.1:6491, 127.0.0.1:6492]
YAML
.build/release/porter run -c "$work/porter.yaml" &
pids+=($!)
for _ in $(seq 1 200); do curl -sf http://127.0.0.1:9190/readyz >/dev/null && break; sleep 0.1; done
# Session-like traffic and cache reads, each bounded to 15 s.
timeout 15 redis-benchmark -p 6480 -c 20 -n 5000000 -r 10000 -t set,get -q >/dev/null 2>&1 &
timeout 15 redis-benchmark -p 6480 -c 10 -n 5000000 -r 10000 -q GET cache:__rand_int__ >/dev/null 2>&1 &
sleep 5
kill -STOP "${pids[2]}"   # the replica on 6492 hangs
sleep 3
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
  --window-size=1280,820 --virtual-time-budget=2500 --screenshot=docs/console.png http://127.0.0.1:9190/ 2>/dev/null
.build/release/porter status --admin 127.0.0.1:9190
echo "wrote docs/console.png"
