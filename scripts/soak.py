#!/usr/bin/env python3
"""`make soak`: session traffic through Porter for 30 minutes while faults are injected at random.

Not part of `make test` (README § Reliability has its figures). On free loopback ports it starts
a primary, two replicas and three sentinels (the `make failover-demo` topology) and Porter (the
release build) following them, with its defaults plus durable session writes
(`wait_replicas: 1`: a write is acknowledged once a replica has it, so a failover loses none).

First, 20,000 client connections are opened at once and held for 10 s while a control client
works: how many Porter took (limits.max_clients), how many it refused, and its RSS.

Then the load, for --seconds (1800):
- 8 session clients on long-lived connections at --rate (2,000) commands/s in all: SET of a new
  PHPREDIS_SESSION key with EX, then GET of one of its earlier keys (the value must be the one
  acknowledged);
- 2 clients that connect for every request, as PHP without persistent connections does;
- 1 client pipelining 50 commands at a time.
Every --fault-every seconds (30) one fault, at random: SIGKILL of a replica (restarted 3 s later),
SIGKILL of the primary (Sentinel fails over; it comes back as a replica), a Sentinel failover,
SIGSTOP of a replica for 3 s, CLIENT KILL of every connection on the primary, DEBUG SLEEP 0.5 on
the primary, an upgrade (SIGUSR2: a new Porter takes over), 50 slowloris clients, 2,000
connections opened and dropped, a client pipelining 200,000 GETs it never reads.

Printed: commands and errors by cause, per fault; Porter's RSS every minute; stale reads (an
acknowledged key read as missing or older); and lost acknowledged writes: at the end every
acknowledged key is read from the primary, and one whose value differs is lost (must be 0).

Usage: scripts/soak.py [--seconds 1800] [--rate 2000] [--fault-every 30] [--seed N]
                      [--faults kill_primary,upgrade,...] [--connections 20000]
"""
import argparse, collections, os, random, resource, signal, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import free_port, open_connections, rss_kib, wait_ping  # noqa: E402
from failover_demo import Topology, cli  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Reply(Exception):
    """A RESP error reply."""


class Conn:
    """A minimal RESP client: the soak counts every error itself, with nothing retried."""

    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    @staticmethod
    def encode(*args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by Porter")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return Reply(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed by Porter")
                self.buf += chunk
            value, self.buf = self.buf[:n], self.buf[n + 2:]
            return value
        if kind == b"*":
            return [self.reply() for _ in range(max(0, int(rest)))]
        raise ConnectionError(f"bad reply {line[:40]!r}")

    def call(self, *args):
        self.sock.sendall(self.encode(*args))
        r = self.reply()
        if isinstance(r, Reply):
            raise r
        return r

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def cause(error):
    if isinstance(error, Reply):
        return "-" + " ".join(str(error).split()[:6])
    if isinstance(error, socket.timeout):
        return "timeout"
    if isinstance(error, (ConnectionError, OSError)):
        return "connection: " + (str(error) or type(error).__name__)[:60]
    return type(error).__name__


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.commands = 0
        self.errors = collections.Counter()
        self.stale = 0
        self.refused = 0
        self.latencies = []

    def ok(self, n=1, latency=None):
        with self.lock:
            self.commands += n
            if latency is not None and len(self.latencies) < 2_000_000:
                self.latencies.append(latency)

    def error(self, e):
        with self.lock:
            self.errors[cause(e)] += 1

    def snapshot(self):
        with self.lock:
            return self.commands, sum(self.errors.values())


