#!/bin/sh
# stress-t: clients that stall are dropped on time; 500 idle connections
# do not stop another client from being served; connection limits; kill -9
# of smtpd during DATA leaves no partial message in incoming/new and every
# message that got a 250 complete on disk.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"
need python3

plan 17
smtpd_setup "smtpd_starttls_timeout = 2s" "smtpd_timeout = 3s"
T=$top_srcdir/tests/smtpd
C="python3 $T/smtpc.py"

t0=$(date +%s)
$C $STARTTLS_PORT expect-close > "$TMP/stall0" 2>&1
t1=$(date +%s)
ok "a client that never speaks gets 421 4.4.2 and is dropped" sh -c \
    "grep -q '^421 4.4.2' '$TMP/stall0' && grep -qx closed '$TMP/stall0'"
ok "... after the short pre-TLS timeout (2 s, so within 4 s)" test $((t1 - t0)) -le 4
$C $STARTTLS_PORT "EHLO c.test" NOOP sleep:0.8 NOOP sleep:0.8 NOOP sleep:0.8 NOOP \
    expect-close > "$TMP/chat" 2>&1
ok "a client chatting in the clear without STARTTLS is dropped after 2 s" sh -c \
    "grep -q '^421 4.7.0 TLS required' '$TMP/chat' && grep -qx closed '$TMP/chat'"
$C $STARTTLS_PORT "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev1:secret1" \
    "MAIL FROM:<a@b.test>" "RCPT TO:<+12224567654@fax.test>" DATA line:50 \
    expect-close > "$TMP/stall1" 2>&1
ok "a client that stalls in DATA is dropped after smtpd_timeout" sh -c \
    "grep -q '^421 4.4.2' '$TMP/stall1' && grep -qx closed '$TMP/stall1'"
is 0 "$(count_new)" "the stalled message is not in incoming/new"
is 0 "$(ls "$TMP/spool/incoming/tmp" | wc -l)" "and its temporary file is gone"

smtpd_restart "smtpd_starttls_timeout = 60s" "smtpd_max_connections_per_client = 600"
python3 - $STARTTLS_PORT 500 "$TMP/idle.ready" <<'PY' &
import socket, sys, time
port, n, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.makefile("rb").readline()
    socks.append(s)
open(ready, "w").close()
time.sleep(40)
PY
IDLE_PID=$!
at_exit "kill $IDLE_PID 2>/dev/null"
wait_for_file "$TMP/idle.ready" 30
ok "500 connections are open and greeted" test -e "$TMP/idle.ready"
t0=$(date +%s)
swaks_tls --to '12224567654@fax.test' --from a@b.test --auth PLAIN \
    --auth-user dev1 --auth-password secret1 > "$TMP/busy.out" 2>&1
t1=$(date +%s)
ok "with 500 idle sessions another client still gets its message queued" \
    grep -q "250 2.0.0 Ok: queued" "$TMP/busy.out"
ok "... within 5 seconds" test $((t1 - t0)) -le 5
kill $IDLE_PID 2>/dev/null
wait $IDLE_PID 2>/dev/null

smtpd_restart "smtpd_max_connections_per_client = 3"
python3 - $STARTTLS_PORT > "$TMP/limit.out" <<'PY'
import socket, sys
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) for i in range(4)]
for s in socks:
    print(s.makefile("rb").readline().decode().rstrip())
PY
ok "smtpd_max_connections_per_client: the 4th connection gets 421 4.7.0" \
    sh -c "[ \$(grep -c '^220 ' '$TMP/limit.out') -eq 3 ] && grep -q '^421 4.7.0 too many connections from your address' '$TMP/limit.out'"

smtpd_restart
rm -f "$TMP"/spool/incoming/new/*
for i in 1 2 3; do
	python3 $T/burst.py $STARTTLS_PORT dev1 secret1 1000 20000 > "$TMP/burst$i.out" 2>&1 &
done
python3 $T/burst.py $STARTTLS_PORT dev1 secret1 1 3000000 slow > "$TMP/slow.out" 2>&1 &
n=0
until [ -s "$TMP/burst1.out" ] && [ "$(ls "$TMP/spool/incoming/tmp" | wc -l)" -ge 1 ] &&
    [ $n -ge 20 ]; do
	n=$((n + 1)); [ $n -gt 100 ] && break; sleep 0.1
done
ok "messages were queued before the kill" test -s "$TMP/burst1.out"
ok "a message was in DATA when smtpd was killed" \
    sh -c "[ \$(ls '$TMP/spool/incoming/tmp' | wc -l) -ge 1 ]"
kill -9 $SMTPD_PID
wait $SMTPD_PID 2>/dev/null
SMTPD_PID=
wait
ok "the slow message got no 250" test ! -s "$TMP/slow.out"
cat "$TMP"/burst?.out > "$TMP/acked"
python3 - "$TMP/spool/incoming/new" "$TMP/acked" > "$TMP/check.out" <<'PY'
import os, sys
new, acked = sys.argv[1], sys.argv[2]
bad = 0
def complete(path):
    data = open(path, "rb").read()
    head, sep, msg = data.partition(b"\n\n")
    size = [l for l in head.split(b"\n") if l.startswith(b"size = ")]
    return sep and size and int(size[0][7:]) == len(msg) and msg.endswith(b"\r\n")
for name in os.listdir(new):
    if not complete(os.path.join(new, name)):
        print("partial in new:", name); bad += 1
n = 0
for line in open(acked):
    _, mid, size = line.split()
    n += 1
    p = os.path.join(new, mid)
    if not os.path.exists(p):
        print("acked but missing:", mid); bad += 1; continue
    data = open(p, "rb").read()
    if len(data) - data.index(b"Subject: burst") != int(size):
        print("acked but short:", mid); bad += 1
print("acked", n, "bad", bad)
PY
diag "$(cat "$TMP/check.out")"
ok "every file in incoming/new is complete" sh -c "! grep -q 'partial in new' '$TMP/check.out'"
ok "every message that got a 250 is complete on disk" sh -c "grep -q ' bad 0$' '$TMP/check.out'"
smtpd_start
is 0 "$(ls "$TMP/spool/incoming/tmp" | wc -l)" "restarted smtpd cleans the interrupted message from incoming/tmp"
swaks_tls --to '12224567654@fax.test' --from a@b.test --auth PLAIN \
    --auth-user dev1 --auth-password secret1 > "$TMP/after.out" 2>&1
ok "and serves again" grep -q "250 2.0.0 Ok: queued" "$TMP/after.out"
