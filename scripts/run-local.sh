#!/usr/bin/env bash
# `make run`: a local Redis primary (127.0.0.1:6390) with two replicas (6391, 6392), and Porter
# in front of them on 127.0.0.1:6380. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=run/local
mkdir -p "$dir"
redis_pids=()
for port in 6390 6391 6392; do
  extra=()
  [[ $port != 6390 ]] && extra=(--replicaof 127.0.0.1 6390)
  mkdir -p "$dir/$port"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir/$port" \
    --logfile "$PWD/$dir/redis-$port.log" --daemonize no "${extra[@]}" &
  redis_pids+=($!)
done
porter_pid=
cleanup() {
  [[ -n "$porter_pid" ]] && kill -TERM "$porter_pid" 2>/dev/null && wait "$porter_pid" 2>/dev/null || true
  for pid in "${redis_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for port in 6390 6391 6392; do
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
done
.build/release/porter run --config config/porter.example.yaml &
porter_pid=$!
for _ in $(seq 1 100); do redis-cli -p 6380 ping >/dev/null 2>&1 && break; sleep 0.05; done
cat <<MSG

  Porter is listening on 127.0.0.1:6380, in front of a Redis primary on 127.0.0.1:6390
  and its replicas on 6391 and 6392.

    redis-cli -p 6380              # talk to Redis through Porter
    redis-cli -p 6380 set k v      # one command
    redis-cli -p 6391 shutdown nosave   # kill a replica: Porter notices, clients see nothing

  Config: config/porter.example.yaml. Press Ctrl-C to stop everything.

MSG
wait "$porter_pid"
