# redis-py through Porter as a user with ACL rules (SecurityTests.usersAndRules): it connects
# with a username, writes and reads a binary value under its key pattern, and gets Redis'
# NOPERM (NoPermissionError) for a key outside it.
import sys

import redis

r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), username="app", password="app-secret")
r.set("cache:py", b"\x00\xff")
assert r.get("cache:py") == b"\x00\xff"
try:
    r.get("secret")
    sys.exit("no NOPERM")
except redis.exceptions.NoPermissionError:
    pass
print("ok")
