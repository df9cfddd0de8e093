#!/bin/sh
# send-t: faxgetty sends 1, 3 and 10 pages through a faxsim modem to
# faxsim's remote fax machine (libspandsp T.30 at the far end), with ECM
# and without; the remote's pages equal the job's pixel for pixel, the
# result file, xferlog and status/DEV say what happened.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
need tiffinfo

plan 32
fg_setup
"$MKFAX" "$TMP/one.tif" 1 || bail mkfaxtiff
"$MKFAX" -f "$TMP/three.tif" 3 || bail mkfaxtiff
"$MKFAX" "$TMP/ten.tif" 10 || bail mkfaxtiff

# try_send NAME DOC NUMBER: sends, checks outcome and pages
try_send() {
	id=$(mkjob "$3" "$2")
	send "$id"
	wait_result "$id" 1 150
	ok "$1: result file appears in results/new" test -f "$TMP/spool/results/new/$id.1"
	r=$TMP/spool/results/new/$id.1
	is ok "$(field "$r" outcome)" "$1: outcome is ok"
	is "$(tiffinfo "$2" 2>/dev/null | grep -c 'Image Width')" \
	    "$(field "$r" pages_confirmed)" "$1: every page confirmed"
	ok "$1: the remote's pages equal ours" "$TIFFCMP" -t "$2" -- "$TMP/rx-$3.tif"
	LAST=$r
}

sim "route 5550001 file=$TMP/rx-5550001.tif" >/dev/null
sim "route 5550002 file=$TMP/rx-5550002.tif" >/dev/null
sim "route 5550003 file=$TMP/rx-5550003.tif ecm=0" >/dev/null
sim "route 5550010 file=$TMP/rx-5550010.tif" >/dev/null
sim "route 5550011 file=$TMP/rx-5550011.tif ecm=0" >/dev/null
sim "route 5550012 file=$TMP/rx-5550012.tif ecm=0" >/dev/null

try_send "1 page ECM" "$TMP/one.tif" 5550001
is 1 "$(field "$LAST" ecm)" "1 page ECM: ECM was used"
try_send "3 fine pages ECM" "$TMP/three.tif" 5550002
try_send "3 fine pages non-ECM" "$TMP/three.tif" 5550003
is 0 "$(field "$LAST" ecm)" "non-ECM remote: ECM was not used"
is 14400 "$(field "$LAST" bit_rate)" "V.17 14400 was used"
try_send "10 pages ECM" "$TMP/ten.tif" 5550010
try_send "1 page non-ECM" "$TMP/one.tif" 5550011
try_send "10 pages non-ECM" "$TMP/ten.tif" 5550012
is 0 "$(field "$LAST" ecm)" "10 pages non-ECM: ECM was not used"

is 6 "$(wc -l < "$TMP/spool/log/xferlog")" "one xferlog line per call"
is 6 "$(grep -c '	SEND	.*	"ok"$' "$TMP/spool/log/xferlog")" "xferlog lines say SEND and ok"
ok "status/DEV is idle again" wait_idle
ok "the remote saw our station id" grep -q "host_id=RAMPART-TEST" "$TMP/sim.results"
