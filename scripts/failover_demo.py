#!/usr/bin/env python3
"""`make failover-demo`: what clients see when a replica and then the primary die.

Starts a primary, two replicas and three sentinels (quorum 2, down-after 1000 ms) and Porter
(release build) in front of them, all on free loopback ports. A session-like load runs through
Porter at a fixed rate (default 2,000 ops/s for 20 s): SET EX of a session key, then GET of a
session key, alternately, over 500 sessions. At 5 s a replica is killed with SIGKILL (and
restarted 2 s later, as systemd would), at 10 s the primary. A thread subscribed to a sentinel records +switch-master.

Printed per run: errors per second, the longest window in which every command failed, the time
from +switch-master to the first successful write, acknowledged writes that were lost (a session
whose final value is neither its last acknowledged value nor a later attempted one), and stale
reads (a GET that returned an older value than one already acknowledged for that session).

Three runs, each on a fresh topology: Porter's defaults (writes wait up to `write_wait: 5s` for
the new primary), Porter failing writes at once while there is no primary (`write_wait: 0`), and
Porter holding writes with durable session writes (`write_wait: 5s`, `wait_replicas: 1`).

Usage: scripts/failover_demo.py [--rate 2000] [--seconds 20] [--only defaults|fail-fast|held]
"""
import argparse, os, shutil, signal, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import free_port, wait_ping  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SESSIONS = 500


class Topology:
    def __init__(self, work):
        self.work = work
        self.procs = {}
        self.primary, self.replicas = free_port(), [free_port(), free_port()]
        self.sentinels = [free_port() for _ in range(3)]

    def spawn(self, name, cmd):
        log = open(os.path.join(self.work, f"{name}.log"), "w")
        self.procs[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)

    def redis(self, port, *extra):
        d = os.path.join(self.work, f"redis-{port}")
        os.makedirs(d, exist_ok=True)
        self.spawn(f"redis-{port}", ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                     "--appendonly", "no", "--dir", d, "--repl-diskless-sync-delay", "0", *extra])

    def start(self):
        self.redis(self.primary)
        wait_ping(self.primary)
        for r in self.replicas:
            self.redis(r, "--replicaof", "127.0.0.1", str(self.primary))
        for r in self.replicas:
            wait_ping(r)
        for s in self.sentinels:
            conf = os.path.join(self.work, f"sentinel-{s}.conf")
            with open(conf, "w") as f:
                f.write(f"bind 127.0.0.1\nport {s}\ndir {self.work}\n"
                        f"sentinel monitor sessions 127.0.0.1 {self.primary} 2\n"
                        "sentinel down-after-milliseconds sessions 1000\n"
                        "sentinel failover-timeout sessions 5000\n")
            self.spawn(f"sentinel-{s}", ["redis-sentinel", conf])
        for s in self.sentinels:
            wait_ping(s)
        # Wait until every sentinel knows both replicas and both replicas are in sync.
        deadline = time.time() + 30
        while time.time() < deadline:
            known = [cli(s, "SENTINEL", "replicas", "sessions").count("\nip\n") for s in self.sentinels]
            linked = [("master_link_status:up" in cli(r, "INFO", "replication")) for r in self.replicas]
            if all(k == 2 for k in known) and all(linked):
                return
            time.sleep(0.2)
        raise RuntimeError("the sentinels did not discover the replicas")

    def kill(self, port):
        self.procs[f"redis-{port}"].send_signal(signal.SIGKILL)
        self.procs[f"redis-{port}"].wait()

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


def cli(port, *args):
    r = subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, timeout=10)
    return "\n" + r.stdout


def watch_switch(port, seen):
    """Records when a sentinel publishes +switch-master."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"*2\r\n$9\r\nSUBSCRIBE\r\n$14\r\n+switch-master\r\n")
    buf = b""
    while b"message" not in buf or not buf.endswith(b"\r\n"):
        chunk = s.recv(4096)
        if not chunk:
            return
        buf += chunk
        if buf.count(b"+switch-master") >= 2:  # the subscribe confirmation names it once
            seen.append(time.monotonic())
            return


def run(label, extra_yaml, rate, seconds):
    import redis  # redis-py, installed by make test / make failover-demo

    work = tempfile.mkdtemp(prefix="porter-failover-")
    topo = Topology(work)
    porter = None
    try:
        topo.start()
        port = free_port()
        nodes = ", ".join(f"127.0.0.1:{s}" for s in topo.sentinels)
        config = os.path.join(work, "porter.yaml")
        with open(config, "w") as f:
            f.write(f"""listen: 127.0.0.1:{port}
admin: 127.0.0.1:{free_port()}
log: {{ level: info, format: logfmt }}
upstream:
  health: {{ interval: 500ms, timeout: 250ms, rise: 2, fall: 2 }}
  pool: {{ connections_per_node: 2, connect_timeout: 250ms, command_timeout: 1s }}
{extra_yaml}
  groups:
    - name: sessions
      sentinel: {{ master: sessions, nodes: [{nodes}] }}
