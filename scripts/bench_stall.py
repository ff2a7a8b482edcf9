#!/usr/bin/env python3
"""Does one client's heavy traffic stall everyone else? Porter and twemproxy, fresh processes.

A control client (its own process, so nothing here shares its interpreter) sends PING, SET and
GET every 10 ms and times each round trip. Meanwhile, against one proxy at a time:
  - idle:      nothing else (the baseline);
  - big SET:   another client sends one SET of a large value (64 MiB, then 512 MiB) and waits
               for its reply;
  - burst:     10,000 new connections as fast as one process can open them, each sends PING and
               reads PONG, then all close.
Per phase it prints the control client's p99 and worst wait, the proxy's peak RSS in the phase
(VmHWM, reset through /proc/PID/clear_refs), and the health-check lines Porter logged (a healthy
node reported down is a stall that reached the health checker).

Everything binds 127.0.0.1 and every phase is bounded. Usage: scripts/bench_stall.py [--quick]
[--target porter|twemproxy] [--porter-yaml FILE (YAML appended to Porter's configuration)]
"""
import argparse, json, os, resource, signal, socket, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import free_port, open_connections, rss_kib, stop_all, wait_ping  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 1024 * 1024


def control(port, seconds, out):
    """The control client: one command every ~3 ms (PING, SET, GET in turn, one round of three
    every 10 ms); writes (start, seconds) pairs as JSON."""
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    commands = [b"*1\r\n$4\r\nPING\r\n", b"*3\r\n$3\r\nSET\r\n$3\r\nctl\r\n$5\r\nvalue\r\n", b"*2\r\n$3\r\nGET\r\n$3\r\nctl\r\n"]
    samples = []
    end = time.time() + seconds

    class Stop(Exception):
        pass

    def stop(*_):
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    t0 = None
    try:
        while time.time() < end:
            round_start = time.time()
            for command in commands:
                t0 = time.time()
                s.sendall(command)
                reply = b""
                while not reply.endswith(b"\r\n") or (reply.startswith(b"$") and reply.count(b"\r\n") < 2):
                    chunk = s.recv(4096)
                    if not chunk:
                        raise SystemExit("control connection closed")
                    reply += chunk
                samples.append((t0, time.time() - t0))
                t0 = None
            time.sleep(max(0.0, 0.010 - (time.time() - round_start)))
    except Stop:
        if t0 is not None:
            samples.append((t0, time.time() - t0))  # still waiting: counts as waited so far
    with open(out, "w") as f:
        json.dump(samples, f)


def read_reply_line(s):
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = s.recv(4096)
        if not chunk:
            return data
        data += chunk
    return data


def big_set(port, size):
    chunk = b"x" * MIB
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"*3\r\n$3\r\nSET\r\n$7\r\nbig:key\r\n$%d\r\n" % size)
        left = size
        while left > 0:
            piece = chunk if left >= MIB else chunk[:left]
            s.sendall(piece)
            left -= len(piece)
        s.sendall(b"\r\n")
        reply = read_reply_line(s)
        s.sendall(b"*2\r\n$3\r\nDEL\r\n$7\r\nbig:key\r\n")
        read_reply_line(s)
    return reply.strip().decode(errors="replace")


def burst(port, count):
    socks, failed = open_connections(port, count)
    answered = 0
    for s in socks:
        try:
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
        except OSError:
            failed += 1
    for s in socks:
        try:
            if s.recv(16).startswith(b"+PONG"):
                answered += 1
        except OSError:
            pass
        s.close()
    return f"{answered} PONG, {failed} failed"


