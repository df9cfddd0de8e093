#!/usr/bin/env python3
"""smtpc: a scripted SMTP client for smtpd's tests, for what swaks cannot
do on purpose (pipelined STARTTLS injection, over-long lines, half-sent
messages, hundreds of idle connections).

usage: smtpc.py PORT [--tls] [--ca FILE] [--cert FILE --key FILE] STEP...
Each STEP is sent as one line and its reply printed, except:
  STARTTLS        send it; on 220 start TLS
  raw:TEXT        send TEXT as is (\\r \\n escapes); print the reply
  noreply:TEXT    send TEXT as is, read nothing
  auth:USER:PASS  AUTH PLAIN with an initial response
  data:N          DATA, then N bytes of body in 78-byte lines, then "."
  line:N          one DATA line of N characters (plus CRLF), no reply
  sleep:S         sleep S seconds
  expect-close    print what is left, then "closed" if the server closes
                  the connection within 10 s, "open" otherwise
Replies print as "CODE TEXT" lines (the last line of a multi-line reply
is kept whole, earlier ones as well); "closed" when the server closed.
"""
import base64
import socket
import ssl
import sys
import time


def read_reply(f):
    lines = []
    while True:
        line = f.readline()
        if not line:
            lines.append("closed")
            return lines
        line = line.decode("latin-1").rstrip("\r\n")
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            return lines


def main():
    args = sys.argv[1:]
    port = int(args.pop(0))
    implicit = ca = cert = key = None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--tls":
            implicit = True
        elif opt == "--ca":
            ca = args.pop(0)
        elif opt == "--cert":
            cert = args.pop(0)
        elif opt == "--key":
            key = args.pop(0)
    ctx = ssl.create_default_context(cafile=ca) if ca else ssl._create_unverified_context()
    ctx.check_hostname = False
    if cert:
        ctx.load_cert_chain(cert, key)
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    out = sys.stdout
    try:
        if implicit:
            sock = ctx.wrap_socket(sock)
        f = sock.makefile("rb")
        for l in read_reply(f):
            print(l, file=out)
    except (ConnectionError, ssl.SSLError, socket.timeout) as e:
        print("closed (%s)" % e.__class__.__name__, file=out)
        return
    for step in args:
        try:
            if step == "STARTTLS":
                sock.sendall(b"STARTTLS\r\n")
                rep = read_reply(f)
                for l in rep:
                    print(l, file=out)
                if rep[-1].startswith("220"):
                    sock = ctx.wrap_socket(sock)
                    f = sock.makefile("rb")
                continue
            if step.startswith("sleep:"):
                time.sleep(float(step[6:]))
                continue
            if step == "expect-close":
                sock.settimeout(10)
                try:
                    while True:
                        line = f.readline()
                        if not line:
                            break
                        print(line.decode("latin-1").rstrip("\r\n"), file=out)
                    print("closed", file=out)
                except (ConnectionError, ssl.SSLError):
                    print("closed", file=out)
                except socket.timeout:
                    print("open", file=out)
                continue
            if step.startswith("noreply:"):
                sock.sendall(step[8:].encode().decode("unicode_escape").encode("latin-1"))
                continue
            if step.startswith("line:"):
                sock.sendall(b"x" * int(step[5:]) + b"\r\n")
                continue
            if step.startswith("raw:"):
                sock.sendall(step[4:].encode().decode("unicode_escape").encode("latin-1"))
            elif step.startswith("auth:"):
                _, user, pw = step.split(":", 2)
                tok = base64.b64encode(b"\0" + user.encode() + b"\0" + pw.encode())
                sock.sendall(b"AUTH PLAIN " + tok + b"\r\n")
            elif step.startswith("data:"):
                sock.sendall(b"DATA\r\n")
                rep = read_reply(f)
                for l in rep:
                    print(l, file=out)
                if not rep[-1].startswith("354"):
                    continue
                n = int(step[5:])
                body = bytearray(b"Subject: test\r\n\r\n")
                while len(body) < n:
                    body += b"y" * 76 + b"\r\n"
                sock.sendall(bytes(body) + b".\r\n")
            else:
                sock.sendall(step.encode() + b"\r\n")
            for l in read_reply(f):
                print(l, file=out)
        except (ConnectionError, ssl.SSLError, socket.timeout) as e:
            print("closed (%s)" % e.__class__.__name__, file=out)
            break
    out.flush()


if __name__ == "__main__":
    main()
