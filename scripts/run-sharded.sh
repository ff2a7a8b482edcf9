#!/usr/bin/env bash
# `make run-sharded`: three Redis groups (primaries 6400, 6410, 6420, each with a replica on the
# next port), Porter in front on 127.0.0.1:6380 (config/porter.sharded.yaml), and nutcracker on
# 127.0.0.1:22121 with the same ring, so keys written through one are found through the other.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/local-lib.sh
fresh_dir run/sharded

for primary in 6400 6410 6420; do
  start_redis "$primary"
  start_redis $((primary + 1)) --replicaof 127.0.0.1 "$primary"
done
for port in 6400 6401 6410 6411 6420 6421; do wait_for "$port"; done
cat >"$dir/nutcracker.yml" <<CONF
sessions:
  listen: 127.0.0.1:22121
  hash: fnv1a_64
  distribution: ketama
  hash_tag: "{}"
  redis: true
  servers:
   - 127.0.0.1:6400:1 sessions-a
   - 127.0.0.1:6410:1 sessions-b
   - 127.0.0.1:6420:2 sessions-c
CONF
nutcracker -c "$dir/nutcracker.yml" -s 22222 -a 127.0.0.1 -o "$dir/nutcracker.log" &
pids+=($!)
.build/release/porter run --config config/porter.sharded.yaml &
porter_pid=$!
wait_for 6380
wait_for 22121
cat <<MSG

  Porter is listening on 127.0.0.1:6380 in front of three groups on a ketama ring:
  sessions-a (6400, replica 6401), sessions-b (6410, 6411), sessions-c (6420, 6421, weight 2).
  nutcracker listens on 127.0.0.1:22121 with the same ring.

    redis-cli -p 6380 set PHPREDIS_SESSION:abc data    # lands on one group...
    redis-cli -p 22121 get PHPREDIS_SESSION:abc        # ...where nutcracker looks for it
    redis-cli -p 6380 mset a 1 b 2 c 3                 # split over the groups, one reply
    redis-cli -p 6380 --scan                           # every key of every group, once
    redis-cli -p 6380 info                             # ends with Porter's "# Porter" section
    redis-cli -p 6420 shutdown nosave                  # sessions-c's keys fail; the others' never

  Console: http://127.0.0.1:9180/   Logs: run/sharded/. Press Ctrl-C to stop everything.

MSG
wait "$porter_pid"
