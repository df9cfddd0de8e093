#!/bin/sh
# down-t: the modem goes away under faxgetty (faxsim stops): faxgetty
# keeps running, reports state=down with its back-off in status/DEV, and
# stops cleanly on SIGTERM (lock removed, state=stopped).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"

plan 5
fg_setup -o modem_retry_max=2
sim_stop
n=0
until grep -q "state=down" "$TMP/spool/status/ttySIM0"; do
	n=$((n + 1)); [ $n -gt 200 ] && break; sleep 0.1
done
ok "status/DEV says the modem is down" grep -q "state=down retry=" "$TMP/spool/status/ttySIM0"
sleep 3
ok "faxgetty is still running and retrying" kill -0 "$FG_PID"
ok "the log says it retries" grep -q "modem not ready, retrying" "$TMP/faxgetty.log"
kill "$FG_PID"
n=0
while kill -0 "$FG_PID" 2>/dev/null; do
	n=$((n + 1)); [ $n -gt 100 ] && break; sleep 0.1
done
FG_PID=
ok "SIGTERM ends it and status says stopped" grep -q "state=stopped" "$TMP/spool/status/ttySIM0"
ok "the lock is gone" test ! -e "$TMP/lock/LCK..ttySIM0"