def reset_peak(pid):
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--control", nargs=3, metavar=("PORT", "SECONDS", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="64 MiB only, a 2,000-connection burst")
    parser.add_argument("--target", choices=["porter", "twemproxy"], action="append")
    parser.add_argument("--porter-yaml", help="YAML appended to Porter's configuration (tuned rows)")
    opts = parser.parse_args()
    if opts.control:
        return control(int(opts.control[0]), float(opts.control[1]), opts.control[2])
    targets = opts.target or ["porter", "twemproxy"]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sizes = [64 * MIB] if opts.quick else [64 * MIB, 512 * MIB]
    connections = 2000 if opts.quick else 10_000

    porter_bin = os.path.join(ROOT, ".build/release/porter")
    if "porter" in targets and not os.path.exists(porter_bin):
        sys.exit("build first: make build")
    work = tempfile.mkdtemp(prefix="porter-stall-")
    procs = []
    try:
        redis_port = free_port()
        procs.append(subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no",
             "--dir", work, "--maxclients", "20000"], stdout=subprocess.DEVNULL))
        wait_ping(redis_port)
        print(f"| target | phase | result | control commands | control p99 ms | control worst ms | peak RSS MiB | health-check lines |")
        print("|---|---|---|---:|---:|---:|---:|---:|")
        for target in targets:
            port = free_port()
            log = os.path.join(work, f"{target}.log")
            if target == "porter":
                path = os.path.join(work, "porter.yaml")
                with open(path, "w") as f:
                    # Porter's defaults, but room for the burst and the logs the phases read.
                    f.write(f"listen: 127.0.0.1:{port}\nlog: {{ level: info }}\nadmin: 127.0.0.1:{free_port()}\n"
                            f"limits: {{ max_clients: 20000 }}\n"
                            f"upstream:\n  groups:\n    - {{ name: stall, primary: 127.0.0.1:{redis_port} }}\n")
                    if opts.porter_yaml:
                        with open(opts.porter_yaml) as extra:
                            f.write(extra.read())
                proc = subprocess.Popen([porter_bin, "run", "-c", path], stdout=open(log, "w"), stderr=subprocess.STDOUT)
            else:
                path = os.path.join(work, "nutcracker.yml")
                with open(path, "w") as f:
                    f.write(f"stall:\n  listen: 127.0.0.1:{port}\n  hash: fnv1a_64\n  distribution: ketama\n  redis: true\n"
                            f"  server_connections: 1\n  auto_eject_hosts: false\n  servers:\n    - 127.0.0.1:{redis_port}:1\n")
                proc = subprocess.Popen(["nutcracker", "-c", path, "-s", str(free_port()), "-a", "127.0.0.1"],
                                        stdout=open(log, "w"), stderr=subprocess.STDOUT)
            procs.append(proc)
            wait_ping(port)
            phases = [("idle", None, lambda: (time.sleep(2.0), "—")[1])]
            for size in sizes:
                phases.append((f"SET {size // MIB} MiB", size, (lambda size=size: big_set(port, size))))
            phases.append((f"burst of {connections:,} connections", None, lambda: burst(port, connections)))
            for phase, _, action in phases:
                out = os.path.join(work, f"control-{target}-{len(procs)}-{phase.split()[0]}.json")
                with open(log) as f:
                    log_before = len(f.readlines())
                reset_peak(proc.pid)
                ctl = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--control", str(port), "120", out])
                time.sleep(0.3)
                started = time.time()
                result = action()
                ended = time.time()
                time.sleep(0.3)
                ctl.terminate()
                ctl.wait()
                with open(out) as f:
                    samples = json.load(f)
                peak = rss_kib(proc.pid, "VmHWM")
                with open(log) as f:
                    lines = f.readlines()[log_before:]
                health = sum(1 for line in lines if "node down" in line or "timed out" in line)
                window = [d for t, d in samples if started - 0.05 <= t <= ended]
                if window:
                    q = statistics.quantiles(window, n=100, method="inclusive")[98] if len(window) >= 2 else window[0]
                    print(f"| {target} | {phase} | {result} | {len(window)} | {q * 1000:.2f} | {max(window) * 1000:.1f} | "
                          f"{peak / 1024:.0f} | {health} |", flush=True)
                else:
                    print(f"| {target} | {phase} | {result} | 0 | — | — | {peak / 1024:.0f} | {health} |", flush=True)
            proc.terminate()
            proc.wait(timeout=10)
    finally:
        stop_all(procs)


if __name__ == "__main__":
    main()