class Soak:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="porter-soak-")
        self.topo = Topology(self.work)
        self.stop = threading.Event()
        self.stats = Stats()
        self.acked = {}  # key -> value, for every acknowledged SET
        self.acked_lock = threading.Lock()
        self.porter_pid = None
        self.port = free_port()
        self.rng = random.Random(args.seed)
        self.faults = []  # (t, name, commands, errors) as each ended
        self.rss = []  # (t, KiB)

    # --- set-up ---

    def start(self):
        self.topo.start()
        nodes = ", ".join(f"127.0.0.1:{s}" for s in self.topo.sentinels)
        self.config = os.path.join(self.work, "porter.yaml")
        with open(self.config, "w") as f:
            f.write(f"""listen: 127.0.0.1:{self.port}
admin: 127.0.0.1:{free_port()}
log: {{ level: info, format: logfmt }}
shutdown: {{ takeover_socket: {self.work}/takeover.sock }}
upstream:
  wait_replicas: 1
  groups:
    - name: sessions
      sentinel: {{ master: sessions, nodes: [{nodes}] }}
""")
        self.notify = os.path.join(self.work, "notify.sock")
        self.systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.systemd.bind(self.notify)
        self.systemd.settimeout(60)
        env = dict(os.environ, NOTIFY_SOCKET=self.notify)
        self.porter = subprocess.Popen([os.path.join(ROOT, ".build/release/porter"), "run", "--config", self.config],
                                       stdout=open(os.path.join(self.work, "porter.log"), "w"),
                                       stderr=subprocess.STDOUT, env=env)
        self.porter_pid = self.porter.pid
        wait_ping(self.port)

    def primary(self):
        out = cli(self.topo.sentinels[0], "SENTINEL", "get-master-addr-by-name", "sessions").split()
        return int(out[1])

    # --- load ---

    def session_worker(self, index, rate):
        interval = 1.0 / rate
        conn, n, mine = None, 0, []
        nxt = time.monotonic()
        while not self.stop.is_set():
            nxt += interval
            delay = nxt - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1:
                nxt = time.monotonic()
            try:
                if conn is None:
                    conn = Conn(self.port)
                n += 1
                if n % 2:
                    key = f"PHPREDIS_SESSION:w{index}:{n}"
                    value = f"user|i:{index};n|i:{n};".encode() + b"x" * self.rng.randint(0, 2000)
                    began = time.monotonic()
                    conn.call("SET", key, value, "EX", 7200)
                    self.stats.ok(latency=time.monotonic() - began)
                    with self.acked_lock:
                        self.acked[key] = value
                    mine.append(key)
                    if len(mine) > 200:
                        mine.pop(0)
                elif mine:
                    key = mine[self.rng.randrange(len(mine))]
                    began = time.monotonic()
                    got = conn.call("GET", key)
                    self.stats.ok(latency=time.monotonic() - began)
                    with self.acked_lock:
                        want = self.acked.get(key)
                    if got != want:
                        with self.stats.lock:
                            self.stats.stale += 1
            except Exception as e:  # every failure is counted by cause, then a new connection
                self.stats.error(e)
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.05)
        if conn is not None:
            conn.close()

    def per_request_worker(self, index, rate):
        n = 0
        while not self.stop.is_set():
            time.sleep(1.0 / rate)
            n += 1
            try:
                conn = Conn(self.port)
            except OSError as e:
                with self.stats.lock:
                    self.stats.refused += 1
                    self.stats.errors["connect: " + str(e)[:50]] += 1
                continue
            try:
                conn.call("SET", f"php:{index}", n, "EX", 600)
                if conn.call("GET", f"php:{index}") != str(n).encode():
                    with self.stats.lock:
                        self.stats.stale += 1
                self.stats.ok(2)
            except Exception as e:
                self.stats.error(e)
            conn.close()

    def pipeline_worker(self):
        conn = None
        while not self.stop.is_set():
            time.sleep(0.1)
            try:
                if conn is None:
                    conn = Conn(self.port)
                batch = b"".join(Conn.encode("SETEX", f"pipe:{i}", 600, i) if i % 2 == 0 else Conn.encode("GET", f"pipe:{i - 1}")
                                 for i in range(50))
                conn.sock.sendall(batch)
                for _ in range(50):
                    r = conn.reply()
                    if isinstance(r, Reply):
                        self.stats.error(r)
                    else:
                        self.stats.ok()
            except Exception as e:
                self.stats.error(e)
                if conn is not None:
                    conn.close()
                conn = None

    # --- faults ---

    def role(self, port):
        out = cli(port, "ROLE").split()
        return out[0] if out else "down"

    def replicas_now(self):
        """Nodes that say they are replicas (Sentinel's view may lag behind)."""
        return [p for p in self.topo.replicas + [self.topo.primary] if self.role(p) == "slave"]

    def settled(self, old, timeout=30):
        """Until every sentinel names the same primary, other than `old`, and it says so itself;
        then a few seconds more, as Sentinel's failover-timeout has them reconfigure the rest."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            named = {cli(s, "SENTINEL", "get-master-addr-by-name", "sessions").split()[1:2][0]
                     for s in self.topo.sentinels}
            if len(named) == 1 and int(named.pop()) != old and self.role(self.primary()) == "master":
                break
            time.sleep(0.2)
        time.sleep(5)
        return self.primary()

    def fault_kill_replica(self):
        port = self.rng.choice(self.replicas_now())
        self.topo.kill(port)
        time.sleep(3)
        self.topo.redis(port, "--replicaof", "127.0.0.1", str(self.primary()))
        return f"replica {port} killed, restarted"

    def fault_kill_primary(self):
        # Restarted only once the failover is over: a node without persistence that comes back
        # empty while Sentinel is still deciding can be made primary, and its replicas then copy
        # nothing (Redis' replication docs warn of exactly this).
        old = self.primary()
        self.topo.kill(old)
        new = self.settled(old)
        self.topo.redis(old, "--replicaof", "127.0.0.1", str(new))
        return f"primary {old} killed, {new} promoted"

    def fault_sentinel_failover(self):
        old = self.primary()
        cli(self.topo.sentinels[0], "SENTINEL", "FAILOVER", "sessions")
        return f"SENTINEL FAILOVER {old} -> {self.settled(old)}"

    def fault_stall_replica(self):
        port = self.rng.choice(self.replicas_now())
        proc = self.topo.procs[f"redis-{port}"]
        proc.send_signal(signal.SIGSTOP)
        time.sleep(3)
        proc.send_signal(signal.SIGCONT)
        return f"replica {port} stopped 3 s"

    def fault_client_kill(self):
        return f"CLIENT KILL TYPE normal on the primary: {cli(self.primary(), 'CLIENT', 'KILL', 'TYPE', 'normal').strip()}"

    def fault_debug_sleep(self):
        cli(self.primary(), "DEBUG", "SLEEP", "0.5")
        return "DEBUG SLEEP 0.5 on the primary"

    def fault_upgrade(self):
        old = self.porter_pid
        os.kill(old, signal.SIGUSR2)
        try:
            message = self.systemd.recv(256).decode()
        except socket.timeout:
            return "upgrade: no MAINPID within 60 s"
        if message.startswith("MAINPID="):
            self.porter_pid = int(message.split("=")[1].split()[0])
        deadline = time.time() + 30
        while time.time() < deadline and alive(old):
            if self.porter.pid == old:
                self.porter.poll()
            time.sleep(0.1)
        return f"upgrade: pid {old} -> {self.porter_pid}"

    def fault_slowloris(self):
        socks = []
        for _ in range(50):
            s = socket.create_connection(("127.0.0.1", self.port))
            socks.append(s)
        request = Conn.encode("SET", "slow", "x" * 100)
        for i in range(min(len(request), 25)):
            for s in socks:
                try:
                    s.send(request[i:i + 1])
                except OSError:
                    pass
            time.sleep(0.2)
        for s in socks:
            s.close()
        return "50 slowloris clients for 5 s"

    def fault_connection_burst(self):
        socks, failed = open_connections(self.port, 2000, timeout=5)
        time.sleep(2)
        for s in socks:
            s.close()
        return f"2,000 connections opened and dropped ({failed} not opened)"

    def fault_unread_pipeline(self):
        s = socket.create_connection(("127.0.0.1", self.port))
        s.settimeout(0.5)
        chunk = Conn.encode("GET", "pipe:0") * 1000
        sent = 0
        deadline = time.time() + 10
        while sent < 200 and time.time() < deadline:
            try:
                s.sendall(chunk)
                sent += 1
            except (socket.timeout, OSError):
                break
        s.close()
        return f"unread pipeline: {sent * 1000:,} GETs sent before Porter stopped reading"

    FAULTS = ["kill_replica", "kill_primary", "sentinel_failover", "stall_replica", "client_kill", "debug_sleep",
              "upgrade", "slowloris", "connection_burst", "unread_pipeline"]

    # --- the 20,000 connections ---

    def many_connections(self, count=20000, holders=2):
        """`count` connections from `holders` processes (each process may hold only
        RLIMIT_NOFILE descriptors, 20,000 here, and cannot raise it)."""
        before = rss_kib(self.porter_pid)
        control = Conn(self.port)
        began = time.monotonic()
        procs = [subprocess.Popen([sys.executable, os.path.abspath(__file__), "--hold", str(count // holders),
                                   "--port", str(self.port)], stdout=subprocess.PIPE, text=True)
                 for _ in range(holders)]
        latencies, ready = [], []
        for p in procs:
            ready.append(p.stdout.readline().split())  # "opened refused turned_away" once all are open
        opened = time.monotonic() - began
        end = time.monotonic() + 10
        while time.monotonic() < end:
            t = time.monotonic()
            control.call("SET", "control", "1")
            latencies.append(time.monotonic() - t)
            time.sleep(0.01)
        peak = rss_kib(self.porter_pid)
        for p in procs:
            p.send_signal(signal.SIGTERM)
            p.wait(30)
        time.sleep(2)
        after = rss_kib(self.porter_pid)
        control.close()
        served = sum(int(r[0]) - int(r[2]) for r in ready if len(r) == 3)
        turned_away = sum(int(r[2]) for r in ready if len(r) == 3)
        failed = sum(int(r[1]) for r in ready if len(r) == 3)
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99)] * 1000
        print(f"{count:,} connections: opened in {opened:.1f} s; {served:,} served, {turned_away:,} refused by "
              f"max_clients, {failed} not connected; Porter RSS {before / 1024:.1f} MiB before, {peak / 1024:.1f} MiB "
              f"with them, {after / 1024:.1f} MiB after; control client {len(latencies)} commands, "
              f"p99 {p99:.1f} ms, worst {latencies[-1] * 1000:.1f} ms", flush=True)


    # --- the run ---

    def run(self):
        self.start()
        print(f"Porter pid {self.porter_pid} on 127.0.0.1:{self.port}; logs in {self.work}", flush=True)
        if self.args.connections:
            self.many_connections(self.args.connections)
        threads = [threading.Thread(target=self.session_worker, args=(i, self.args.rate / 8 * 0.9), daemon=True)
                   for i in range(8)]
        threads += [threading.Thread(target=self.per_request_worker, args=(i, 20), daemon=True) for i in range(2)]
        threads.append(threading.Thread(target=self.pipeline_worker, daemon=True))
        for t in threads:
            t.start()
        start = time.monotonic()
        next_fault = start + self.args.fault_every
        next_rss = start
        order = []
        while time.monotonic() - start < self.args.seconds:
            now = time.monotonic()
            if now >= next_rss:
                self.rss.append((now - start, rss_kib(self.porter_pid)))
                next_rss += 60
            if now >= next_fault:
                if not order:
                    order = self.args.faults.split(",")
                    self.rng.shuffle(order)
                name = order.pop()
                c0, e0 = self.stats.snapshot()
                try:
                    what = getattr(self, "fault_" + name)()
                except Exception as e:
                    what = f"{name}: the fault itself failed: {e}"
                time.sleep(5)  # what the fault caused shows in the next seconds
                c1, e1 = self.stats.snapshot()
                self.faults.append((now - start, what, c1 - c0, e1 - e0))
                print(f"  {now - start:7.0f} s  {what}: {c1 - c0} commands, {e1 - e0} errors", flush=True)
                next_fault = now + self.args.fault_every
            time.sleep(0.2)
        self.stop.set()
        for t in threads:
            t.join(15)
        self.rss.append((time.monotonic() - start, rss_kib(self.porter_pid)))
        self.report(time.monotonic() - start)

    def report(self, elapsed):
        # Replicas catch up, then every acknowledged key is read from the primary.
        time.sleep(3)
        primary = Conn(self.primary())
        lost = 0
        with self.acked_lock:
            items = list(self.acked.items())
        for key, value in items:
            if primary.call("GET", key) != value:
                lost += 1
        s = self.stats
        s.latencies.sort()
        p = lambda q: s.latencies[min(len(s.latencies) - 1, int(len(s.latencies) * q))] * 1000 if s.latencies else 0
        print(f"\n{s.commands:,} commands in {elapsed / 60:.1f} min ({s.commands / elapsed:,.0f}/s), "
              f"{len(self.faults)} faults; session latency p50 {p(0.5):.2f} ms, p99 {p(0.99):.1f} ms, "
              f"p99.9 {p(0.999):.1f} ms, worst {p(1.0):.0f} ms")
        print(f"errors: {sum(s.errors.values())}" + ("" if not s.errors else " by cause:"))
        for what, count in s.errors.most_common(12):
            print(f"  {count:7d}  {what}")
        print(f"connections refused: {s.refused}; stale reads: {s.stale}")
        print("Porter RSS (MiB) by minute: " + " ".join(f"{kib / 1024:.0f}" for _, kib in self.rss))
        print(f"lost acknowledged writes: {lost} of {len(items):,}")

    def close(self):
        self.stop.set()
        for pid in {self.porter_pid, self.porter.pid}:
            if pid and alive(pid):
                os.kill(pid, signal.SIGTERM)
        deadline = time.time() + 15
        while time.time() < deadline and any(alive(p) for p in {self.porter_pid, self.porter.pid}):
            self.porter.poll()
            time.sleep(0.1)
        self.topo.stop()


def hold(count, port):
    """A child of `many_connections`: opens `count` connections, says how it went, holds them."""
    socks, failed = open_connections(port, count)
    time.sleep(1)
    # Porter answers a connection past max_clients with an error and closes it.
    turned_away = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(64).startswith(b"-ERR max number of clients"):
                turned_away += 1
        except OSError:
            pass
    print(len(socks), failed, turned_away, flush=True)
    signal.sigwait({signal.SIGTERM})


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=1800)
    parser.add_argument("--rate", type=float, default=2000)
    parser.add_argument("--fault-every", type=float, default=30)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--faults", default=",".join(Soak.FAULTS), help="which faults, comma-separated")
    parser.add_argument("--connections", type=int, default=20000, help="the many-connections run (0: skip)")
    parser.add_argument("--hold", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    # Connections need descriptors here and in Porter (which inherits the limit).
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.hold:
        return hold(args.hold, args.port)
    print(f"soak: {args.seconds:.0f} s, {args.rate:.0f} commands/s, a fault every {args.fault_every:.0f} s, "
          f"seed {args.seed}", flush=True)
    soak = Soak(args)
    try:
        soak.run()
    finally:
        soak.close()


if __name__ == "__main__":
    main()
