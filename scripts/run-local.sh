#!/usr/bin/env bash
# `make run`: a local Redis primary (127.0.0.1:6390) with two replicas (6391, 6392), three
# sentinels watching them (26390-26392, quorum 2), and Porter in front on 127.0.0.1:6380, finding
# the primary through the sentinels. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-lib.sh
fresh_dir run/local

start_redis 6390
start_redis 6391 --replicaof 127.0.0.1 6390
start_redis 6392 --replicaof 127.0.0.1 6390
for port in 6390 6391 6392; do wait_for "$port"; done
for port in 26390 26391 26392; do
  conf="$dir/sentinel-$port.conf"
  cat >"$conf" <<CONF
bind 127.0.0.1
port $port
dir $PWD/$dir
logfile $PWD/$dir/sentinel-$port.log
sentinel monitor sessions-a 127.0.0.1 6390 2
sentinel down-after-milliseconds sessions-a 2000
sentinel failover-timeout sessions-a 10000
CONF
  redis-sentinel "$conf" &
  pids+=($!)
done
for port in 26390 26391 26392; do wait_for "$port"; done

# The admin token guards config reloads over HTTP; made here once, kept under run/.
if [ ! -s run/admin-token ]; then
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > run/admin-token
fi
export PORTER_ADMIN_TOKEN="$(cat run/admin-token)"
.build/release/porter run --config config/porter.example.yaml &
porter_pid=$!
wait_for 6380
cat <<MSG

  Porter is listening on 127.0.0.1:6380, in front of the Redis group "sessions-a": a primary
  on 127.0.0.1:6390 and replicas on 6391 and 6392, watched by sentinels on 26390-26392.

    redis-cli -p 6380                     # talk to Redis through Porter
    redis-cli -p 6380 set k v             # one command
    redis-cli -p 6391 shutdown nosave     # kill a replica: clients see nothing
    redis-cli -p 6390 shutdown nosave     # kill the primary: the sentinels promote a replica
                                          # (about 3 s) and Porter follows at once
    redis-cli -p 26390 sentinel get-master-addr-by-name sessions-a

  Console: http://127.0.0.1:9180/   Metrics: http://127.0.0.1:9180/metrics
    .build/release/porter status          # the same, in the terminal
    kill -HUP $porter_pid                  # reload config/porter.example.yaml
    curl -X POST -H "Authorization: Bearer \$(cat run/admin-token)" http://127.0.0.1:9180/v1/config/reload

  Config: config/porter.example.yaml; logs: run/local/. Press Ctrl-C to stop everything.

MSG
wait "$porter_pid"
