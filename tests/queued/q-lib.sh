# q-lib.sh: the offramp for queued's tests, real programs on a throwaway
# spool: smtpd (self-signed certificate, account dev1/secret1 for +1555*),
# queued, and, with q_setup modem, faxsim with one modem and faxgetty.
#   q_setup [modem] [rampart.conf lines...]
#   q_start / q_stop / q_kill: queued
#   sim CMD: one faxsim control command
#   mail ARGS...: swaks over STARTTLS with dev1's login; prints the id
#   wait_done N [secs]: until done/ holds N entries
#   dsn FILE: the message part of a notify/new entry
#   pyq 'python expression over m (email.message)' FILE
need swaks openssl python3 tiffinfo
B=$top_builddir
QUEUED=$B/queued/queued
SMTPD=$B/smtpd/smtpd
FAXGETTY=$B/faxgetty/faxgetty
FAXSIM=$B/faxsim/faxsim
SETUP=$B/setup/rampart-setup
MKFAX=$B/tests/tools/mkfaxtiff
TIFFCMP=$B/tests/tools/tiffcmp-pages
for p in "$QUEUED" "$B/queued/unpack" "$SMTPD" "$FAXGETTY" "$FAXSIM" "$SETUP"; do
	[ -x "$p" ] || bail "$p not built"
done
Q_PID= S_PID= F_PID= SIM_PID=

q_start() {
	"$QUEUED" -d -v -f "$TMP/rampart.conf" -L "$TMP/libexec" \
	    >> "$TMP/queued.log" 2>&1 &
	Q_PID=$!
	n=0
	until grep -q "started pid=$Q_PID" "$TMP/queued.log" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -gt 100 ] || ! kill -0 "$Q_PID" 2>/dev/null; then
			cat "$TMP/queued.log"; bail "queued did not start"
		fi
		sleep 0.1
	done
}
q_stop() { [ -n "$Q_PID" ] && kill "$Q_PID" 2>/dev/null && wait "$Q_PID" 2>/dev/null; Q_PID=; }
q_kill() { [ -n "$Q_PID" ] && kill -9 "$Q_PID" 2>/dev/null && wait "$Q_PID" 2>/dev/null; Q_PID=; }
stop_all() {
	q_stop
	for p in $F_PID $S_PID $SIM_PID; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}

sim() { "$FAXSIM" -c "$TMP/sim.sock" -x "$*"; }

q_setup() {
	test_tmpdir
	at_exit stop_all
	modem=0
	[ "${1:-}" = modem ] && { modem=1; shift; }
	mkdir -p "$TMP/sim" "$TMP/lock" "$TMP/libexec"
	ln -s "$B/convert/convert" "$TMP/libexec/convert"
	ln -s "$B/queued/unpack" "$TMP/libexec/unpack"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	    -addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" \
	    -out "$TMP/cert.pem" >/dev/null 2>&1 || bail "certificate"
	cat > "$TMP/rampart.conf" <<CONF
spool = $TMP/spool
hostname = rampart.test
admin = admin@rampart.test
smtpd_listen_starttls = 127.0.0.1:$PORT_BASE
smtpd_listen_tls = 127.0.0.1:$((PORT_BASE + 1))
tls_cert_file = $TMP/cert.pem
tls_key_file = $TMP/key.pem
accounts_file = $TMP/accounts
fax_domains = fax.test
lock_dir = $TMP/lock
station_id = RAMPART-TEST
rescan_interval = 3
retry_interval = 1
busy_retry_interval = 1
CONF
	for l in "$@"; do printf '%s\n' "$l" >> "$TMP/rampart.conf"; done
	# ASan maps terabytes at start: no address-space limit for children
	case "${CFLAGS:-}${ASAN_OPTIONS:-}" in *address*|*detect_leaks*)
		export RAMPART_CONVERT_NO_AS=1 ;;
	esac
	"$SETUP" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
	echo secret1 | "$SMTPD" -f "$TMP/rampart.conf" -a dev1 -P '+1555*' \
	    >/dev/null 2>&1 || bail "account"
	if [ "$(id -u)" = 0 ]; then
		chown rampart-smtp "$TMP/accounts"; chown rampart "$TMP/lock"
	fi
	"$SMTPD" -d -f "$TMP/rampart.conf" > "$TMP/smtpd.log" 2>&1 &
	S_PID=$!
	[ $modem = 1 ] && modem_start
	n=0
	until grep -q started "$TMP/smtpd.log"; do
		n=$((n + 1)); [ $n -gt 100 ] && { cat "$TMP/smtpd.log"; bail smtpd; }
		sleep 0.1
	done
	q_start
}

# faxsim with one modem, and faxgetty on it
modem_start() {
	"$FAXSIM" -d -D "$TMP/sim" -n 1 -S "${FG_SPEED:-4}" \
	    -c "$TMP/sim.sock" -r "$TMP/sim.results" \
	    > "$TMP/faxsim.log" 2>&1 &
	SIM_PID=$!
	wait_for_file "$TMP/sim.sock" 10 || bail "faxsim"
	"$FAXGETTY" -d -v -f "$TMP/rampart.conf" "$TMP/sim/ttySIM0" \
	    > "$TMP/faxgetty.log" 2>&1 &
	F_PID=$!
	wait_for_file "$TMP/spool/status/ttySIM0" 20 || bail "faxgetty"
}

# mail [swaks args]: prints the queue id smtpd gave, or nothing
mail() {
	swaks --server 127.0.0.1 --port "$PORT_BASE" --tls --from sender@clinic.test \
	    --auth PLAIN --auth-user dev1 --auth-password secret1 "$@" \
	    2>&1 | sed -n 's/.*250 2.0.0 Ok: queued as \([0-9a-f-]*\).*/\1/p'
}

count() { ls "$TMP/spool/$1" 2>/dev/null | wc -l; }

# wait_for AREA N [secs]: until AREA holds at least N entries
wait_for() {
	n=0 lim=$(( ${3:-60} * 10 ))
	until [ "$(count "$1")" -ge "$2" ]; do
		n=$((n + 1)); [ $n -gt $lim ] && return 1; sleep 0.1
	done
	return 0
}

field() { sed -n "s/^$2 = //p" "$1" | head -1; }

# the message of a notify entry on standard output
dsn() { sed '1,/^$/d' "$1"; }

# pyq EXPR FILE: EXPR over m, the parsed message of notify entry FILE
pyq() {
	dsn "$2" | python3 -c '
import email, sys
from email import policy
m = email.message_from_binary_file(sys.stdin.buffer, policy=policy.compat32)
def parts(m): return [p for p in m.walk()]
def ds(m):
    for p in m.walk():
        if p.get_content_type() == "message/delivery-status":
            return p.get_payload()
    return []
print('"$1"')'
}
