#!/bin/sh
# crash-t: kill -9 of faxgetty in the middle of sending.  The stale UUCP
# lock is taken over on restart, nothing half-written is published (no
# result for the killed try), the modem works again, and the next try
# delivers the document.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
need tiffinfo

plan 9
fg_setup
"$MKFAX" -f "$TMP/doc.tif" 4 || bail mkfaxtiff
sim "route 5550060 file=$TMP/rx.tif" >/dev/null
id=$(mkjob 5550060 "$TMP/doc.tif")
send "$id"
n=0
until grep -q "state=sending .*page=2" "$TMP/spool/status/ttySIM0"; do
	n=$((n + 1)); [ $n -gt 600 ] && bail "never reached page 2"; sleep 0.1
done
old=$FG_PID
kill -9 "$FG_PID"; wait "$FG_PID" 2>/dev/null; FG_PID=
ok "the lock of the killed faxgetty is left behind" test -f "$TMP/lock/LCK..ttySIM0"
is "$old" "$(tr -d ' \n' < "$TMP/lock/LCK..ttySIM0")" "it holds the dead pid"
ok "no result was published for the killed try" test ! -e "$TMP/spool/results/new/$id.1"
is 0 "$(ls "$TMP/spool/results/tmp" | wc -l)" "no half-written result either"

fg_start
is "$FG_PID" "$(tr -d ' \n' < "$TMP/lock/LCK..ttySIM0")" "restart took the stale lock over"
ok "the new faxgetty is idle on the same modem" grep -q "pid=$FG_PID .*state=idle" "$TMP/spool/status/ttySIM0"

setjob "$id" try 2
sim "route 5550060 file=$TMP/rx2.tif" >/dev/null
send "$id"
wait_result "$id" 2 150
r=$TMP/spool/results/new/$id.2
is ok "$(field "$r" outcome)" "the next try succeeds"
is 4 "$(field "$r" pages_confirmed)" "all 4 pages confirmed"
ok "the remote got the whole document" "$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/rx2.tif"
