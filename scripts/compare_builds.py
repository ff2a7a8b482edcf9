#!/usr/bin/env python3
"""Two Porter builds in front of one redis-server, measured in the same run, interleaved.

For hot-path changes: build the old commit in a worktree (`git worktree add /tmp/porter-old
<commit>; cd /tmp/porter-old; make build`), then
`scripts/compare_builds.py /tmp/porter-old/.build/release/porter .build/release/porter`.
Prints, per scenario, the median ops/s and CPU µs/request of each build and their ratio
(B/A). Each build runs with its admin server on (sampling every second), as in production.
"""
import argparse, os, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import bench, cpu_seconds, free_port, stop_all, wait_ping  # noqa: E402

SCENARIOS = [
    ("-c 50 -P 1", ["-c", "50", "-P", "1", "-d", "64"], 100_000),
    ("-c 50 -P 16", ["-c", "50", "-P", "16", "-d", "64"], 400_000),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--b-yaml", help="YAML appended to B's configuration (e.g. a migration section), "
                        "to measure what a feature costs the keys it does not touch; {dir} is a scratch directory")
    opts = parser.parse_args()
    procs = []
    with tempfile.TemporaryDirectory() as work:
        try:
            redis_port = free_port()
            procs.append(subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no", "--dir", work], stdout=subprocess.DEVNULL))
            wait_ping(redis_port)
            ports = {}
            pids = {}
            for name, binary in (("A", opts.a), ("B", opts.b)):
                port = free_port()
                path = os.path.join(work, f"{name}.yaml")
                with open(path, "w") as f:
                    # Builds from before the admin server validate the key and listen on nothing.
                    admin = f"admin: 127.0.0.1:{free_port()}\n"
                    f.write(f"listen: 127.0.0.1:{port}\nlog: {{ level: warning }}\n{admin}"
                            f"upstream:\n  groups:\n    - {{ name: b, primary: 127.0.0.1:{redis_port} }}\n")
                    if name == "B" and opts.b_yaml:
                        with open(opts.b_yaml) as extra:
                            f.write(extra.read().replace("{dir}", work))
                p = subprocess.Popen([binary, "run", "-c", path])
                procs.append(p)
                wait_ping(port)
                ports[name], pids[name] = port, p.pid
            results = {}
            for rnd in range(opts.rounds):
                order = ("A", "B") if rnd % 2 == 0 else ("B", "A")
                for label, args, requests in SCENARIOS:
                    for name in order:
                        before = cpu_seconds(pids[name])
                        rows = bench(ports[name], args, requests)
                        used = cpu_seconds(pids[name]) - before
                        for test in ("GET", "SET"):
                            results.setdefault((label, test, name), []).append(rows[test][0])
                        results.setdefault((label, "cpu", name), []).append(used * 1e6 / (2 * requests))
                print(f"round {rnd + 1}/{opts.rounds} done", file=sys.stderr)
            print(f"A = {opts.a}\nB = {opts.b}\nmedians of {opts.rounds} interleaved rounds\n")
            print("| scenario | test | A ops/s | B ops/s | B/A | CPU µs/req A | CPU µs/req B |")
            print("|---|---|---:|---:|---:|---:|---:|")
            for label, _, _ in SCENARIOS:
                cpu_a = statistics.median(results[(label, "cpu", "A")])
                cpu_b = statistics.median(results[(label, "cpu", "B")])
                for test in ("GET", "SET"):
                    a = statistics.median(results[(label, test, "A")])
                    b = statistics.median(results[(label, test, "B")])
                    print(f"| {label} | {test} | {a:.0f} | {b:.0f} | {b / a:.3f} | {cpu_a:.2f} | {cpu_b:.2f} |")
        finally:
            stop_all(procs, timeout=10)


if __name__ == "__main__":
    main()
