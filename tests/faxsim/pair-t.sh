#!/bin/sh
# pair-t: two faxsim modems wired together; efax on modem 0 sends to
# efax on modem 1, both fax programs we did not write.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
need efax
plan 7
faxsim_start -S 4
D=$TMP/doc
mkdir "$D" "$TMP/rx" || bail mkdir
"$TOOLS/mkfaxtiff" -f "$D/fine.tif" 2 && "$TOOLS/mkfaxtiff" -f -s "$D/fine.tif" 2 ||
    bail mkfaxtiff
ok "route 200 rings modem 1" ctl route 200 modem=1
bg_start rx efax -d "$L/ttySIM1" -o1 -l 5552222 -r "$TMP/rx/rcv" -w -iS0=1
wait_text "$TMP/rx.out" "waiting for activity" ||
    bail "efax did not get ready on modem 1"
# efax sends page data with long training (+FTM=145) and receives with
# short (+FRM=146), which libspandsp's V.17 cannot pair: use 9600
efax -d "$L/ttySIM0" -o1 -h "" -l 5551111 -c 1,3,0,2,0,0,0,0 -t 200 \
    "$D/fine-1.tif" "$D/fine-2.tif" >"$TMP/tx.out" 2>&1
tap_result $? "efax on modem 0 sends 2 pages to efax on modem 1"
[ "$tap_failed" -gt 0 ] && show "$TMP/tx.out"
bg_wait rx 30
tap_result $? "efax on modem 1 receives them"
grep -q "remote ID -> *5551111" "$TMP/rx.out"
tap_result $? "the receiver saw the sender's TSI"
"$TOOLS/tiffcmp-pages" -t "$D/fine.tif" -- "$TMP"/rx/rcv.* >"$TMP/cmp.out" 2>&1
tap_result $? "the received pages equal the sent ones"
wait_call 1 10
is modem1 "$(field 1 peer)" "the record names the paired modem"
is connected "$(field 1 result)" "and the call as connected"
