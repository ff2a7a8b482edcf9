#!/usr/bin/env python3
"""`make profile`: instructions per request, counted by valgrind's callgrind (a figure that does
not move with this VM's speed, unlike seconds).

Starts one redis-server and Porter (the release build, default configuration, no admin server:
its once-a-second sampler would be counted per second, not per request) under callgrind, then
twemproxy (nutcracker) the same way, for scale. For
each scenario it zeroes the counters, runs redis-benchmark for a fixed number of requests, dumps
the counters and divides Porter's user-space instructions (every thread) by the requests. Then
it prints the functions with the most instructions of their own in the first scenario.

Two things make callgrind work on the Swift binary: the debug info is stripped from a copy
(valgrind 3.19 cannot read DWARF 5; the symbols stay), and a preloaded shim copies the mask
that libdispatch passes to sigsuspend from read-only memory to the stack (valgrind writes to it).

Usage: scripts/profile.py [--requests 10000] [--top 25] [--binary PATH] [--porter-yaml FILE] [--no-twemproxy]
"""
import argparse, glob, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import free_port, stop_all, wait_ping  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SHIM = r"""
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, sizeof(long));
}
"""

# (label, redis-benchmark arguments, requests per test as a multiple of --requests)
SCENARIOS = [
    ("-c 1 -P 1", ["-c", "1", "-P", "1"], 1),
    ("-c 1 -P 16", ["-c", "1", "-P", "16"], 4),
    ("-c 50 -P 1", ["-c", "50", "-P", "1"], 1),
    # A new connection per request (phpredis without persistent connections): accept, one
    # command, close.
    ("-c 50 -P 1 -k 0", ["-c", "50", "-P", "1", "-k", "0"], 0.2),
]


