# nd-lib.sh: shared set-up for tests/notifyd/*-t.sh, sourced after tap.sh.
#   nd_setup [extra rampart.conf lines]: temp dir, certificates, config,
#     spool (rampart-setup); notifyd is not started yet.
#   nd_start / nd_stop / nd_kill9: notifyd in the foreground (-d), log in
#     $TMP/notifyd.log; stopped at exit.
#   sink_start NAME PORT [smtp-sink options]: Postfix's smtp-sink keeping
#     each message in $TMP/NAME/ (one file each); sink_stop NAME.
#   tls_start NAME PORT [tlssink.py options]: the STARTTLS sink.
#   make_entry ID KIND MAIL_FROM RCPT...: a notify/new entry as queued
#     writes it (rampart-spool(5)), then "notify ID" into FIFO.notifyd.
#   wait_sent ID [SECONDS]: until sent/ID exists.
#   rec ID N KEY: the value of KEY in recipient group N (1-based) of sent/ID.
need openssl smtp-sink python3 ss

# As root, each test runs in a network (and mount) namespace of its own:
# loopback only, so no port can be taken by a test running beside it.
if [ -z "${ND_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	ND_NETNS=1 exec unshare -mn sh "$0" "$@"
fi
[ -n "${ND_NETNS:-}" ] && { ip link set lo up || bail "lo up"; }

NOTIFYD=$top_builddir/notifyd/notifyd
SETUP=$top_builddir/setup/rampart-setup
MAILCHECK=$top_builddir/tests/notifyd/mailcheck
[ -x "$NOTIFYD" ] || bail "notifyd not built"
[ -x "$SETUP" ] || bail "rampart-setup not built"
[ -x "$MAILCHECK" ] || bail "tests/notifyd/mailcheck not built"
TLSSINK=$top_srcdir/tests/notifyd/tlssink.py
ND_PID=
SINK_PIDS=

make_certs() {
	d=$TMP/pki
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=notifyd-test-ca \
	    -keyout "$d/ca.key" -out "$d/ca.crt" >/dev/null 2>&1 || bail "CA"
	for n in localhost wrong.test; do make_cert $n; done
	# a self-signed one for localhost: right name, no trusted CA
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
	    -addext subjectAltName=DNS:localhost \
	    -keyout "$d/self.key" -out "$d/self.crt" >/dev/null 2>&1 || bail "self-signed"
}

# make_cert NAME: $TMP/pki/NAME.{crt,key} from the test CA
make_cert() {
	d=$TMP/pki
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" \
	    -keyout "$d/$1.key" -out "$d/$1.csr" >/dev/null 2>&1 || bail "$1 csr"
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$1" > "$d/$1.ext"
	openssl x509 -req -in "$d/$1.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
	    -CAcreateserial -days 30 -extfile "$d/$1.ext" -out "$d/$1.crt" >/dev/null 2>&1 || bail "$1 cert"
}

# the SHA-256 fingerprint of a certificate, as openssl prints it
cert_fpr() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//'; }

nd_conf() {
	cat > "$TMP/rampart.conf" <<CONF
spool = $TMP/spool
hostname = rampart.test
admin = faxadmin@admin.test
smtp_tls_ca_file = $TMP/pki/ca.crt
notifyd_connect_timeout = 3s
notifyd_timeout = 10s
rescan_interval = 2s
CONF
	for l in "$@"; do printf '%s\n' "$l" >> "$TMP/rampart.conf"; done
}

nd_setup() {
	test_tmpdir
	at_exit nd_cleanup
	make_certs
	nd_conf "$@"
	"$SETUP" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
}

nd_cleanup() {
	nd_stop
	for p in $SINK_PIDS; do kill "$p" 2>/dev/null; done
	for p in $SINK_PIDS; do wait "$p" 2>/dev/null; done
}

nd_start() {
	nd_before=$(grep -c " started" "$TMP/notifyd.log" 2>/dev/null)
	"$NOTIFYD" -d -f "$TMP/rampart.conf" "$@" >> "$TMP/notifyd.log" 2>&1 &
	ND_PID=$!
	n=0
	until [ "$(grep -c " started" "$TMP/notifyd.log")" -gt "${nd_before:-0}" ]; do
		n=$((n + 1))
		if ! kill -0 $ND_PID 2>/dev/null; then
			cat "$TMP/notifyd.log"; bail "notifyd exited at start-up"
		elif [ $n -gt 100 ]; then
			cat "$TMP/notifyd.log"; bail "notifyd did not start in 10 s"
		fi
		sleep 0.1
	done
}

# a sanitizer's report in the log (the ASan build) fails the test
nd_stop() {
	[ -n "$ND_PID" ] || return 0
	kill "$ND_PID" 2>/dev/null
	wait "$ND_PID" 2>/dev/null
	ND_PID=
	if grep -q -e "Sanitizer" -e "runtime error" "$TMP/notifyd.log"; then
		sed 's/^/# /' "$TMP/notifyd.log" | grep -A30 -e Sanitizer -e "runtime error" | head -60
		tap_result 1 "no sanitizer report from notifyd"
	fi
}

# kill -9 the daemon and its delivery children
nd_kill9() {
	kids=$(pgrep -P "$ND_PID")
	kill -9 "$ND_PID" $kids 2>/dev/null
	wait "$ND_PID" 2>/dev/null
	ND_PID=
}

sink_start() {
	name=$1 port=$2; shift 2
	rm -rf "$TMP/$name"
	mkdir -m 777 "$TMP/$name"
	smtp-sink -u nobody -d "$TMP/$name/m." "$@" ${SINK_ADDR:-127.0.0.1}:$port 64 &
	sp=$!
	eval "SINK_$name=$sp"
	SINK_PIDS="$SINK_PIDS $sp"
	n=0
	# ready when this smtp-sink listens, not some other program
	until ss -Hltnp "src ${SINK_ADDR:-127.0.0.1}:$port" | grep -q "pid=$sp,"; do
		n=$((n + 1)); [ $n -gt 50 ] && bail "smtp-sink $name did not start"
		sleep 0.1
	done
}

tls_start() {
	name=$1 port=$2; shift 2
	rm -rf "$TMP/$name"
	python3 "$TLSSINK" "$port" "$TMP/$name" "$@" &
	eval "SINK_$name=$!"
	SINK_PIDS="$SINK_PIDS $!"
	wait_for_file "$TMP/$name/ready" 10 || bail "tlssink $name did not start"
}

sink_stop() {
	eval "p=\$SINK_$1"
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
}

# messages a sink has kept
count_msgs() {
	case $(ls "$TMP/$1" 2>/dev/null | head -1) in
	m.*) ls "$TMP/$1" | grep -c '^m\.' ;;
	*) ls "$TMP/$1" 2>/dev/null | grep -c '\.eml$' ;;
	esac
}

