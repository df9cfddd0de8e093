#!/usr/bin/env python3
"""burst: sends messages to smtpd over STARTTLS + AUTH PLAIN until the
server goes away or COUNT messages are done; prints "queued ID SIZE" for
every 250 it got, so a test can check each one is complete on disk.

usage: burst.py PORT USER PASS COUNT SIZE [SLOW]
SIZE is the body size in bytes; with SLOW, the body goes out in 8 kB
pieces 50 ms apart (a message still in DATA when the server is killed).
"""
import base64
import socket
import ssl
import sys
import time


def reply(f):
    while True:
        line = f.readline()
        if not line:
            raise ConnectionError("closed")
        if len(line) < 4 or line[3:4] != b"-":
            return line.decode().rstrip()


def one(port, user, pw, size, slow):
    ctx = ssl._create_unverified_context()
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    f = s.makefile("rb")
    reply(f)
    s.sendall(b"EHLO burst.test\r\n")
    reply(f)
    s.sendall(b"STARTTLS\r\n")
    reply(f)
    s = ctx.wrap_socket(s)
    f = s.makefile("rb")
    tok = base64.b64encode(b"\0" + user.encode() + b"\0" + pw.encode())
    s.sendall(b"EHLO burst.test\r\nAUTH PLAIN " + tok + b"\r\n"
              b"MAIL FROM:<burst@example.test>\r\nRCPT TO:<+12224567654@fax.test>\r\n"
              b"DATA\r\n")
    for _ in range(5):
        r = reply(f)
    if not r.startswith("354"):
        raise RuntimeError(r)
    body = bytearray(b"Subject: burst\r\n\r\n")
    while len(body) < size:
        body += b"z" * 98 + b"\r\n"
    if slow:
        for i in range(0, len(body), 8192):
            s.sendall(body[i:i + 8192])
            time.sleep(0.05)
    else:
        s.sendall(body)
    s.sendall(b".\r\n")
    r = reply(f)
    if r.startswith("250 2.0.0 Ok: queued as "):
        print("queued", r.split()[-1], len(body), flush=True)
    s.sendall(b"QUIT\r\n")
    s.close()


def main():
    port, user, pw, count, size = sys.argv[1:6]
    slow = len(sys.argv) > 6
    for _ in range(int(count)):
        try:
            one(int(port), user, pw, int(size), slow)
        except (OSError, RuntimeError):
            return


if __name__ == "__main__":
    main()