""")
        porter = subprocess.Popen([os.path.join(ROOT, ".build/release/porter"), "run", "--config", config],
                                  stdout=open(os.path.join(work, "porter.log"), "w"), stderr=subprocess.STDOUT)
        wait_ping(port)
        switched = []
        threading.Thread(target=watch_switch, args=(topo.sentinels[0], switched), daemon=True).start()

        client = redis.Redis(port=port, socket_timeout=10)
        acked = {}      # session -> last acknowledged value
        attempted = {}  # session -> values written without an acknowledgement (may have run)
        events = []     # (t, kind, ok)
        stale = 0
        counter = 0
        messages = {}
        slowest = 0.0
        start = time.monotonic()
        killed = {}
        interval = 1.0 / rate
        i = 0
        while True:
            now = time.monotonic()
            t = now - start
            if t >= seconds:
                break
            if t >= seconds / 4 and "replica" not in killed:
                topo.kill(topo.replicas[0])
                killed["replica"] = now
            if t >= seconds / 4 + 2 and "restarted" not in killed:
                # Restarted as systemd would: it rejoins as a replica.
                topo.redis(topo.replicas[0], "--replicaof", "127.0.0.1", str(topo.primary))
                killed["restarted"] = now
            if t >= seconds / 2 and "primary" not in killed:
                topo.kill(topo.primary)
                killed["primary"] = now
            session = f"PHPREDIS_SESSION:demo{i // 2 % SESSIONS}"
            began = time.monotonic()
            if i % 2 == 0:
                counter += 1
                try:
                    ok = client.set(session, counter, ex=3600) is True
                except redis.RedisError as e:
                    ok = False
                    messages.setdefault(f"write: {e}", 0)
                    messages[f"write: {e}"] += 1
                if ok:
                    acked[session] = counter
                    attempted.pop(session, None)
                else:
                    attempted.setdefault(session, set()).add(counter)
                events.append((time.monotonic() - start, "write", ok))
            else:
                try:
                    value = client.get(session)
                    ok = True
                except redis.RedisError as e:
                    ok = False
                    messages.setdefault(f"read: {e}", 0)
                    messages[f"read: {e}"] += 1
                if ok and session in acked:
                    got = int(value) if value is not None else 0
                    if got < acked[session]:
                        stale += 1
                events.append((time.monotonic() - start, "read", ok))
            slowest = max(slowest, time.monotonic() - began)
            i += 1
            # Fixed rate: sleep until the next slot (no catching up after a slow command).
            slack = start + i * interval - time.monotonic()
            if slack > 0:
                time.sleep(slack)
            elif slack < -0.5:
                i = int((time.monotonic() - start) / interval)

        # Lost acknowledged writes: read every session from the (new) primary through Porter.
        lost = 0
        for session, value in acked.items():
            got = client.get(session)
            got = int(got) if got is not None else 0
            if got != value and got not in attempted.get(session, set()):
                lost += 1

        per_second = {}
        for t, kind, ok in events:
            b = per_second.setdefault(int(t), [0, 0, 0, 0])
            b[0 if kind == "write" else 2] += 1
            if not ok:
                b[1 if kind == "write" else 3] += 1
        longest, first_fail = 0.0, None
        for t, _, ok in events:
            if not ok and first_fail is None:
                first_fail = t
            elif ok and first_fail is not None:
                longest = max(longest, t - first_fail)
                first_fail = None
        if first_fail is not None:
            longest = max(longest, events[-1][0] - first_fail)
        errors = sum(1 for _, _, ok in events if not ok)
        write_errors = sum(1 for _, k, ok in events if not ok and k == "write")
        after_switch = None
        if switched:
            sw = switched[0] - start
            after_switch = next((t - sw for t, k, ok in events if k == "write" and ok and t > sw), None)

        print(f"\n== {label} ==")
        print(f"   {len(events)} commands in {seconds:.0f} s ({len(events) / seconds:.0f}/s); "
              f"replica killed at {killed['replica'] - start:.1f} s, primary at {killed['primary'] - start:.1f} s")
        print("   second  writes  failed  reads  failed")
        for sec in sorted(per_second):
            w, wf, r, rf = per_second[sec]
            if wf or rf or sec in (0, int(seconds / 4), int(seconds / 2)):
                print(f"   {sec:6d}  {w:6d}  {wf:6d}  {r:5d}  {rf:6d}")
        print(f"   failed commands: {errors} ({write_errors} writes, {errors - write_errors} reads)")
        print(f"   longest window with every command failing: {longest * 1000:.0f} ms; "
              f"slowest command: {slowest * 1000:.0f} ms")
        if switched:
            print(f"   +switch-master {switched[0] - killed['primary']:.2f} s after the primary's kill; "
                  f"first successful write {after_switch * 1000:.0f} ms after +switch-master"
                  if after_switch is not None else "   no successful write after +switch-master")
        else:
            print("   no +switch-master seen")
        for message, count in sorted(messages.items(), key=lambda kv: -kv[1])[:4]:
            print(f"   {count:5d} x {message[:150]}")
        print(f"   lost acknowledged writes: {lost} of {len(acked)} sessions")
        print(f"   stale reads: {stale}")
        return errors, lost, stale
    finally:
        if porter and porter.poll() is None:
            porter.send_signal(signal.SIGTERM)
            try:
                porter.wait(10)
            except subprocess.TimeoutExpired:
                porter.kill()
        topo.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--only", choices=["defaults", "fail-fast", "held"])
    args = ap.parse_args()
    if args.only in (None, "defaults"):
        run("Porter's defaults (write_wait: 5s: writes wait for the new primary)", "", args.rate, args.seconds)
    if args.only in (None, "fail-fast"):
        run("Porter, write_wait: 0 (writes fail fast while there is no primary)", "  write_wait: 0", args.rate,
            args.seconds)
    if args.only in (None, "held"):
        run("Porter, write_wait: 5s, wait_replicas: 1 (writes wait for the new primary; durable sessions)",
            "  write_wait: 5s\n  wait_replicas: 1\n  wait_timeout: 200ms\n  wait_prefixes: [\"PHPREDIS_SESSION:\"]",
            args.rate, args.seconds)


if __name__ == "__main__":
    main()
