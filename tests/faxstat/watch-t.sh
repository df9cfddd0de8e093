#!/bin/sh
# watch-t: faxstat -w through real calls (faxgetty and faxsim, libspandsp
# T.30 at both ends): faxgetty sends a 3-page job while faxstat -w writes
# a line per change (not a terminal), then receives one while faxstat -w
# redraws a terminal (script(1) gives it a pty); each ends by itself when
# the call ends.  The records faxgetty wrote (a try's result, a received fax's
# meta), put where queued puts them, show in the record and -r views.
# Then faxgetty is killed and its status, left behind, shows down.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
FAXSTAT=$top_builddir/faxstat/faxstat
[ -x "$FAXSTAT" ] || bail "$FAXSTAT not built"
need tiffinfo script timeout

plan 18
fg_setup
"$MKFAX" "$TMP/three.tif" 3 || bail mkfaxtiff
sim "route 5550001 file=$TMP/rx-1.tif" >/dev/null
sim "route 5550002 file=$TMP/rx-2.tif" >/dev/null
FS() { TZ=UTC LC_ALL=C.UTF-8 "$FAXSTAT" -S "$TMP/spool" "$@"; }

# not a terminal: one line per change, until the call has ended
FS -w > "$TMP/w.out" 2> "$TMP/w.err" &
W=$!
at_exit "kill $W 2>/dev/null"
sleep 0.3
id=$(mkjob 5550001 "$TMP/three.tif" state=ready created=$(date +%s))
send "$id"
wait_result "$id" 1 120 || bail "no result for the first call"
n=0
while kill -0 $W 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
! kill -0 $W 2>/dev/null
tap_result $? "-w ends by itself when the call has ended"
wait $W
is 0 $? "-w exits 0"
grep -q "ttySIM0 dialing job $id number 5550001$" "$TMP/w.out"
tap_result $? "-w: a line for dialing, with the job and number"
grep -q "ttySIM0 sending job $id page 1/3 \[\.*\] [0-9]* bit/s" "$TMP/w.out" &&
grep -q "ttySIM0 sending job $id page 3/3 \[#*\.*\] 14400 bit/s ECM remote" "$TMP/w.out"
tap_result $? "-w: page 1 of 3 and page 3 of 3 with a progress bar and the rate"
is "idle" "$(tail -1 "$TMP/w.out" | cut -d' ' -f4)" "-w: the last line is the modem idle again"
[ -s "$TMP/w.err" ] && diag "$(cat "$TMP/w.err")"
diag "$(cat "$TMP/w.out")"

# faxgetty's own result, moved where queued moves it
mv "$TMP/spool/results/new/$id.1" "$TMP/spool/jobs/$id/result.1"
out=$(FS "$id")
echo "$out" | grep -q "^Job $id, in the queue: waiting for a modem$" &&
echo "$out" | grep -q "  try       try 1 on ttySIM0: ok, 3 sent, 3/3 confirmed, remote [^,]*, 14400 bit/s ECM, [0-9]* s"
st=$?
tap_result $st "record: the try faxgetty reported"
[ $st = 0 ] || diag "$out"
is "$id 0/3 0" "$(FS -s -j | jq -r '.queue[] | "\(.id) \(.pages_confirmed)/\(.pages) \(.tries)"')" \
    "queue --json: the job as fg-lib made it (queued has not yet taken the result)"

# a terminal: redrawn in place while a fax comes in, until the call ends
wait_idle
timeout 120 script -qfec "TZ=UTC LC_ALL=C.UTF-8 $FAXSTAT -S $TMP/spool -w" \
    "$TMP/t.out" < /dev/null > /dev/null &
S=$!
at_exit "kill $S 2>/dev/null"
sleep 0.5
before=$(ls "$TMP/spool/recv/new" | wc -l)
sim "call 0 file=$TMP/three.tif cid=5551234 name=ACME did=7001 id=CALLER9 ecm=1" >/dev/null ||
    bail "faxsim call"
wait_recv "$before"
wait $S
is 0 $? "-w on a terminal ends by itself when the call has ended"
ESC=$(printf '\033')
grep -q "${ESC}\[H${ESC}\[2Jfaxstat -w" "$TMP/t.out"
tap_result $? "-w on a terminal: the screen is cleared and redrawn"
grep -q "^ttySIM0    receiving   [0-9a-f]\{8\} CALLER9 .* 14400 yes " "$TMP/t.out" &&
grep -q "^ttySIM0 *page [23], 14400 bit/s ECM" "$TMP/t.out"
tap_result $? "-w on a terminal: receiving, the caller's id, page n and the rate"

# the received fax, moved where queued moves it
F=$(basename "$D")
wait_idle
mv "$D" "$TMP/spool/done/$F"
is "${F%%-*} 5551234      CALLER9        7001          3 -   (not rout…" \
    "$(FS -r | sed -n 2p | cut -c1-9,22-)" "received: faxgetty's meta, not routed yet"
is "5551234 CALLER9 7001 3 true null" \
    "$(FS -r -j | jq -r '.received[0] | "\(.caller_id) \(.tsi) \(.did) \(.pages) \(.complete) \(.authorized)"')" \
    "received --json: faxgetty's meta"
FS "$F" | grep -q "received on ttySIM0 from 5551234 (ACME), TSI CALLER9, for 7001, 3 pages, [0-9]* bit/s"
tap_result $? "record of the received fax"

# a job retried: busy at the first try, sent at the second; each result
# moved into the job, and the job file updated, as queued does
"$MKFAX" "$TMP/one.tif" 1 || bail mkfaxtiff
sim "route 5550030 action=busy" >/dev/null
R=$(mkjob 5550030 "$TMP/one.tif" state=ready created=$(date +%s))
wait_idle
send "$R"
wait_result "$R" 1 60 || bail "no result for the busy try"
mv "$TMP/spool/results/new/$R.1" "$TMP/spool/jobs/$R/result.1"
setjob "$R" try 2
printf 'last_outcome = recoverable\nlast_reason = busy\n' >> "$TMP/spool/jobs/$R/job"
is "${R%%-*} dev1       5550030           0/1   1 waiting for a modem  busy" \
    "$(FS -s | grep "^${R%%-*}")" "queue: the retried job, its tries and last failure"
sim "route 5550030 file=$TMP/rx-3.tif" >/dev/null
wait_idle
send "$R"
wait_result "$R" 2 60 || bail "no result for the second try"
mv "$TMP/spool/results/new/$R.2" "$TMP/spool/jobs/$R/result.2"
out=$(FS "$R")
is "queued try try" "$(echo "$out" | sed 1d | cut -c22-29 | tr -s ' \n' '  ' | sed 's/ $//')" \
    "record of the retried job: both tries, in order"
echo "$out" | grep -q "try 1 on ttySIM0: recoverable busy, 0 sent, 0/1 confirmed" &&
echo "$out" | grep -q "try 2 on ttySIM0: ok, 1 sent, 1/1 confirmed, remote [^,]*, 14400 bit/s"
tap_result $? "record of the retried job: busy, then sent"

# faxgetty killed: its status stays behind, and shows down
wait_idle
kill -9 "$FG_PID"; wait "$FG_PID" 2>/dev/null; FG_PID=
grep -q "state=idle" "$TMP/spool/status/ttySIM0"
tap_result $? "the killed faxgetty's status still says idle"
is "ttySIM0 down (faxgetty gone)" "$(FS | sed -n 2p | awk '{print $1, $2, $4, $5}')" \
    "faxstat shows it down"
