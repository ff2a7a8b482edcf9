# A TLS client of Porter's TLS listener (TLSTests.clientListener): one connection made before a
# certificate reload keeps working after it, and a connection made after it sees the renewed
# certificate. Prints each connection's certificate notAfter.
# Usage: tls_client_check.py PORT CA_FILE GO_FILE [CLIENT_CERT CLIENT_KEY]
import os
import socket
import ssl
import sys
import time

port, ca, go = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context(cafile=ca)
if len(sys.argv) > 5:
    context.load_cert_chain(sys.argv[4], sys.argv[5])


def connect():
    return context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="localhost")


def ping(conn):
    conn.sendall(b"*1\r\n$4\r\nPING\r\n")
    reply = conn.recv(100)
    assert reply == b"+PONG\r\n", reply


first = connect()
ping(first)
print("before", first.getpeercert()["notAfter"], flush=True)
deadline = time.time() + 20
while not os.path.exists(go):
    if time.time() > deadline:
        sys.exit("no go file")
    time.sleep(0.05)
ping(first)
second = connect()
ping(second)
print("after", second.getpeercert()["notAfter"], flush=True)
print("ok")