new_id() { cat /proc/sys/kernel/random/uuid; }

crlf() { printf '%s\r\n' "$@"; }

make_entry() {
	id=$1 kind=$2 from=$3; shift 3
	msg=$TMP/msg.$id
	{
		crlf "From: rampart <fax@rampart.test>" "To: <$1>" \
		    "Subject: notice $id" "Message-ID: <$id@rampart.test>" \
		    "Date: Sun, 29 Nov 2026 12:00:00 +0000" "MIME-Version: 1.0" \
		    "Content-Type: text/plain; charset=us-ascii" "" \
		    "Your fax was sent." ".a line that starts with a dot" "." "end"
	} > "$msg"
	size=$(wc -c < "$msg")
	tmpf=$TMP/spool/notify/tmp/$id
	{
		printf 'version = 1\nid = %s\nkind = %s\nabout = job-%s\n' "$id" "$kind" "${id%%-*}"
		printf 'created = %s\nmail_from = %s\n' "${ND_CREATED:-$(date +%s)}" "$from"
		for r in "$@"; do printf 'rcpt = %s\n' "$r"; done
		printf 'size = %020d\n\n' "$size"
		cat "$msg"
	} > "$tmpf"
	[ "$(id -u)" = 0 ] && chown rampart:rampart "$tmpf"
	mv "$tmpf" "$TMP/spool/notify/new/$id"
	# only a running notifyd holds the FIFO open: never block on it
	if [ -n "$ND_PID" ] && [ -p "$TMP/spool/FIFO.notifyd" ]; then
		echo "notify $id" > "$TMP/spool/FIFO.notifyd"
	fi
	return 0
}

wait_sent() { wait_for_file "$TMP/spool/sent/$1" "${2:-10}"; }

# rec ID N KEY: KEY's value in the Nth recipient group of sent/ID
rec() {
	awk -v n="$2" -v k="$3" '
	    $1 == "rcpt" { g++ }
	    g == n && $1 == k { sub(/^[a-z_]+ = /, ""); print; exit }' \
	    "$TMP/spool/sent/$1"
}
# a header key of sent/ID
hdr() { awk -v k="$2" '$1 == k { sub(/^[a-z_]+ = /, ""); print; exit }' "$TMP/spool/sent/$1"; }

# nd_restart [conf lines]: stop, write the config again, start
nd_restart() {
	nd_stop
	nd_conf "$@"
	nd_start
}

# wait_state ID PATTERN [SECONDS]: until notify/cur/ID.state matches
wait_state() {
	n=0 lim=$(( ${3:-10} * 10 ))
	until grep -q "$2" "$TMP/spool/notify/cur/$1.state" 2>/dev/null; do
		n=$((n + 1)); [ $n -gt $lim ] && return 1; sleep 0.1
	done
	return 0
}
# a key of the first recipient in notify/cur/ID.state
state() { awk -v k="$2" '$1 == k { sub(/^[a-z_]+ = /, ""); print; exit }' "$TMP/spool/notify/cur/$1.state"; }
