#!/bin/sh
# bench/notifyd/run.sh BUILD [N] [KB]: N mails (default 1000) of KB kB
# (default 50) to one STARTTLS sink on loopback (tests/notifyd/tlssink.py),
# policy encrypt, by notifyd and by Postfix 3.7's smtp client with
# smtp_tls_security_level = encrypt, both at 10 connections at once.
# Each starts with its queue full (notifyd: N entries in notify/new;
# Postfix: N mails dropped with sendmail while it was stopped, so its
# pickup, cleanup and qmgr are inside the time) and is timed from its
# start to the N-th arrival at the sink.  Prints mails per second, the
# ratio, and notifyd's peak RSS (parent, VmHWM).  Run as root.
# POLICY=none: the same without TLS, to Postfix's smtp-sink (a faster
# sink, to see whether the Python one bounds the numbers).
set -eu
B=$(cd "${1:?usage: run.sh BUILD [N] [KB]}" && pwd)
N=${2:-1000} KB=${3:-50}
POLICY=${POLICY:-encrypt}
top=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "run.sh: run as root (postfix)" >&2; exit 1; }
# a network namespace of its own: loopback only, no port taken by others
if [ -z "${BENCH_NETNS:-}" ]; then
	BENCH_NETNS=1 exec unshare -n sh "$0" "$@"
fi
ip link set lo up
T=$(mktemp -d /tmp/bench-notifyd.XXXXXX)
chmod 755 "$T"
PORT=2525
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	postfix -c "$T/pf" stop >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -keyout "$T/sink.key" -out "$T/sink.crt" >/dev/null 2>&1
sink() {
	rm -rf "$T/sink"
	if [ "$POLICY" = none ]; then
		mkdir -m 777 "$T/sink"
		smtp-sink -u nobody -d "$T/sink/m." 127.0.0.1:$PORT 256 &
		SINK=$!
		pids="$pids $SINK"
		until ss -Hltnp "src 127.0.0.1:$PORT" | grep -q "pid=$SINK,"; do sleep 0.05; done
		return
	fi
	python3 "$top/tests/notifyd/tlssink.py" $PORT "$T/sink" \
	    --cert "$T/sink.crt" --key "$T/sink.key" &
	SINK=$!
	pids="$pids $SINK"
	while [ ! -e "$T/sink/ready" ]; do
		kill -0 $SINK 2>/dev/null || { echo "run.sh: the sink did not start" >&2; exit 1; }
		sleep 0.05
	done
}
# waits for N arrivals; prints seconds since $1 (date +%s.%N)
arrivals() {
	while [ "$(ls "$T/sink" | grep -c -e '\.env$' -e '^m\.')" -lt "$N" ]; do sleep 0.02; done
	echo "$(date +%s.%N) - $1" | bc
}

# one message body: headers and KB kB of base64-looking text lines
python3 - "$T/body" "$KB" <<'PY'
import sys, base64, os
path, kb = sys.argv[1], int(sys.argv[2])
h = ("From: rampart <fax@rampart.test>\r\nTo: <someone@example.test>\r\n"
     "Subject: bench\r\nMIME-Version: 1.0\r\n"
     "Content-Type: application/octet-stream\r\n"
     "Content-Transfer-Encoding: base64\r\n\r\n")
raw = base64.encodebytes(os.urandom(kb * 1024 * 3 // 4)).replace(b"\n", b"\r\n")
open(path, "wb").write(h.encode() + raw)
PY

# notifyd
cat > "$T/rampart.conf" <<CONF
spool = $T/spool
hostname = bench.test
relayhost = localhost:$PORT
smtp_tls_policy = $POLICY
notifyd_max_parallel = 10
notifyd_destination_concurrency = 10
CONF
"$B/setup/rampart-setup" -f "$T/rampart.conf" >/dev/null
size=$(wc -c < "$T/body")
i=0
while [ $i -lt "$N" ]; do
	id=$(cat /proc/sys/kernel/random/uuid)
	{ printf 'version = 1\nid = %s\nkind = dsn\nabout = -\ncreated = %s\nmail_from = \nrcpt = someone@example.test\nsize = %020d\n\n' \
	    "$id" "$(date +%s)" "$size"; cat "$T/body"; } > "$T/spool/notify/new/$id"
	i=$((i + 1))
done
chown -R rampart:rampart "$T/spool/notify/new"
sync
sink
t0=$(date +%s.%N)
"$B/notifyd/notifyd" -d -f "$T/rampart.conf" 2>"$T/notifyd.log" &
ND=$!
pids="$pids $ND"
nd_s=$(arrivals "$t0")
nd_rss=$(awk '/VmHWM/ { print $2 }' /proc/$ND/status)
kill $ND; wait $ND 2>/dev/null || true
kill $SINK; wait $SINK 2>/dev/null || true
[ "$(ls "$T/spool/sent" | wc -l)" -eq "$N" ] || { echo "notifyd: not all recorded" >&2; exit 1; }

# Postfix: a throwaway instance, no listener, relaying everything
mkdir -p "$T/pf" "$T/pfq" "$T/pfd"
sed '/^smtp[[:space:]]*inet/d' /etc/postfix/master.cf > "$T/pf/master.cf"
cat > "$T/pf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $T/pfq
data_directory = $T/pfd
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = bench.test
mydestination =
relayhost = [127.0.0.1]:$PORT
smtp_tls_security_level = $POLICY
smtp_tls_mandatory_protocols = >=TLSv1.2
default_destination_concurrency_limit = 10
initial_destination_concurrency = 10
maillog_file = $T/pf.log
maillog_file_prefixes = $T
CONF
chown postfix "$T/pfd"
# postfix says why it fails only to a terminal (or syslog): script(1)
pf() { script -qec "postfix -c $T/pf $1" /dev/null >"$T/pf.out" 2>&1 || { cat "$T/pf.out" >&2; exit 1; }; }
pf start
pf stop
i=0
while [ $i -lt "$N" ]; do
	sendmail -C "$T/pf" -f bench@bench.test -i someone@example.test < "$T/body"
	i=$((i + 1))
done
sync
sink
t0=$(date +%s.%N)
pf start
pf_s=$(arrivals "$t0")
kill $SINK; wait $SINK 2>/dev/null || true

echo "mails=$N size=${KB}kB policy=$POLICY parallel=10"
echo "notifyd: $nd_s s, $(echo "scale=1; $N / $nd_s" | bc) mails/s, peak RSS ${nd_rss} kB"
echo "postfix: $pf_s s, $(echo "scale=1; $N / $pf_s" | bc) mails/s"
echo "ratio notifyd/postfix: $(echo "scale=2; $pf_s / $nd_s" | bc)x"
