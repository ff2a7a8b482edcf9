#!/usr/bin/env python3
"""Porter against its baselines, in one run.

Starts one redis-server, and in front of it twemproxy (nutcracker), HAProxy (TCP mode) and Porter
(release build, its defaults; tuned variants beside it unless --no-variants), each on its own
free loopback port. For every scenario and round, runs
redis-benchmark GET/SET against every target in turn (interleaved, so drift hits all alike), then
prints medians of the rounds: ops/s, p50/p99 latency, the ratios Porter/twemproxy and
Porter/direct, and CPU time per request of Porter and twemproxy (from /proc). Finally opens 1,000
idle clients to Porter and twemproxy and reports their resident memory.

Everything binds 127.0.0.1, every run is bounded by a request count, and all processes are
stopped at the end. Usage: scripts/bench.py [--rounds 3] [--requests 100000] [--quick]
"""
import argparse, csv, io, os, platform, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICKS = os.sysconf("SC_CLK_TCK")

SCENARIOS = [
    ("-c 50 -P 1 -d 64", ["-c", "50", "-P", "1", "-d", "64"], 1.0),
    ("-c 50 -P 16 -d 64", ["-c", "50", "-P", "16", "-d", "64"], 4.0),
    ("-c 50 -P 1 -d 4096", ["-c", "50", "-P", "1", "-d", "4096"], 1.0),
    ("-c 500 -P 1 -d 1024", ["-c", "500", "-P", "1", "-d", "1024"], 1.0),
    ("-c 50 -k 0 (new conn/request)", ["-c", "50", "-P", "1", "-d", "64", "-k", "0"], 0.15),
]


# Porter with one setting changed, run beside the defaults (labelled in the output).
VARIANTS = [
    ("connections_per_node: 2", {"upstream": "  pool: { connections_per_node: 2 }\n"}),
    ("threads: 2", {"top": "threads: 2\n"}),
    # The same Redis on its TLS port (certificates made with openssl for the run): the cost of TLS.
    ("TLS to Redis", {"upstream": "  tls: { ca_file: CA_FILE }\n", "tls": True}),
]


def make_certificates(work):
    """A CA and a certificate for 127.0.0.1 signed by it, for Redis' TLS port."""
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ca, ca_key = os.path.join(work, "ca.crt"), os.path.join(work, "ca.key")
    cert, key, csr = os.path.join(work, "redis.crt"), os.path.join(work, "redis.key"), os.path.join(work, "redis.csr")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2", "-subj", "/CN=bench CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    ext = os.path.join(work, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext)
    return ca, cert, key


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ping(port, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"*1\r\n$4\r\nPING\r\n")
                if s.recv(64).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"nothing answers PING on port {port}")


