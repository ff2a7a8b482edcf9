#!/usr/bin/env python3
"""The session migration's costs, measured with the release build (README § Session migration).

Starts redis-server, memcached and MariaDB (in a scratch directory, on a unix socket), and Porter
with a migration from Memcached + MariaDB. Then:
  1. the backfill rate: N sessions put in the table, `porter backfill --config` with no rate limit;
  2. Porter's added latency per stage: redis-benchmark GET of one session key (-c 10, one
     request at a time per client) through Porter on each stage, against the same GET on Redis
     direct, interleaved; p50/p99 as redis-benchmark reports them.
Everything binds 127.0.0.1 or a unix socket, every run is bounded, and all processes stop at
the end. Usage: scripts/bench_migration.py [--sessions 50000] [--requests 20000] [--rounds 3]
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, free_port, stop_all, wait_ping  # noqa: E402

TOKEN = "bench-migration-token-0123456789"


def mariadb(socket, sql):
    subprocess.run(["mariadb", "--no-defaults", "-S", socket, "-uroot", "-N", "-e", sql], check=True)


def start_mariadb(work, procs):
    data, socket = os.path.join(work, "data"), os.path.join(work, "mariadb.sock")
    subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=normal",
                    "--skip-test-db", "--user=root"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(subprocess.Popen(["mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={socket}", "--skip-networking",
                                   "--user=root", f"--pid-file={work}/mariadb.pid", f"--log-error={work}/mariadb.log",
                                   "--innodb-buffer-pool-size=64M"]))
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(socket) and subprocess.run(["mariadb", "--no-defaults", "-S", socket, "-uroot", "-e", "SELECT 1"],
                                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            return socket
        time.sleep(0.1)
    raise SystemExit("mariadbd did not start")


def admin(port, method, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def latency(port, key, requests):
    """redis-benchmark's p50 and p99 (ms) of GET key, and its ops/s."""
    out = subprocess.run(["redis-benchmark", "-p", str(port), "-c", "10", "-n", str(requests), "--csv", "GET", key],
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()
    header = [h.strip('"') for h in out[0].split(",")]
    values = [v.strip('"') for v in out[-1].split(",")]
    row = dict(zip(header, values))
    return float(row["p50_latency_ms"]), float(row["p99_latency_ms"]), float(row["rps"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--porter", default=os.path.join(ROOT, ".build/release/porter"))
    opts = parser.parse_args()
    procs = []
    work = tempfile.mkdtemp(prefix="porter-bench-migration-")
    try:
        redis_port, memcached_port, port, admin_port = free_port(), free_port(), free_port(), free_port()
        procs.append(subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no",
                                       "--dir", work], stdout=subprocess.DEVNULL))
        procs.append(subprocess.Popen(["memcached", "-l", "127.0.0.1", "-p", str(memcached_port), "-U", "0", "-m", "256",
                                       "-u", "root"]))
        wait_ping(redis_port)
        socket = start_mariadb(work, procs)
        mariadb(socket, "CREATE DATABASE app; CREATE TABLE app.sessions (sess_id VARBINARY(128) PRIMARY KEY, "
                        "sess_data BLOB NOT NULL, sess_lifetime INT NOT NULL, sess_time INT UNSIGNED NOT NULL);")
        # The default configuration, plus the migration.
        config = os.path.join(work, "porter.yaml")
        with open(config, "w") as f:
            f.write(f"""listen: 127.0.0.1:{port}
log: {{ level: warning }}
admin: {{ listen: 127.0.0.1:{admin_port}, token: {TOKEN} }}
upstream:
  groups: [{{ name: sessions, primary: 127.0.0.1:{redis_port} }}]
migration:
  session_key: "PHPREDIS_SESSION:{{id}}"
  stage: redis_first
  legacy:
    memcached: {{ address: 127.0.0.1:{memcached_port} }}
    mysql: {{ socket: {socket}, user: root, database: app, table: sessions }}
""")
        procs.append(subprocess.Popen([opts.porter, "run", "-c", config]))
        wait_ping(port)

        # 1. The backfill rate, no rate limit: sessions of ~200 bytes, as PHP writes them.
        mariadb(socket, f"INSERT INTO app.sessions SELECT CONCAT('s', seq), CONCAT('user|s:5:\"alice\";n|i:', seq, ';pad|s:160:\"', "
                        f"REPEAT('x', 160), '\";'), 1440, UNIX_TIMESTAMP() FROM app.seq_1_to_{opts.sessions}")
        started = time.time()
        out = subprocess.run([opts.porter, "backfill", "--config", config], check=True, capture_output=True, text=True).stdout
        print(f"backfill of {opts.sessions} sessions (wall {time.time() - started:.1f} s): {out.strip()}")

        # 2. Added latency per stage, of a session both stores have.
        key = "PHPREDIS_SESSION:s1"
        results = {}
        # The dial only moves forward into redis_only: legacy, shadow and redis_first are measured
        # in interleaved rounds, then redis_only, with Redis direct measured beside every run.
        for rnd in range(opts.rounds):
            for stage in ("legacy", "shadow", "redis_first"):
                admin(admin_port, "PUT", "/v1/migration", {"stage": stage, "percent": 100})
                time.sleep(0.3)
                results.setdefault(stage, []).append(latency(port, key, opts.requests))
                results.setdefault("direct", []).append(latency(redis_port, key, opts.requests))
        admin(admin_port, "PUT", "/v1/migration", {"stage": "redis_only", "percent": 100})
        time.sleep(0.3)
        for rnd in range(opts.rounds):
            results.setdefault("redis_only", []).append(latency(port, key, opts.requests))
            results.setdefault("direct", []).append(latency(redis_port, key, opts.requests))
        direct_p50 = statistics.median(r[0] for r in results["direct"])
        direct_p99 = statistics.median(r[1] for r in results["direct"])
        print(f"\nsession GET, redis-benchmark -c 10 -n {opts.requests}, medians of {opts.rounds} rounds (release build)\n")
        print("| target | p50 ms | p99 ms | ops/s | p50 vs direct |")
        print("|---|---:|---:|---:|---:|")
        for name in ("direct", "legacy", "shadow", "redis_first", "redis_only"):
            p50 = statistics.median(r[0] for r in results[name])
            p99 = statistics.median(r[1] for r in results[name])
            rps = statistics.median(r[2] for r in results[name])
            print(f"| {name} | {p50:.3f} | {p99:.3f} | {rps:.0f} | +{p50 - direct_p50:.3f} ms |")
    finally:
        stop_all(procs, timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
