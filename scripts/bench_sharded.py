#!/usr/bin/env python3
"""Porter with several shards against the baselines, in one run each.

Ring: three redis-servers as one ketama ring (fnv1a_64, servers named g0, g1, g2) behind
nutcracker and behind Porter (its default configuration but for the three groups, named the
same: the same ring).
Cluster: a Redis Cluster of three primaries (`redis-cli --cluster create`), reached by
redis-benchmark's own `--cluster` mode directly, and through Porter (`upstream.cluster`).

For every scenario and round, runs redis-benchmark (random keys over 100,000, so every shard
gets its share; one test per run) against each target in turn, interleaved, and prints medians:
ops/s, the ratio, p99, and CPU µs per request of each proxy (from /proc). MSET is
redis-benchmark's 10-key MSET, which both proxies split over the shards (`--cluster` cannot run
it: its keys are on several slots). Everything binds 127.0.0.1 and every run is bounded by a
request count. Usage: scripts/bench_sharded.py [--rounds 3] [--requests 100000]
"""
import argparse, csv, io, os, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import cpu_seconds, free_port, stop_all, wait_ping  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = [
    ("-c 50 -P 1", ["-c", "50", "-P", "1", "-d", "64"], 1.0),
    ("-c 50 -P 16", ["-c", "50", "-P", "16", "-d", "64"], 4.0),
]


def bench(port, test, args, requests, cluster=False):
    """One redis-benchmark test: (ops/s, p99 ms)."""
    cmd = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-t", test.lower(), "-n", str(requests), "--csv", "-r", "100000"] + args
    if cluster:
        cmd.append("--cluster")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600).stdout
    # --cluster prints the masters it found before the CSV.
    out = out[out.find('"test"'):] if '"test"' in out else out
    for row in csv.DictReader(io.StringIO(out)):
        return float(row["rps"]), float(row["p99_latency_ms"])
    raise RuntimeError(f"redis-benchmark gave no result for port {port}: {out[:200]}")


def measure(targets, tests, rounds, requests):
    """targets: (name, port, process or None, cluster flag). Returns (results, cpu) medians' inputs."""
    results, cpu = {}, {}
    for rnd in range(rounds):
        for name, args, scale in SCENARIOS:
            n = max(2000, int(requests * scale))
            for test in tests:
                for target, port, proc, cluster in (targets if rnd % 2 == 0 else list(reversed(targets))):
                    before = cpu_seconds(proc.pid) if proc else 0
                    results.setdefault((name, target, test), []).append(bench(port, test, args, n, cluster))
                    if proc:
                        cpu.setdefault((name, target, test), []).append((cpu_seconds(proc.pid) - before) * 1e6 / n)
            print(f"round {rnd + 1}/{rounds}: {name} done", file=sys.stderr)
    return results, cpu