def open_connections(port, count, timeout=10):
    """`count` client connections to `port`: the sockets opened, and how many could not be."""
    socks, failed = [], 0
    for _ in range(count):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=timeout))
        except OSError:
            failed += 1
    return socks, failed


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_kib(pid, field="VmRSS"):
    """A memory figure of /proc/PID/status in KiB (VmRSS now, VmHWM the peak)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def bench(port, args, requests):
    cmd = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-t", "get,set", "-n", str(requests), "--csv", "-r", "100000"] + args
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600).stdout
    rows = {}
    for row in csv.DictReader(io.StringIO(out)):
        rows[row["test"]] = (float(row["rps"]), float(row["p50_latency_ms"]), float(row["p99_latency_ms"]))
    if "GET" not in rows or "SET" not in rows:
        raise RuntimeError(f"redis-benchmark gave no result for port {port}: {out[:200]}")
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100000)
    parser.add_argument("--threads", type=int, help="Porter's event loop threads (default: Porter's default)")
    parser.add_argument("--no-variants", action="store_true", help="only Porter's defaults, no tuned rows")
    parser.add_argument("--quick", action="store_true", help="1 round, fewer requests")
    parser.add_argument("--only", default="", help="run only scenarios whose name contains this")
    opts = parser.parse_args()
    scenarios = [s for s in SCENARIOS if opts.only in s[0]]
    if opts.quick:
        opts.rounds, opts.requests = 1, 30000

    porter_bin = os.path.join(ROOT, ".build/release/porter")
    if not os.path.exists(porter_bin):
        sys.exit("build first: make build")

    work = tempfile.mkdtemp(prefix="porter-bench-")
    procs = []

    def start(cmd, **kw):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"{os.path.basename(cmd[0])}-{len(procs)}.log"), "w"), **kw)
        procs.append(p)
        return p

    try:
        redis_port, tw_port, ha_port, porter_port = free_port(), free_port(), free_port(), free_port()
        tls_port = free_port()
        ca, cert, key = make_certificates(work)
        start(["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no", "--dir", work, "--maxclients", "10000",
               "--tls-port", str(tls_port), "--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", ca, "--tls-auth-clients", "no"])
        wait_ping(redis_port)

        with open(os.path.join(work, "nutcracker.yml"), "w") as f:
            f.write(f"bench:\n  listen: 127.0.0.1:{tw_port}\n  hash: fnv1a_64\n  distribution: ketama\n  redis: true\n"
                    f"  server_connections: 1\n  auto_eject_hosts: false\n  servers:\n    - 127.0.0.1:{redis_port}:1\n")
        twem = start(["nutcracker", "-c", os.path.join(work, "nutcracker.yml"), "-s", str(free_port()), "-a", "127.0.0.1"])
        with open(os.path.join(work, "haproxy.cfg"), "w") as f:
            f.write("global\n  maxconn 8000\ndefaults\n  mode tcp\n  timeout connect 1s\n  timeout client 60s\n  timeout server 60s\n"
                    f"listen redis\n  bind 127.0.0.1:{ha_port}\n  server r1 127.0.0.1:{redis_port}\n")
        start(["haproxy", "-f", os.path.join(work, "haproxy.cfg")])
        def start_porter(name, port, extra):
            path = os.path.join(work, f"{name.replace(' ', '-').replace(':', '')}.yaml")
            with open(path, "w") as f:
                # Porter's defaults, with the admin server as in production (sampling every
                # second) on a free port; max_clients only so that -c 500 and -k 0 fit.
                f.write(f"listen: 127.0.0.1:{port}\nlog: {{ level: warning }}\nadmin: 127.0.0.1:{free_port()}\n"
                        f"limits: {{ max_clients: 20000 }}\n{extra.get('top', '')}"
                        f"upstream:\n{extra.get('upstream', '').replace('CA_FILE', ca)}  groups:\n"
                        f"    - {{ name: bench, primary: 127.0.0.1:{tls_port if extra.get('tls') else redis_port} }}\n")
            return start([porter_bin, "run", "-c", path])

        porter = start_porter("porter", porter_port, {"top": f"threads: {opts.threads}\n" if opts.threads else ""})
        variants = []  # tuned rows beside the defaults: (label, port, process)
        if not opts.no_variants:
            for label, extra in VARIANTS:
                port = free_port()
                variants.append((label, port, start_porter(label, port, extra)))
        for port in [tw_port, ha_port, porter_port] + [v[1] for v in variants]:
            wait_ping(port)

        targets = [("redis", redis_port, None), ("twemproxy", tw_port, twem), ("haproxy", ha_port, None), ("porter", porter_port, porter)] + variants
        results = {}  # (scenario, target, test) -> list of (rps, p50, p99)
        cpu = {}      # (scenario, target) -> list of µs/request
        for rnd in range(opts.rounds):
            for name, args, scale in scenarios:
                n = max(2000, int(opts.requests * scale))
                order = targets if rnd % 2 == 0 else list(reversed(targets))
                for target, port, proc in order:
                    before = cpu_seconds(proc.pid) if proc else 0
                    rows = bench(port, args, n)
                    if proc:
                        cpu.setdefault((name, target), []).append((cpu_seconds(proc.pid) - before) * 1e6 / (2 * n))
                    for test, value in rows.items():
                        results.setdefault((name, target, test), []).append(value)
                print(f"round {rnd + 1}/{opts.rounds}: {name} done", file=sys.stderr)

        def med(key, i):
            return statistics.median(v[i] for v in results[key])

        print(f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
              f"Porter with its defaults{f' and threads: {opts.threads}' if opts.threads else ''}; medians of {opts.rounds} interleaved rounds; "
              f"{opts.requests} requests per GET/SET run (x4 at -P 16, x0.15 with -k 0).\n")
        print("| scenario | test | redis direct ops/s | twemproxy ops/s | haproxy ops/s | porter ops/s | porter/twemproxy | porter/direct | p50 ms direct/twem/porter | p99 ms direct/twem/porter | CPU µs/req twem/porter |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---|---|---|")
        for name, _, _ in scenarios:
            for test in ("GET", "SET"):
                r = {t: med((name, t, test), 0) for t, _, _ in targets}
                p50 = "/".join(f"{med((name, t, test), 1):.3f}" for t in ("redis", "twemproxy", "porter"))
                p99 = "/".join(f"{med((name, t, test), 2):.3f}" for t in ("redis", "twemproxy", "porter"))
                c = "/".join(f"{statistics.median(cpu[(name, t)]):.1f}" for t in ("twemproxy", "porter"))
                print(f"| {name} | {test} | {r['redis']:.0f} | {r['twemproxy']:.0f} | {r['haproxy']:.0f} | {r['porter']:.0f} | "
                      f"{r['porter'] / r['twemproxy']:.2f} | {r['porter'] / r['redis']:.2f} | {p50} | {p99} | {c} |")
        if variants:
            print("\nTuned rows, same run: Porter with one setting changed from its defaults.\n")
            print("| scenario | test | porter (defaults) ops/s | " + " | ".join(f"{v[0]} ops/s" for v in variants)
                  + " | CPU µs/req defaults/" + "/".join(v[0] for v in variants) + " |")
            print("|---|---|---:|" + "---:|" * len(variants) + "---|")
            for name, _, _ in scenarios:
                for test in ("GET", "SET"):
                    base = med((name, "porter", test), 0)
                    cells = " | ".join(f"{med((name, v[0], test), 0):.0f} ({med((name, v[0], test), 0) / base:.2f}×)" for v in variants)
                    c = "/".join(f"{statistics.median(cpu[(name, t)]):.1f}" for t in ["porter"] + [v[0] for v in variants])
                    print(f"| {name} | {test} | {base:.0f} | {cells} | {c} |")

        # Resident memory with 1,000 idle clients, on fresh processes (after the load runs the
        # allocators hold freed memory, which would hide what the clients cost).
        fresh_tw, fresh_porter = free_port(), free_port()
        with open(os.path.join(work, "nutcracker-idle.yml"), "w") as f:
            f.write(f"idle:\n  listen: 127.0.0.1:{fresh_tw}\n  hash: fnv1a_64\n  distribution: ketama\n  redis: true\n"
                    f"  server_connections: 1\n  servers:\n    - 127.0.0.1:{redis_port}:1\n")
        idle_tw = start(["nutcracker", "-c", os.path.join(work, "nutcracker-idle.yml"), "-s", str(free_port()), "-a", "127.0.0.1"])
        with open(os.path.join(work, "porter-idle.yaml"), "w") as f:
            f.write(f"listen: 127.0.0.1:{fresh_porter}\nlog: {{ level: warning }}\n"
                    f"admin: 127.0.0.1:{free_port()}\n"
                    f"upstream:\n  groups:\n    - {{ name: idle, primary: 127.0.0.1:{redis_port} }}\n")
        idle_porter = start([porter_bin, "run", "-c", os.path.join(work, "porter-idle.yaml")])
        wait_ping(fresh_tw)
        wait_ping(fresh_porter)
        print("\n| 1,000 idle clients (fresh process) | RSS before (MiB) | RSS with clients (MiB) | per client (KiB) |")
        print("|---|---:|---:|---:|")
        for target, port, proc in (("twemproxy", fresh_tw, idle_tw), ("porter", fresh_porter, idle_porter)):
            before = rss_kib(proc.pid)
            socks = []
            for _ in range(1000):
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(b"*1\r\n$4\r\nPING\r\n")
                socks.append(s)
            for s in socks:
                s.recv(16)
            time.sleep(0.5)
            after = rss_kib(proc.pid)
            for s in socks:
                s.close()
            print(f"| {target} | {before / 1024:.1f} | {after / 1024:.1f} | {(after - before) / 1000:.1f} |")
    finally:
        stop_all(procs)


def stop_all(procs, timeout=5):
    """SIGTERM every process, then wait; SIGKILL what does not stop in time."""
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()


if __name__ == "__main__":
    main()
