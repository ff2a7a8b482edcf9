#!/usr/bin/env bash
# `make run`: a local Redis on 127.0.0.1:6390 and Porter in front of it on 127.0.0.1:6380.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=run/local
mkdir -p "$dir"
redis-server --bind 127.0.0.1 --port 6390 --save '' --appendonly no --dir "$dir" \
  --logfile "$PWD/$dir/redis-6390.log" --daemonize no &
redis_pid=$!
porter_pid=
cleanup() {
  [[ -n "$porter_pid" ]] && kill -TERM "$porter_pid" 2>/dev/null && wait "$porter_pid" 2>/dev/null || true
  kill -TERM "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 100); do redis-cli -p 6390 ping >/dev/null 2>&1 && break; sleep 0.05; done
.build/release/porter run --config config/porter.example.yaml &
porter_pid=$!
for _ in $(seq 1 100); do redis-cli -p 6380 ping >/dev/null 2>&1 && break; sleep 0.05; done
cat <<MSG

  Porter is listening on 127.0.0.1:6380, in front of Redis on 127.0.0.1:6390.

    redis-cli -p 6380              # talk to Redis through Porter
    redis-cli -p 6380 set k v      # one command

  Config: config/porter.example.yaml. Press Ctrl-C to stop both.

MSG
wait "$porter_pid"
