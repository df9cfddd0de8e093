#!/bin/sh
# flow-realtime-t: one dense fine page (about a minute of line time) at
# real speed.  Here the modem drains at the nominal 14400 bit/s, so efax
# must not see its data taken faster than that ("flow control did not
# work", which it prints at every speed above 1), and the page must
# arrive pixel for pixel.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
need efax
plan 3
D=$TMP/doc
mkdir "$D" || bail mkdir
"$TOOLS/mkfaxtiff" -f -d -s "$D/dense.tif" 1 || bail mkfaxtiff
faxsim_start
efax -d "$L/ttySIM0" -o1 -h "" -t 100 "$D/dense-1.tif" >"$TMP/efax.out" 2>&1
tap_result $? "efax sends a dense page in real time"
! grep -q "flow control did not work" "$TMP/efax.out"
tap_result $? "efax saw the data drain at the nominal rate"
wait_call 1 10
"$TOOLS/tiffcmp-pages" -t "$D/dense-1.tif" -- "$(field 1 file)" >"$TMP/cmp.out" 2>&1
tap_result $? "the page arrives pixel for pixel"
[ "$tap_failed" -gt 0 ] && { show "$TMP/efax.out"; show "$TMP/cmp.out"; }
