#!/bin/sh
# crash-t: kill -9 of queued at random moments.  First without a modem:
# messages of two recipients each arrive while queued is killed and
# restarted again and again; in the end every message has exactly its
# jobs, none twice, and nothing is left in incoming/ or msgs/.  Then
# with the simulated line: jobs are faxed while queued is killed; each
# ends ok with one notice, and each remote has every page once.
# Q_CRASH_MESSAGES and Q_CRASH_FAXES make the run longer (bench/queued).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/queued/q-lib.sh"

N=${Q_CRASH_MESSAGES:-20}
F=${Q_CRASH_FAXES:-2}
plan 12
q_setup
"$MKFAX" "$TMP/doc.tif" 2 || bail mkfaxtiff

# killer: kills queued -9 at random and restarts it until $TMP/stop
killer() {
	while [ ! -e "$TMP/stop" ]; do
		sleep "0.$(( $(od -An -N1 -tu1 /dev/urandom) % 9 + 1 ))"
		[ -n "$Q_PID" ] && kill -9 "$Q_PID" 2>/dev/null && wait "$Q_PID" 2>/dev/null
		Q_PID=
		echo kill >> "$TMP/kills"
		q_start
	done
	q_stop
}

q_stop
q_start
killer &
KPID=$!
at_exit "touch $TMP/stop; kill $KPID 2>/dev/null"
sent=0
i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	id=$(mail --to "FAX=+1555$(printf %04d $i)@fax.test,FAX=+1555$(printf %04d $((i + 5000)))@fax.test" \
	    --header "Message-Id: <crash-$i@clinic.test>" --body "message $i")
	[ -n "$id" ] && sent=$((sent + 1))
done
is "$N" "$sent" "$N messages accepted while queued was killed"
touch "$TMP/stop"
wait $KPID
ok "queued was killed more than 5 times ($(wc -l < "$TMP/kills"))" test "$(wc -l < "$TMP/kills")" -gt 5
rm -f "$TMP/stop"
q_start
wait_for jobs $((2 * N)) 120
sleep "$(field "$TMP/rampart.conf" rescan_interval)"
is $((2 * N)) "$(count jobs)" "every message made its two jobs"
is $((2 * N)) "$(cat "$TMP"/spool/jobs/*/job | sed -n 's/^e164 = //p' | sort -u | wc -l)" \
    "no number has two jobs"
is 0 "$(( $(count incoming/new) + $(count incoming/cur) + $(count incoming/bad) ))" \
    "nothing left in incoming/"
is 0 "$(count msgs)" "nothing left in msgs/"
is 0 "$(ls -A "$TMP/spool/jobs" | grep -c '^\.')" "no temporary files in jobs/"

# with the line: the jobs above held, $F new ones faxed while killed
q_stop
sed -i 's/^state = ready$/state = held/' "$TMP"/spool/jobs/*/job
modem_start
q_start
for k in $(seq 1 "$F"); do
	sim "route 1555990$k file=$TMP/rx-$k.tif" >/dev/null
	mail --to "FAX=+1555990$k@fax.test" --attach-type image/tiff \
	    --attach "@$TMP/doc.tif" >/dev/null
done
killer &
KPID=$!
n=0
until [ "$(count done)" -ge "$F" ] || [ $n -gt 1800 ]; do n=$((n + 1)); sleep 0.1; done
touch "$TMP/stop"
wait $KPID
q_start
wait_for done "$F" 60
is "$F" "$(count done)" "the $F faxes finished while queued was killed"
is "$F" "$(cat "$TMP"/spool/done/*/job | grep -c '^outcome = ok$')" "all ok"
is "$F" "$(cat "$TMP"/spool/done/*/job | grep -c '^notice = ')" "one notice each"
is "$F" "$(grep -l '^kind = dsn' "$TMP"/spool/notify/new/* | wc -l)" "and as many notices published"
good=0
for k in $(seq 1 "$F"); do
	"$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/rx-$k.tif" >/dev/null 2>&1 && good=$((good + 1))
done
is "$F" "$good" "each remote has every page exactly once"