def total_instructions(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in {path}")


def demangle(text):
    tool = shutil.which("swift-demangle")
    cmd = [tool, "--simplified"] if tool else ["swift", "demangle", "--simplified"]
    try:
        return subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10000, help="requests per test (GET and SET each)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/porter"))
    parser.add_argument("--porter-yaml", help="YAML appended to Porter's configuration")
    parser.add_argument("--no-twemproxy", action="store_true", help="profile Porter only")
    opts = parser.parse_args()
    if not os.path.exists(opts.binary):
        sys.exit("build first: make build")
    for tool in ("valgrind", "callgrind_control", "callgrind_annotate", "objcopy", "cc"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing (make profile installs valgrind and binutils)")
    work = tempfile.mkdtemp(prefix="porter-profile-")
    procs = []
    try:
        binary = os.path.join(work, "porter")
        subprocess.run(["objcopy", "--strip-debug", opts.binary, binary], check=True)
        with open(os.path.join(work, "shim.c"), "w") as f:
            f.write(SHIM)
        shim = os.path.join(work, "shim.so")
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", os.path.join(work, "shim.c"), "-o", shim], check=True)

        redis_port, porter_port = free_port(), free_port()
        procs.append(subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no",
             "--dir", work], stdout=subprocess.DEVNULL))
        wait_ping(redis_port)
        config = os.path.join(work, "porter.yaml")
        with open(config, "w") as f:
            f.write(f"listen: 127.0.0.1:{porter_port}\nlog: {{ level: warning }}\nadmin: off\n"
                    f"upstream:\n  groups:\n    - {{ name: profile, primary: 127.0.0.1:{redis_port} }}\n")
            if opts.porter_yaml:
                with open(opts.porter_yaml) as extra:
                    f.write(extra.read())

        def profile(name, cmd, port, env=None):
            """Runs `cmd` under callgrind; returns [(label, requests, instructions)] and the dumps."""
            out = os.path.join(work, f"callgrind-{name}.out")
            proc = subprocess.Popen(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + cmd,
                env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"valgrind-{name}.log"), "w"))
            procs.append(proc)
            wait_ping(port, timeout=120)

            def benchmark(args, n):
                subprocess.run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-t", "set,get", "-n", str(n),
                                "-r", "100000", "-d", "64", "-q"] + args, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=1800, check=True)

            # Warm up: connections made, code paths touched, buffers grown.
            benchmark(["-c", "50", "-P", "16"], 2000)
            rows, dumps = [], []
            for label, args, scale in SCENARIOS:
                n = int(opts.requests * scale)
                subprocess.run(["callgrind_control", "-z", str(proc.pid)], stdout=subprocess.DEVNULL, check=True)
                before = set(glob.glob(out + ".*"))
                benchmark(args, n)
                subprocess.run(["callgrind_control", "-d", str(proc.pid)], stdout=subprocess.DEVNULL, check=True)
                deadline = time.time() + 60
                new = set()
                while time.time() < deadline and not new:
                    time.sleep(0.2)
                    new = set(glob.glob(out + ".*")) - before
                path = sorted(new, key=lambda p: int(p.rsplit(".", 1)[1]))[-1]
                time.sleep(0.5)
                rows.append((label, 2 * n, total_instructions(path)))
                dumps.append(path)
            proc.terminate()
            proc.wait(timeout=60)
            return rows, dumps

        rows, dumps = profile("porter", [binary, "run", "-c", config], porter_port, dict(os.environ, LD_PRELOAD=shim))
        twemproxy = None
        if not opts.no_twemproxy and shutil.which("nutcracker"):
            tw_port = free_port()
            tw_config = os.path.join(work, "nutcracker.yml")
            with open(tw_config, "w") as f:
                f.write(f"profile:\n  listen: 127.0.0.1:{tw_port}\n  hash: fnv1a_64\n  distribution: ketama\n  redis: true\n"
                        f"  server_connections: 1\n  servers:\n    - 127.0.0.1:{redis_port}:1\n")
            twemproxy, _ = profile("twemproxy", ["nutcracker", "-c", tw_config, "-s", str(free_port()), "-a", "127.0.0.1"], tw_port)
        print(f"Under callgrind: {opts.binary} (its defaults, no admin server) and, for scale, twemproxy "
              f"(nutcracker, server_connections: 1); redis-benchmark -t set,get -d 64; user-space "
              f"instructions of every thread (system calls are the kernel's and not counted):\n")
        print("| scenario | requests | porter instructions | porter per request | twemproxy per request | porter/twemproxy |")
        print("|---|---:|---:|---:|---:|---:|")
        for i, (label, requests, instructions) in enumerate(rows):
            tw = twemproxy[i][2] / twemproxy[i][1] if twemproxy else None
            mine = instructions / requests
            print(f"| {label} | {requests} | {instructions:,} | {mine:,.0f} | "
                  + (f"{tw:,.0f} | {mine / tw:.2f} |" if tw else "— | — |"))
        annotated = subprocess.run(["callgrind_annotate", "--threshold=100", "--auto=no", "--inclusive=no", dumps[0]],
                                   capture_output=True, text=True).stdout
        lines = []
        for line in annotated.splitlines():
            m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)", line)
            # Thread entry points show with every thread's total (no debug info to split them): skip them.
            if m and "PROGRAM TOTALS" not in line and float(m.group(2)) < 50:
                lines.append((int(m.group(1).replace(",", "")), m.group(3)))
        names = demangle("\n".join(name for _, name in lines[:opts.top])).splitlines()
        print(f"\nTop {opts.top} functions by their own instructions ({SCENARIOS[0][0]}), per request:\n")
        print("| instructions per request | function |")
        print("|---:|---|")
        for (count, _), name in zip(lines, names):
            name = re.sub(r"^\?\?\?:", "", name)
            name = re.sub(r" \[[^\]]*\]$", "", name)
            print(f"| {count / rows[0][1]:,.0f} | `{name[:150]}` |")
    finally:
        stop_all(procs, timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