def table(title, results, cpu, tests, baseline, cpu_targets):
    def med(key, i):
        return statistics.median(v[i] for v in results[key])
    print(f"\n{title}\n")
    print(f"| scenario | test | {baseline} ops/s | porter ops/s | porter/{baseline} | p99 ms {baseline}/porter | CPU µs/req {'/'.join(cpu_targets)} |")
    print("|---|---|---:|---:|---:|---|---|")
    for name, _, _ in SCENARIOS:
        for test in tests:
            base, po = med((name, baseline, test), 0), med((name, "porter", test), 0)
            p99 = f"{med((name, baseline, test), 1):.3f}/{med((name, 'porter', test), 1):.3f}"
            c = "/".join(f"{statistics.median(cpu[(name, t, test)]):.1f}" for t in cpu_targets)
            print(f"| {name} | {test} | {base:.0f} | {po:.0f} | {po / base:.2f} | {p99} | {c} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100000)
    opts = parser.parse_args()
    porter_bin = os.path.join(ROOT, ".build/release/porter")
    if not os.path.exists(porter_bin):
        sys.exit("build first: make build")
    work = tempfile.mkdtemp(prefix="porter-bench-sharded-")
    procs = []

    def start(cmd, cwd=None):
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"{os.path.basename(cmd[0])}-{len(procs)}.log"), "w"))
        procs.append(p)
        return p

    def redis(port, *extra):
        d = os.path.join(work, str(port))
        os.makedirs(d, exist_ok=True)
        start(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", d] + list(extra))
        wait_ping(port)

    def porter(yaml):
        port = free_port()
        path = os.path.join(work, f"porter-{port}.yaml")
        with open(path, "w") as f:
            # Porter's defaults (connections per node, write_wait, admin sampling every second).
            f.write(f"listen: 127.0.0.1:{port}\nlog: {{ level: warning }}\nadmin: 127.0.0.1:{free_port()}\n{yaml}")
        proc = start([porter_bin, "run", "-c", path])
        wait_ping(port)
        return port, proc

    try:
        # The ring.
        ring_ports = [free_port() for _ in range(3)]
        for port in ring_ports:
            redis(port)
        tw_port = free_port()
        servers = "".join(f"    - 127.0.0.1:{p}:1 g{i}\n" for i, p in enumerate(ring_ports))
        with open(os.path.join(work, "nutcracker.yml"), "w") as f:
            f.write(f"bench:\n  listen: 127.0.0.1:{tw_port}\n  hash: fnv1a_64\n  distribution: ketama\n  redis: true\n"
                    f"  server_connections: 1\n  auto_eject_hosts: false\n  servers:\n{servers}")
        twem = start(["nutcracker", "-c", os.path.join(work, "nutcracker.yml"), "-s", str(free_port()), "-a", "127.0.0.1"])
        wait_ping(tw_port)
        groups = "".join(f"    - {{ name: g{i}, primary: 127.0.0.1:{p} }}\n" for i, p in enumerate(ring_ports))
        ring_porter, ring_proc = porter(f"upstream:\n  hash: fnv1a_64\n  distribution: ketama\n  groups:\n{groups}")
        tests = ["GET", "SET", "MSET"]
        results, cpu = measure([("twemproxy", tw_port, twem, False), ("porter", ring_porter, ring_proc, False)], tests, opts.rounds, opts.requests)
        table(f"Three groups, one ketama ring (fnv1a_64); medians of {opts.rounds} interleaved rounds; {opts.requests} "
              "requests per test (x4 at -P 16); random keys over 100,000. A MSET of 10 keys counts as one request.",
              results, cpu, tests, "twemproxy", ["twemproxy", "porter"])
        stop_all([ring_proc, twem])

        # The cluster (bus ports are port + 10000).
        cluster_ports = []
        while len(cluster_ports) < 3:
            port = free_port()
            if port + 10000 < 65536:
                cluster_ports.append(port)
        for port in cluster_ports:
            redis(port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
        subprocess.run(["redis-cli", "--cluster", "create"] + [f"127.0.0.1:{p}" for p in cluster_ports] + ["--cluster-yes"],
                       capture_output=True, timeout=60, check=True)
        for _ in range(200):
            info = subprocess.run(["redis-cli", "-p", str(cluster_ports[0]), "cluster", "info"], capture_output=True, text=True).stdout
            if "cluster_state:ok" in info:
                break
            time.sleep(0.1)
        cluster_porter, cluster_proc = porter(f"upstream:\n  cluster: {{ seeds: [127.0.0.1:{cluster_ports[0]}] }}\n")
        tests = ["GET", "SET"]
        results, cpu = measure([("direct", cluster_ports[0], None, True), ("porter", cluster_porter, cluster_proc, False)], tests, opts.rounds, opts.requests)
        table(f"Redis Cluster of three primaries: redis-benchmark --cluster directly against Porter (upstream.cluster); "
              f"medians of {opts.rounds} interleaved rounds.", results, cpu, tests, "direct", ["porter"])
    finally:
        stop_all(procs)


if __name__ == "__main__":
    main()
