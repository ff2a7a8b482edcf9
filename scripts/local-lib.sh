# Shared by the `make run*` scripts: process bookkeeping, and waiting for a RESP port.
pids=()
# fresh_dir PATH: the run's directory (logs, data), emptied; later functions use $dir.
fresh_dir() { dir=$1; rm -rf "$dir"; mkdir -p "$dir"; }
porter_pid=
cleanup() {
  [[ -n "$porter_pid" ]] && kill -TERM "$porter_pid" 2>/dev/null && wait "$porter_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
wait_for() { for _ in $(seq 1 200); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "port $1 did not answer" >&2; return 1; }
# start_redis PORT [redis-server options...]: one redis-server under $dir, no persistence.
start_redis() {
  local port=$1
  shift
  mkdir -p "$dir/$port"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$PWD/$dir/$port" \
    --repl-diskless-sync-delay 0 --logfile "$PWD/$dir/redis-$port.log" --daemonize no "$@" &
  pids+=($!)
}
