#!/bin/sh
# rtn-t: a remote that rejects every page with RTN (faxsim action=rtn,
# non-ECM): faxgetty gives up after three RTN answers with the permanent
# outcome too_many_rtn, confirms no page, and faxgetty is idle again.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
need tiffinfo

plan 6
fg_setup
"$MKFAX" "$TMP/two.tif" 2 || bail mkfaxtiff
sim "route 5550099 action=rtn ecm=0 file=$TMP/rx-rtn.tif" >/dev/null
id=$(mkjob 5550099 "$TMP/two.tif")
send "$id"
wait_result "$id" 1 300
r=$TMP/spool/results/new/$id.1
ok "a result file appears" test -f "$r"
is permanent "$(field "$r" outcome)" "too many RTN is permanent"
is too_many_rtn "$(field "$r" reason)" "the reason says so"
ok "three or more RTN were counted" test "$(field "$r" rtn)" -ge 3
is 0 "$(field "$r" pages_confirmed)" "no page was confirmed"
ok "faxgetty is idle again" wait_idle
[ -f "$r" ] && sed 's/^/# /' "$r"
