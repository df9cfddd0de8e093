#!/bin/sh
# hostkill-t: a host killed in the middle of a call.  faxsim ends the
# call (the remote sees the line drop, the paired modem NO CARRIER),
# keeps running, and the next call on the same modem works.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
need efax
plan 10
faxsim_start -S 4
D=$TMP/doc
mkdir "$D" || bail mkdir
"$TOOLS/mkfaxtiff" -f -d -s "$D/dense.tif" 2 && "$TOOLS/mkfaxtiff" "$D/n.tif" 1 ||
    bail mkfaxtiff

# a sender killed while page data flows
bg_start tx efax -d "$L/ttySIM0" -o1 -h "" -t 100 "$D/dense-1.tif" "$D/dense-2.tif"
wait_text "$TMP/tx.out" "header:" 40 || bail "efax never started a page"
sleep 1
eval "kill -9 \$bg_tx"
wait_call 1 10
tap_result $? "the call ends when its host is killed"
is host-closed "$(field 1 end)" "the record says the host closed the line"
is failed "$(field 1 result)" "and that T.30 did not complete"
is OK "$(ctl ping)" "faxsim is still running"
efax -d "$L/ttySIM0" -o1 -h "" -t 100 "$D/n.tif" >"$TMP/tx2.out" 2>&1
tap_result $? "the next call on the same modem works"
wait_call 2 10
is ok "$(field 2 result)" "and is recorded as ok"

# a paired modem's host killed: the other side hears NO CARRIER
ctl route 300 modem=1 >/dev/null
bg_start rx "$TOOLS/atchat" -t 20 "$L/ttySIM1" send:AT+FCLASS=1 expect:OK \
    expect:RING send:ATA "expect:NO CARRIER"
wait_open 1 || bail "modem 1 not opened"
bg_start tx "$TOOLS/atchat" -t 20 "$L/ttySIM0" send:AT+FCLASS=1 expect:OK \
    send:ATD300 expect:CONNECT sleep:30000
wait_text "$TMP/tx.out" "< CONNECT" 20 || { show "$TMP/tx.out"; bail "no pair call"; }
eval "kill -9 \$bg_tx"
bg_wait rx 20
tap_result $? "the paired modem's host gets NO CARRIER"
wait_call 3 10
is host-closed "$(field 3 end)" "the pair call's record says the host closed"
"$TOOLS/atchat" -t 5 "$L/ttySIM0" send:AT expect:OK >/dev/null 2>&1
tap_result $? "a new host on modem 0 gets a fresh modem"
is OK "$(ctl ping)" "faxsim is still running"
