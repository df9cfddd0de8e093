#!/bin/sh
# recv-t: the simulated remote machine calls a faxsim modem and efax
# receives; the pages efax writes equal the sent ones, and efax sees
# the remote's TSI.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
need efax
plan 12
faxsim_start -S 4
D=$TMP/doc
mkdir "$D" "$TMP/rx1" "$TMP/rx2" || bail mkdir
"$TOOLS/mkfaxtiff" -f "$D/fine.tif" 3 && "$TOOLS/mkfaxtiff" "$D/norm.tif" 2 ||
    bail mkfaxtiff
# -w -iS0=1: the modem answers on the first ring (efax -w waits for it)
receive() {
	bg_start efax efax -d "$L/ttySIM1" -o1 -l 5552222 -r "$1/rcv" -w -iS0=1
	wait_text "$TMP/efax.out" "waiting for activity" ||
	    bail "efax did not get ready on modem 1"
}
same() { "$TOOLS/tiffcmp-pages" "$@" >"$TMP/cmp.out" 2>&1 || { show "$TMP/cmp.out"; return 1; }; }

receive "$TMP/rx1"
is "OK call=1" "$(ctl call 1 file="$D/fine.tif" id=SENDER-1 cid=5550001 \
    did=800)" "the remote calls modem 1 with 3 fine pages"
bg_wait efax 60
tap_result $? "efax receives and exits 0"
[ "$tap_failed" -gt 0 ] && show "$TMP/efax.out"
wait_call 1 10
is ok "$(field 1 result)" "the call is recorded as ok"
is in "$(field 1 dir)" "as an incoming call"
is 3 "$(field 1 pages)" "of 3 pages"
is 5552222 "$(field 1 host_id)" "with efax's CSI"
grep -q "remote ID -> *SENDER-1" "$TMP/efax.out"
tap_result $? "efax saw the remote's TSI"
ok "efax's pages equal the sent ones, row for row" \
    same "$D/fine.tif" -- "$TMP"/rx1/rcv.*

receive "$TMP/rx2"
ctl call 1 file="$D/norm.tif" rate=9600 ecm=0 >/dev/null
bg_wait efax 60
tap_result $? "efax receives 2 normal pages at 9600 bit/s"
wait_call 2 10
is 9600 "$(field 2 rate)" "the remote sent at 9600 bit/s (V.29)"
ok "the normal pages arrive equal" same "$D/norm.tif" -- "$TMP"/rx2/rcv.*
is OK "$(ctl ping)" "faxsim is still running"
