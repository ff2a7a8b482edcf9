#!/usr/bin/env python3
"""Porter against twemproxy over the same three-group ring, in one run.

Starts three redis-servers, nutcracker with the three as one ketama pool (fnv1a_64, servers
named g0, g1, g2), and Porter (release build, its default configuration but for the three
groups named g0, g1, g2: the same ring). For every scenario and round, runs redis-benchmark
(random keys over 100,000, so every group gets its share) against both in turn, interleaved,
and prints medians: ops/s, Porter/twemproxy, p99 and CPU µs per request of each (from /proc).
MSET is redis-benchmark's 10-key MSET, split over the groups by both proxies.

Everything binds 127.0.0.1 and every run is bounded by a request count.
Usage: scripts/bench_sharded.py [--rounds 3] [--requests 100000]
"""
import argparse, os, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import cpu_seconds, free_port, stop_all, wait_ping  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = [
    ("-c 50 -P 1", ["-c", "50", "-P", "1", "-d", "64"], 1.0),
    ("-c 50 -P 16", ["-c", "50", "-P", "16", "-d", "64"], 4.0),
]
TESTS = ["GET", "SET", "MSET"]


def bench(port, test, args, requests):
    """One redis-benchmark test: (ops/s, p99 ms)."""
    import csv, io
    cmd = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-t", test.lower(), "-n", str(requests), "--csv", "-r", "100000"] + args
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600).stdout
    for row in csv.DictReader(io.StringIO(out)):
        return float(row["rps"]), float(row["p99_latency_ms"])
    raise RuntimeError(f"redis-benchmark gave no result for port {port}: {out[:200]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100000)
    opts = parser.parse_args()
    porter_bin = os.path.join(ROOT, ".build/release/porter")
    if not os.path.exists(porter_bin):
        sys.exit("build first: swift build -c release --product porter")
    work = tempfile.mkdtemp(prefix="porter-bench-sharded-")
    procs = []

    def start(cmd):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"{os.path.basename(cmd[0])}-{len(procs)}.log"), "w"))
        procs.append(p)
        return p

    try:
        redis_ports = [free_port() for _ in range(3)]
        for port in redis_ports:
            start(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", work])
            wait_ping(port)
        tw_port, porter_port = free_port(), free_port()
        servers = "".join(f"    - 127.0.0.1:{p}:1 g{i}\n" for i, p in enumerate(redis_ports))
        with open(os.path.join(work, "nutcracker.yml"), "w") as f:
            f.write(f"bench:\n  listen: 127.0.0.1:{tw_port}\n  hash: fnv1a_64\n  distribution: ketama\n  redis: true\n"
                    f"  server_connections: 1\n  auto_eject_hosts: false\n  servers:\n{servers}")
        twem = start(["nutcracker", "-c", os.path.join(work, "nutcracker.yml"), "-s", str(free_port()), "-a", "127.0.0.1"])
        groups = "".join(f"    - {{ name: g{i}, primary: 127.0.0.1:{p} }}\n" for i, p in enumerate(redis_ports))
        with open(os.path.join(work, "porter.yaml"), "w") as f:
            # Porter's defaults (connections per node, write_wait, admin sampling every second).
            f.write(f"listen: 127.0.0.1:{porter_port}\nlog: {{ level: warning }}\nadmin: 127.0.0.1:{free_port()}\n"
                    f"upstream:\n  hash: fnv1a_64\n  distribution: ketama\n  groups:\n{groups}")
        porter = start([porter_bin, "run", "-c", os.path.join(work, "porter.yaml")])
        wait_ping(tw_port)
        wait_ping(porter_port)
        targets = [("twemproxy", tw_port, twem), ("porter", porter_port, porter)]
        results, cpu = {}, {}
        for rnd in range(opts.rounds):
            for name, args, scale in SCENARIOS:
                n = max(2000, int(opts.requests * scale))
                for test in TESTS:
                    for target, port, proc in (targets if rnd % 2 == 0 else list(reversed(targets))):
                        before = cpu_seconds(proc.pid)
                        results.setdefault((name, target, test), []).append(bench(port, test, args, n))
                        cpu.setdefault((name, target, test), []).append((cpu_seconds(proc.pid) - before) * 1e6 / n)
                print(f"round {rnd + 1}/{opts.rounds}: {name} done", file=sys.stderr)

        def med(key, i):
            return statistics.median(v[i] for v in results[key])

        print(f"\nThree groups, one ketama ring (fnv1a_64); medians of {opts.rounds} interleaved rounds; "
              f"{opts.requests} requests per test (x4 at -P 16); random keys over 100,000.\n")
        print("| scenario | test | twemproxy ops/s | porter ops/s | porter/twemproxy | p99 ms twem/porter | CPU µs/req twem/porter |")
        print("|---|---|---:|---:|---:|---|---|")
        for name, _, _ in SCENARIOS:
            for test in TESTS:
                tw, po = med((name, "twemproxy", test), 0), med((name, "porter", test), 0)
                p99 = f"{med((name, 'twemproxy', test), 1):.3f}/{med((name, 'porter', test), 1):.3f}"
                c = "/".join(f"{statistics.median(cpu[(name, t, test)]):.1f}" for t in ("twemproxy", "porter"))
                print(f"| {name} | {test} | {tw:.0f} | {po:.0f} | {po / tw:.2f} | {p99} | {c} |")
        print("\nA MSET of 10 keys counts as one request.")
    finally:
        stop_all(procs)


if __name__ == "__main__":
    main()
