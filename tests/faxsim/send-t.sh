#!/bin/sh
# send-t: efax (fax software we did not write) sends through a faxsim
# modem to the simulated remote machine; the received pages equal the
# sent ones pixel for pixel, at V.17, V.29 and V.27ter, fine and normal
# resolution, and the result records say what happened.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
need efax
plan 20
faxsim_start -S 4
D=$TMP/doc
mkdir "$D" || bail mkdir
# efax reads one page per file: the -s files are the pages of the whole
"$TOOLS/mkfaxtiff" -f "$D/fine.tif" 3 && "$TOOLS/mkfaxtiff" -f -s "$D/fine.tif" 3 &&
"$TOOLS/mkfaxtiff" "$D/norm.tif" 2 && "$TOOLS/mkfaxtiff" -s "$D/norm.tif" 2 ||
    bail mkfaxtiff
FINE="$D/fine-1.tif $D/fine-2.tif $D/fine-3.tif"
NORM="$D/norm-1.tif $D/norm-2.tif"
# -h "": no header band; efax's 20 header rows stay blank (trimmed, -t)
send() {
	num=$1; shift
	efax -d "$L/ttySIM0" -o1 -h "" -l 5551111 -t "$num" "$@" \
	    >"$TMP/efax.out" 2>&1
}
same() { "$TOOLS/tiffcmp-pages" -t "$@" >"$TMP/cmp.out" 2>&1 || { show "$TMP/cmp.out"; return 1; }; }

ctl route 100 id=REMOTE-A ecm=1 >/dev/null
send 100 $FINE
tap_result $? "efax sends 3 fine pages at up to 14400 bit/s"
[ "$tap_failed" -gt 0 ] && show "$TMP/efax.out"
wait_call 1 10
is ok "$(field 1 result)" "the call is recorded as ok"
is 3 "$(field 1 pages)" "the remote received 3 pages"
is 14400 "$(field 1 rate)" "V.17 at 14400 bit/s"
is 0 "$(field 1 ecm)" "no ECM: efax has none, though the remote offers it"
is 5551111 "$(field 1 host_id)" "the TSI efax sent is recorded"
grep -q "remote ID -> *REMOTE-A" "$TMP/efax.out"
tap_result $? "efax saw the remote's CSI"
ok "the received pages equal the sent ones (blank rows trimmed)" \
    same "$D/fine.tif" -- "$(field 1 file)"

ctl route 101 rate=9600 ecm=0 res=normal,fine >/dev/null
send 101 $NORM
tap_result $? "efax sends 2 normal pages to a V.29-only remote"
wait_call 2 10
is ok "$(field 2 result)" "the V.29 call is ok"
is 9600 "$(field 2 rate)" "V.29 at 9600 bit/s"
is 3850 "$(field 2 yres)" "normal resolution (3850 rows per metre)"
ok "the normal pages arrive equal" same "$D/norm.tif" -- "$(field 2 file)"

ctl route 102 rate=4800 >/dev/null
send 102 "$D/norm-1.tif"
tap_result $? "efax sends a page to a V.27ter-only remote"
wait_call 3 10
is 4800 "$(field 3 rate)" "V.27ter at 4800 bit/s"
ok "the V.27ter page arrives equal" same "$D/norm-1.tif" -- "$(field 3 file)"

ctl route 103 hangup_after=1 >/dev/null
send 103 $NORM
[ $? -ne 0 ]
tap_result $? "efax fails when the remote drops the line after page 1"
wait_call 4 10
is dropped "$(field 4 result)" "the dropped call is recorded as dropped"
is 1 "$(field 4 pages)" "after one page"
is OK "$(ctl ping)" "faxsim is still running"
