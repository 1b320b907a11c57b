"""`circulab serve`'s limits and options over real sockets: a slow client is cut off
after --timeout while others are served, the connection cap and the per-address cap
hold, the warning for
plain HTTP on a non-loopback address, TLS with --tls-cert/--tls-key (and the Secure
cookie), and the usage errors of serve.

Usage: test_limits.py CIRCULAB_PROGRAM [TEST...]"""
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import Server, run, two_employers  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def closed_by_server(sock, within):
    """True when the server closes the socket within `within` seconds."""
    sock.settimeout(within)
    try:
        return sock.recv(4096) == b""
    except (socket.timeout, TimeoutError):
        return False
    except ConnectionResetError:
        return True


@test
def slow_clients_cut_off_others_served(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db, "--timeout", "2", "--threads", "2")
    try:
        slow = []
        for _ in range(20):
            s = socket.create_connection((srv.host, srv.port))
            s.sendall(b"GET /api/v1/employer HTTP/1.1\r\nHost: x\r\n")  # never finished
            slow.append(s)
        t0 = time.time()
        for _ in range(10):
            assert srv.request("GET", "/api/v1/employer", token=t1)[0] == 200
        assert time.time() - t0 < 10, "served behind the slow clients"
        # the server closes them after the idle timeout (2 s; generous bound)
        assert all(closed_by_server(s, 15) for s in slow)
        for s in slow:
            s.close()
    finally:
        assert srv.stop() == 0


