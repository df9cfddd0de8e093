#!/usr/bin/env python3
"""authrace: AUTH from several connections and several loopback source
addresses at once, for auth-t.sh (issue 20).  Every session does EHLO,
STARTTLS and EHLO first.

usage: authrace.py PORT MODE ARGS...
  race SRC
      c1 begins AUTH LOGIN and sends the user name; c2..c6 send wrong
      passwords (AUTH PLAIN); c7 the right one; then c1 sends the right
      password.  Prints "cN REPLY" lines.
  parallel SRC N
      N sessions send "AUTH PLAIN" (334 each), then all N send a wrong
      response back to back; prints the N replies, one a line.
  attack N READY STOP
      N threads, each from its own address 127.0.1.1, .2, ...: wrong
      passwords for dev1 over and over (a new session when one ends)
      until STOP exists (60 s at most); creates READY once every thread
      is connected; prints "attempts=A failures=F during=D", D the
      attempts answered between READY and STOP.
  probe SECONDS READY GO STOP
      logs in as dev1 from 127.0.0.1, creates READY, waits for GO to
      exist, then sends one NOOP every 10 ms for SECONDS, one at a time,
      and prints "n=N p50=X p99=Y max=Z" in milliseconds: from when a
      NOOP was due to its 250, so that a stall weighs as much as the
      NOOPs it held up (no coordinated omission); then creates STOP.
"""
import base64
import os
import socket
import ssl
import sys
import threading
import time


def plain(user, pw):
    return base64.b64encode(b"\0" + user.encode() + b"\0" + pw.encode()).decode()


class Sess:
    def __init__(self, port, src="127.0.0.1"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60,
                                             source_address=(src, 0))
        self.f = self.sock.makefile("rb")
        self.reply()
        self.cmd("EHLO c.test")
        if not self.cmd("STARTTLS").startswith("220"):
            raise ConnectionError("no STARTTLS")
        ctx = ssl._create_unverified_context()
        self.sock = ctx.wrap_socket(self.sock)
        self.f = self.sock.makefile("rb")
        self.cmd("EHLO c.test")

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def reply(self):
        while True:
            line = self.f.readline()
            if not line:
                return "closed"
            line = line.decode("latin-1").rstrip("\r\n")
            if len(line) < 4 or line[3] != "-":
                return line

    def cmd(self, line):
        self.send(line)
        return self.reply()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def race(port, src):
    c1 = Sess(port, src)
    print("c1", c1.cmd("AUTH LOGIN"))
    print("c1", c1.cmd(base64.b64encode(b"dev1").decode()))
    for i in range(2, 7):
        c = Sess(port, src)
        print("c%d" % i, c.cmd("AUTH PLAIN " + plain("dev1", "wrong%d" % i)))
        c.close()
    c7 = Sess(port, src)
    print("c7", c7.cmd("AUTH PLAIN " + plain("dev1", "secret1")))
    c7.close()
    print("c1", c1.cmd(base64.b64encode(b"secret1").decode()))
    c1.close()


def parallel(port, src, n):
    ss = [Sess(port, src) for i in range(n)]
    for s in ss:
        r = s.cmd("AUTH PLAIN")
        if not r.startswith("334"):
            print("no 334:", r)
            return
    for i, s in enumerate(ss):
        s.send(plain("dev1", "wrong%d" % i))
    for s in ss:
        print(s.reply())
        s.close()


def attack(port, n, ready, stop):
    end = time.time() + 60
    lock = threading.Lock()
    st = {"attempts": 0, "failures": 0, "connected": 0, "during": 0}
    bad = "AUTH PLAIN " + plain("dev1", "guess")

    def going():
        return time.time() < end and not os.path.exists(stop)

    def one(i):
        src = "127.0.1.%d" % (i + 1)
        first = True
        while going():
            try:
                s = Sess(port, src)
            except (OSError, ssl.SSLError):
                time.sleep(0.05)
                continue
            if first:
                first = False
                with lock:
                    st["connected"] += 1
                    if st["connected"] == n:
                        open(ready, "w").close()
            try:
                while going():
                    r = s.cmd(bad)
                    with lock:
                        st["attempts"] += 1
                        st["failures"] += r.startswith("535")
                        # answered while the probe measured
                        st["during"] += (st["connected"] == n and
                                         not os.path.exists(stop))
                    if not r.startswith("535"):
                        break
            except (OSError, ssl.SSLError):
                pass
            s.close()

    th = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in th:
        t.start()
    for t in th:
        t.join()
    print("attempts=%d failures=%d during=%d" % (st["attempts"],
                                                 st["failures"], st["during"]))


def probe(port, seconds, ready, go, stop):
    s = Sess(port)
    r = s.cmd("AUTH PLAIN " + plain("dev1", "secret1"))
    if not r.startswith("235"):
        print("login failed:", r)
        return
    open(ready, "w").close()
    t = time.time() + 30
    while not os.path.exists(go) and time.time() < t:
        time.sleep(0.01)
    # one NOOP due every 10 ms; a NOOP's latency runs from when it was
    # due, so a stall counts once for every NOOP it held up, not once
    lat = []
    start = time.monotonic()
    i = 0
    while True:
        due = start + i * 0.01
        if due > start + seconds:
            break
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        r = s.cmd("NOOP")
        lat.append((time.monotonic() - due) * 1000)
        if not r.startswith("250"):
            print("NOOP:", r)
            return
        i += 1
    open(stop, "w").close()
    s.close()
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
    print("n=%d p50=%.1f p99=%.1f max=%.1f" % (len(lat), pct(0.5), pct(0.99),
                                               lat[-1]))


def main():
    a = sys.argv[1:]
    port, mode = int(a[0]), a[1]
    if mode == "race":
        race(port, a[2])
    elif mode == "parallel":
        parallel(port, a[2], int(a[3]))
    elif mode == "attack":
        attack(port, int(a[2]), a[3], a[4])
    elif mode == "probe":
        probe(port, float(a[2]), a[3], a[4], a[5])
    else:
        sys.exit("unknown mode " + mode)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
