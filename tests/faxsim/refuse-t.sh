#!/bin/sh
# refuse-t: remotes that do not take the fax: one that rejects every
# page with RTN, one that answers but is not a fax machine, and a line
# with some white noise (-55 dBm0; from about -45 dBm0 the receivers
# take the noise for a carrier and no rate trains).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
need efax
plan 8
faxsim_start -S 4
D=$TMP/doc
mkdir "$D" || bail mkdir
# fine: a page must take efax over a second (it divides by the seconds)
"$TOOLS/mkfaxtiff" -f -s "$D/n.tif" 1 || bail mkfaxtiff
send() { efax -d "$L/ttySIM0" -o1 -h "" -t "$1" "$D/n-1.tif" >"$TMP/efax.out" 2>&1; }

ctl route 10 action=rtn >/dev/null
send 10
[ $? -ne 0 ]
tap_result $? "efax fails against a remote that rejects pages"
grep -q "received RTN" "$TMP/efax.out"
tap_result $? "efax received RTN"
wait_call 1 10
is failed "$(field 1 result)" "the call is recorded as failed"
is 0 "$(field 1 pages)" "with no page accepted"

ctl route 11 action=notfax >/dev/null
send 11
[ $? -ne 0 ]
tap_result $? "efax fails against a remote that is not a fax"
wait_call 2 10
is notfax "$(field 2 result)" "the call is recorded as notfax"

ctl route 12 noise=-55 >/dev/null
send 12
tap_result $? "efax sends a page over a line with noise at -55 dBm0"
wait_call 3 10
"$TOOLS/tiffcmp-pages" -t "$D/n-1.tif" -- "$(field 3 file)" >"$TMP/cmp.out" 2>&1
tap_result $? "the page arrives equal despite the noise"
