#!/bin/sh
# soak-t: kill -9 of each daemon in turn, at random moments, while
# messages go through the whole gateway (smtpd, queued, faxgetty on
# faxsim, notifyd to a STARTTLS mail server).  Each daemon is started
# again after its kill, as systemd would.  In the end every accepted
# message is faxed exactly once (a call cut by a kill may be made again,
# its page in flight sent again: counted, not failed), and every notice
# is delivered exactly once.  Prints the counts.  SOAK_MESSAGES sets the
# run's length (default 6; bench/soak/run.sh: 200).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/queued/q-lib.sh"
NOTIFYD=$B/notifyd/notifyd
[ -x "$NOTIFYD" ] || bail "notifyd not built"
SINK=$((PORT_BASE + 3))
M=${SOAK_MESSAGES:-6}

plan 7
q_setup modem "relayhost = [127.0.0.1]:$SINK" "smtp_tls_policy = encrypt" \
    "notifyd_retry_min = 1s" "notifyd_retry_max = 2s" "rescan_interval = 3" \
    "max_tries = 20" "retry_interval = 1"
mkdir "$TMP/mailbox"
python3 "$top_srcdir/tests/notifyd/tlssink.py" "$SINK" "$TMP/mailbox" \
    --cert "$TMP/cert.pem" --key "$TMP/key.pem" > "$TMP/sink.log" 2>&1 &
SINK_PID=$!
at_exit "kill $SINK_PID 2>/dev/null"
wait_for_file "$TMP/mailbox/ready" 20 || bail "sink"
N_PID=
nd_start() {
	"$NOTIFYD" -d -f "$TMP/rampart.conf" >> "$TMP/notifyd.log" 2>&1 &
	N_PID=$!
}
nd_start
at_exit 'kill $N_PID 2>/dev/null'
fg_restart() {
	"$FAXGETTY" -d -v -f "$TMP/rampart.conf" "$TMP/sim/ttySIM0" \
	    >> "$TMP/faxgetty.log" 2>&1 &
	F_PID=$!
}
smtpd_restart() {
	"$SMTPD" -d -f "$TMP/rampart.conf" >> "$TMP/smtpd.log" 2>&1 &
	S_PID=$!
	sleep 0.5
}

# the killer: one daemon after another, each killed -9 and restarted
killer() {
	k=0
	while [ ! -e "$TMP/stop" ]; do
		sleep "$(( $(od -An -N1 -tu1 /dev/urandom) % 4 + 2 )).$(( $(od -An -N1 -tu1 /dev/urandom) % 10 ))"
		[ -e "$TMP/stop" ] && break
		case $((k % 4)) in
		0) kill -9 "$Q_PID"; wait "$Q_PID" 2>/dev/null; q_start; echo queued ;;
		1) kill -9 "$N_PID"; wait "$N_PID" 2>/dev/null; nd_start; echo notifyd ;;
		2) kill -9 "$F_PID"; wait "$F_PID" 2>/dev/null; fg_restart; echo faxgetty ;;
		3) kill -9 "$S_PID"; wait "$S_PID" 2>/dev/null; smtpd_restart; echo smtpd ;;
		esac >> "$TMP/kills"
		echo "$Q_PID $N_PID $F_PID $S_PID" > "$TMP/pids"
		k=$((k + 1))
	done
}
# the daemons the killer started are its children: their pids come back
# through $TMP/pids, for the checks and for the clean-up
stop_pids() { [ -f "$TMP/pids" ] && kill $(cat "$TMP/pids") 2>/dev/null; }
at_exit stop_pids
: > "$TMP/kills"
killer &
KPID=$!
at_exit "touch $TMP/stop; kill $KPID 2>/dev/null"

# an MFP sends each message until smtpd says 250, as MFPs retry
i=0 accepted=0
while [ $i -lt "$M" ]; do
	i=$((i + 1))
	for try in 1 2 3 4 5 6 7 8 9 10; do
		id=$(mail --to "FAX=+1555$(printf %04d $i)@fax.test" \
		    --header "Message-Id: <soak-$i@clinic.test>" --body "soak $i")
		[ -n "$id" ] && break
		sleep 1
	done
	[ -n "$id" ] && accepted=$((accepted + 1))
done
is "$M" "$accepted" "every message accepted in the end ($M)"

# until every fax is done and every notice delivered, or 10 minutes
n=0
until [ "$(count done)" -ge "$M" ] && [ "$(ls "$TMP"/mailbox/*.eml 2>/dev/null | wc -l)" -ge "$M" ]; do
	n=$((n + 1)); [ $n -gt 6000 ] && break; sleep 0.1
done
touch "$TMP/stop"
wait "$KPID"
[ -f "$TMP/pids" ] && read -r Q_PID N_PID F_PID S_PID < "$TMP/pids"
kills=$(sort "$TMP/kills" | uniq -c | awk '{ printf "%s %s, ", $1, $2 }')
ok "daemons were killed: $kills" test "$(wc -l < "$TMP/kills")" -ge 4
is "$M" "$(cat "$TMP"/spool/done/*/job 2>/dev/null | grep -c '^outcome = ok$')" "every fax ended ok"
# faxsim's records: one call that ended ok per number
okcalls=$(grep 'dir=out' "$TMP/sim.results" | grep 'result=ok' | sed -n 's/.* number=\([0-9]*\) .*/\1/p' | sort | uniq -c | awk '$1 != 1' | wc -l)
is 0 "$okcalls" "no number got its fax twice"
again=$(grep 'dir=out' "$TMP/sim.results" | grep -vc 'result=ok')
diag "calls cut or failed (a page in flight may have gone twice): $again"
dsn=$(grep -l '^Content-Type: multipart/report' "$TMP"/mailbox/*.eml 2>/dev/null | wc -l)
is "$M" "$dsn" "every notice delivered"
is "$M" "$(for f in $(grep -l '^Content-Type: multipart/report' "$TMP"/mailbox/*.eml); do grep -m1 '^Message-Id:' "$f"; done | sort -u | wc -l)" \
    "and none twice"
diag "messages accepted $accepted, faxes confirmed $(cat "$TMP"/spool/done/*/job | grep -c '^outcome = ok$'), calls cut $again, notices delivered $dsn"
ok "every daemon runs" kill -0 "$Q_PID" "$N_PID" "$F_PID" "$S_PID"
