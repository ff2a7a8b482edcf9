"""redis-py through Porter: protocol 2 and 3, a 10,000-command pipeline, MULTI/EXEC pipeline,
a 4 MiB value, binary keys and values; with SYNC_DIR, a reconnect after Porter restarts (the
handshake of ClientLibraryTests). Usage: redis_py_check.py PORT [SYNC_DIR]. Prints OK or raises."""
import sys

import redis
from porter_restart import after_restart, restart_porter

port = int(sys.argv[1])
for protocol in (2, 3):
    r = redis.Redis(host="127.0.0.1", port=port, protocol=protocol)
    assert r.ping() is True
    assert r.set("py:k", "v") is True
    assert r.get("py:k") == b"v"
    r.hset("py:h", mapping={"a": "1", "b": "2"})
    assert r.hgetall("py:h") == {b"a": b"1", b"b": b"2"}, r.hgetall("py:h")
    # A pipeline of 10,000 commands, without and with MULTI/EXEC.
    p = r.pipeline(transaction=False)
    for i in range(10_000):
        p.set(f"py:p{i}", i)
    assert all(x is True for x in p.execute())
    p = r.pipeline(transaction=False)
    for i in range(10_000):
        p.get(f"py:p{i}")
    assert p.execute() == [str(i).encode() for i in range(10_000)]
    p = r.pipeline()  # MULTI/EXEC
    p.incr("py:tx").incr("py:tx")
    a, b = p.execute()
    assert b == a + 1
    big = bytes(range(256)) * (4 * 1024 * 1024 // 256)
    assert r.set(b"py:\x00bin\xff", big) is True
    assert r.get(b"py:\x00bin\xff") == big
    assert r.set(b"\xff\xfe\r\n", b"\x00\r\n\xff") is True
    assert r.get(b"\xff\xfe\r\n") == b"\x00\r\n\xff"
    # The session pattern: SETEX, GET, EXPIRE.
    assert r.setex("PHPREDIS_SESSION:abc", 172800, "user|i:1;") is True
    assert 0 < r.ttl("PHPREDIS_SESSION:abc") <= 172800
    try:
        r.execute_command("SUBSCRIBE", "x")
        raise AssertionError("SUBSCRIBE should be refused")
    except redis.ResponseError as e:
        assert "Porter does not support 'subscribe'" in str(e), e
errors = 0
if len(sys.argv) > 2:
    # Porter restarts: the client's pool drops the dead connection and dials again.
    r.set("py:before", "kept")
    restart_porter(sys.argv[2])
    value, errors = after_restart(lambda: r.get("py:before"), redis.ConnectionError)
    assert value == b"kept", value
print("OK", redis.__version__, f"(errors after the restart: {errors})")
