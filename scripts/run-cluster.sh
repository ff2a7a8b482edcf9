#!/usr/bin/env bash
# `make run-cluster`: a Redis Cluster of three primaries and three replicas on 127.0.0.1:7001-7006
# (cluster-node-timeout 2000 ms), and Porter in front on 127.0.0.1:6380
# (config/porter.cluster.yaml). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-lib.sh
fresh_dir run/cluster

ports=(7001 7002 7003 7004 7005 7006)
for port in "${ports[@]}"; do
  start_redis "$port" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000
done
for port in "${ports[@]}"; do wait_for "$port"; done
redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 1 --cluster-yes >"$dir/create.log"
for _ in $(seq 1 200); do
  redis-cli -p 7001 cluster info | grep -q cluster_state:ok && break
  sleep 0.1
done
.build/release/porter run --config config/porter.cluster.yaml &
porter_pid=$!
wait_for 6380
cat <<MSG

  Porter is listening on 127.0.0.1:6380 in front of a Redis Cluster on 127.0.0.1:7001-7006
  (three primaries, three replicas).

    redis-cli -p 6380 set PHPREDIS_SESSION:abc data    # no MOVED: Porter sends it to its slot
    redis-cli -p 6380 mset a 1 b 2 c 3                 # split by slot, one reply
    redis-cli -p 6380 --scan                           # every key of every primary, once
    redis-cli --cluster reshard 127.0.0.1:7001         # move slots: clients see nothing
    kill -9 \$(pgrep -f 'redis-server.*:7001')        # a primary dies: its writes wait for the
                                                       # promoted replica, other shards never notice

  Console: http://127.0.0.1:9180/   Logs: run/cluster/. Press Ctrl-C to stop everything.

MSG
wait "$porter_pid"
