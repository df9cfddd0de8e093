#!/usr/bin/env python3
"""tlssink: an SMTP server with STARTTLS for notifyd's policy tests, where
Postfix's smtp-sink (no TLS) cannot serve.  Python's ssl module is OpenSSL.

usage: tlssink.py PORT DIR [--cert FILE --key FILE] [--no-starttls]
                  [--delay SECONDS] [--defer ADDR] [--hang] [--addr IP]
                  [--tls11] [--auth USER:PASS] [--client-ca FILE]
--client-ca wants a client certificate from that CA ("client CN" in .env).
--refuse-starttls offers STARTTLS and answers it 454.
--auth offers AUTH PLAIN inside TLS and wants it before MAIL.
--tls11 speaks TLS 1.1 at most, below what notifyd accepts.
--delay waits before the reply to the end of data; --defer answers 451 to
RCPT TO:<ADDR>; --hang accepts connections and never says a word.
Each message is kept as DIR/N.eml (dot-unstuffed, as received) with
DIR/N.env beside it: "tls VERSION CIPHER", "from ADDR", "auth USER",
"conn N" (the connection's number) and "rcpt ADDR" lines.
Writes DIR/ready once listening; stops on SIGTERM.
"""
import base64
import os
import socket
import socketserver
import ssl
import sys
import threading
import time

counter = [0]
lock = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def send(self, s):
        self.wfile.write((s + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        srv = self.server
        sock = self.request
        if srv.hang:
            time.sleep(120)
            return
        with lock:
            srv.conns += 1
            conn = srv.conns
        self.send("220 tlssink ESMTP")
        tls = None
        client = "-"
        user = None
        mail, rcpts = None, []
        while True:
            line = self.rfile.readline(2048)
            if not line:
                return
            cmd = line.decode("ascii", "replace").rstrip("\r\n")
            verb = cmd.split(" ")[0].upper()
            if verb == "EHLO":
                ext = ["250-tlssink", "250-SIZE 100000000", "250-8BITMIME"]
                if srv.ctx is not None and tls is None:
                    ext.append("250-STARTTLS")
                if srv.auth and tls is not None:
                    ext.append("250-AUTH PLAIN")
                ext.append("250 PIPELINING")
                for e in ext:
                    self.wfile.write((e + "\r\n").encode())
                self.wfile.flush()
            elif verb == "HELO":
                self.send("250 tlssink")
            elif verb == "STARTTLS" and srv.refuse:
                self.send("454 4.7.0 TLS not available now")
            elif verb == "STARTTLS" and srv.ctx is not None and tls is None:
                self.send("220 2.0.0 go ahead")
                try:
                    sock = srv.ctx.wrap_socket(sock, server_side=True)
                except (ssl.SSLError, OSError):
                    return
                tls = "%s %s" % (sock.version(), sock.cipher()[0])
                peer = sock.getpeercert() or {}
                client = "-"
                for rdn in peer.get("subject", ()):
                    for k, v in rdn:
                        if k == "commonName":
                            client = v
                self.request = sock
                self.rfile = sock.makefile("rb")
                self.wfile = sock.makefile("wb")
                mail, rcpts = None, []
            elif verb == "AUTH" and srv.auth and tls is not None:
                try:
                    raw = base64.b64decode(cmd.split(" ")[2])
                    _, u, p = raw.decode().split("\0")
                except (IndexError, ValueError):
                    self.send("501 5.5.2 bad AUTH")
                    continue
                if "%s:%s" % (u, p) == srv.auth:
                    user = u
                    self.send("235 2.7.0 ok")
                else:
                    self.send("535 5.7.8 bad credentials")
            elif verb == "MAIL" and srv.auth and user is None:
                self.send("530 5.7.0 authentication required")
            elif verb == "MAIL":
                mail, rcpts = cmd[10:].split(" ")[0].strip("<>"), []
                self.send("250 2.1.0 ok")
            elif verb == "RCPT":
                r = cmd[8:].strip("<>")
                if r == srv.defer:
                    self.send("451 4.3.0 try again later")
                    continue
                rcpts.append(r)
                self.send("250 2.1.5 ok")
            elif verb == "DATA" and mail is not None and rcpts:
                self.send("354 go on")
                data = []
                while True:
                    l = self.rfile.readline(100000)
                    if not l:
                        return
                    if l == b".\r\n":
                        break
                    if l.startswith(b"."):
                        l = l[1:]
                    data.append(l)
                with lock:
                    counter[0] += 1
                    n = counter[0]
                base = os.path.join(srv.dir, str(n))
                with open(base + ".eml.tmp", "wb") as f:
                    f.write(b"".join(data))
                with open(base + ".env", "w") as f:
                    f.write("tls %s\nfrom %s\n" % (tls or "none", mail))
                    f.write("auth %s\nconn %d\nclient %s\n" %
                            (user or "-", conn, client))
                    for r in rcpts:
                        f.write("rcpt %s\n" % r)
                os.rename(base + ".eml.tmp", base + ".eml")
                time.sleep(srv.delay)
                self.send("250 2.0.0 ok: queued as %d" % n)
                mail, rcpts = None, []
            elif verb == "RSET":
                mail, rcpts = None, []
                self.send("250 ok")
            elif verb == "QUIT":
                self.send("221 bye")
                return
            else:
                self.send("502 5.5.2 not here")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    args = sys.argv[1:]
    port, d = int(args[0]), args[1]
    cert = key = None
    starttls = True
    delay, defer, hang, addr = 0.0, None, False, "127.0.0.1"
    tls11, auth, client_ca, refuse = False, None, None, False
    i = 2
    while i < len(args):
        if args[i] == "--cert":
            cert = args[i + 1]
            i += 1
        elif args[i] == "--key":
            key = args[i + 1]
            i += 1
        elif args[i] == "--no-starttls":
            starttls = False
        elif args[i] == "--delay":
            delay = float(args[i + 1])
            i += 1
        elif args[i] == "--defer":
            defer = args[i + 1]
            i += 1
        elif args[i] == "--hang":
            hang = True
        elif args[i] == "--auth":
            auth = args[i + 1]
            i += 1
        elif args[i] == "--refuse-starttls":
            refuse = True
        elif args[i] == "--client-ca":
            client_ca = args[i + 1]
            i += 1
        elif args[i] == "--tls11":
            tls11 = True
        elif args[i] == "--addr":
            addr = args[i + 1]
            i += 1
        i += 1
    srv = Server((addr, port), Handler)
    srv.dir = d
    srv.delay, srv.defer, srv.hang = delay, defer, hang
    srv.auth = auth
    srv.conns = 0
    srv.refuse = refuse
    srv.ctx = None
    if starttls and cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        if client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(client_ca)
        if tls11:
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        srv.ctx = ctx
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "ready"), "w").close()
    srv.serve_forever()


if __name__ == "__main__":
    main()