@test
def trickling_clients_do_not_pin_the_server(tmp):
    """Slowloris: clients that keep their connections alive by sending a few bytes of
    their headers every half second (so the idle timeout never fires) hold no
    thread: with more of them than threads, the others are served at once, and the
    tricklers are answered when they finally finish."""
    db, t1, _ = two_employers(tmp)
    srv = Server(db, "--timeout", "2", "--threads", "2")
    req = b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 8
    try:
        slow = [socket.create_connection((srv.host, srv.port)) for _ in range(12)]
        t0 = time.time()
        served = 0
        step = -(-len(req) // 10)  # ten pieces, one each half second: 5 s in all
        for k in range(0, len(req), step):
            for s in slow:
                s.sendall(req[k:k + step])
            served += srv.request("GET", "/api/v1/employer", token=t1)[0] == 200
            time.sleep(0.5)
        assert served == 10, served
        assert time.time() - t0 > 4  # longer than twice the idle timeout
        for s in slow:
            s.sendall(b"\r\n\r\n")
            s.settimeout(15)
            assert s.recv(100).startswith(b"HTTP/1.1 200")
            s.close()
    finally:
        assert srv.stop() == 0


@test
def connection_cap(tmp):
    db, t1, _ = two_employers(tmp)
    srv = Server(db, "--max-connections", "4", "--timeout", "30", "--threads", "1")
    try:
        held = [socket.create_connection((srv.host, srv.port)) for _ in range(4)]
        time.sleep(0.3)
        # over the cap, a connection waits in the listen queue, unserved ...
        extra = socket.create_connection((srv.host, srv.port))
        extra.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n")
        extra.settimeout(1.5)
        try:
            early = extra.recv(100)
        except (socket.timeout, TimeoutError):
            early = b""
        assert early == b"", "a connection over the cap was served: %r" % early
        # ... until a place frees
        for s in held:
            s.close()
        extra.settimeout(15)
        assert extra.recv(100).startswith(b"HTTP/1.1 200")
        extra.close()
        assert srv.request("GET", "/api/v1/employer", token=t1)[0] == 200
    finally:
        srv.stop()


@test
def per_address_cap(tmp):
    """--max-per-address N: one client address holds at most N connections, and a
    connection over it is closed unanswered (the rest of the server is unaffected).
    On a loopback address there is no such cap by default: the client there is a
    reverse proxy or the machine itself."""
    db, t1, _ = two_employers(tmp)
    srv = Server(db, "--max-per-address", "4", "--timeout", "30")
    try:
        held = [socket.create_connection((srv.host, srv.port)) for _ in range(4)]
        time.sleep(0.3)
        extra = socket.create_connection((srv.host, srv.port))
        extra.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n")
        assert closed_by_server(extra, 10), "a fifth connection was kept"
        extra.close()
        for s in held:
            s.close()
        time.sleep(0.3)
        assert srv.request("GET", "/api/v1/employer", token=t1)[0] == 200
    finally:
        assert srv.stop() == 0
    srv = Server(db, "--timeout", "30")
    try:
        held = [socket.create_connection((srv.host, srv.port)) for _ in range(100)]
        time.sleep(0.3)
        assert srv.request("GET", "/api/v1/employer", token=t1)[0] == 200
        for s in held:
            s.close()
    finally:
        assert srv.stop() == 0


@test
def warning_without_tls_off_loopback(tmp):
    db, _, _ = two_employers(tmp)
    srv = Server.__new__(Server)
    env = dict(os.environ)
    p = subprocess.Popen([common.CLI, "serve", "--db", db, "--listen", "0.0.0.0:0"],
                         stderr=subprocess.PIPE, text=True, env=env)
    first = p.stderr.readline()
    second = p.stderr.readline()
    p.terminate()
    assert p.wait(30) == 0
    assert first.startswith("listening on http://0.0.0.0:"), first
    assert "warning: serving plain HTTP on 0.0.0.0" in second, second
    # none on loopback
    srv = Server(db)
    srv.request("GET", "/api/v1/openapi.json")
    srv.stop()
    time.sleep(0.1)
    assert not any("warning" in line for line in srv.log), srv.log


@test
def tls(tmp):
    if not shutil.which("openssl"):
        if common.tools_required():
            raise AssertionError("openssl is needed to make a test certificate")
        print("     skipped: no openssl to make a test certificate")
        return
    db, t1, _ = two_employers(tmp)
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True,
                   capture_output=True)
    env = dict(os.environ)
    p = subprocess.Popen([common.CLI, "serve", "--db", db, "--listen", "127.0.0.1:0",
                          "--tls-cert", cert, "--tls-key", key],
                         stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = p.stderr.readline()
        assert first.startswith("listening on https://127.0.0.1:"), first
        port = int(first.rsplit(":", 1)[1])
        ctx = ssl.create_default_context(cafile=cert)
        c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=30)
        c.request("GET", "/api/v1/employer", headers={"Authorization": "Bearer " + t1})
        r = c.getresponse()
        assert r.status == 200 and b'"E1"' in r.read()
        c.request("GET", "/")
        r = c.getresponse()
        r.read()
        assert "Secure" in r.getheader("Set-Cookie"), r.getheader("Set-Cookie")
        c.close()
        # plain HTTP to the TLS port is not served
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(10)
        try:
            data = s.recv(4096)
        except (ConnectionResetError, socket.timeout):
            data = b""
        assert not data.startswith(b"HTTP/1.1 200"), data[:100]
        s.close()
    finally:
        p.terminate()
        assert p.wait(30) == 0


@test
def usage_errors(tmp):
    db, _, _ = two_employers(tmp)
    rc, _, err = run("serve", "--listen", "nonsense", db=db)
    assert rc == 2 and "HOST:PORT" in err, (rc, err)
    rc, _, err = run("serve", "--listen", "127.0.0.1:70000", db=db)
    assert rc == 2
    rc, _, err = run("serve", "--tls-cert", "x.pem", db=db)
    assert rc == 2 and "--tls-key" in err
    rc, _, err = run("serve", "--listen", "127.0.0.1:0", db=os.path.join(tmp, "none.db"))
    assert rc == 1 and "does not exist" in err, (rc, err)
    # a port in use
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    rc, _, err = run("serve", "--listen", "127.0.0.1:%d" % s.getsockname()[1], db=db)
    s.close()
    assert rc == 1 and "cannot listen" in err, (rc, err)
    rc, out, _ = run("serve", "--help")
    assert rc == 0 and "--listen" in out


if __name__ == "__main__":
    common.main(TESTS, sys.argv)
