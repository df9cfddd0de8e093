#!/bin/sh
# remote-t: faxgetty sends to remotes that can do less: V.29 only (9600),
# V.27ter only (4800), MH (T.4 1-D) only without ECM.  T.30 settles on
# what both ends have, and the pages still arrive pixel for pixel.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
need tiffinfo

plan 13
fg_setup
"$MKFAX" "$TMP/doc.tif" 2 || bail mkfaxtiff

# to NAME NUMBER RATE: sends doc.tif, checks the outcome and bit rate
to() {
	id=$(mkjob "$2" "$TMP/doc.tif")
	send "$id"
	wait_result "$id" 1 150
	r=$TMP/spool/results/new/$id.1
	is ok "$(field "$r" outcome)" "$1: outcome ok"
	is "$3" "$(field "$r" bit_rate)" "$1: bit rate $3"
	ok "$1: pages equal" "$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/rx-$2.tif"
	wait_idle
}

sim "route 5550050 rate=9600 ecm=0 file=$TMP/rx-5550050.tif" >/dev/null
sim "route 5550051 rate=4800 ecm=0 file=$TMP/rx-5550051.tif" >/dev/null
sim "route 5550052 comp=mh ecm=0 file=$TMP/rx-5550052.tif" >/dev/null
sim "route 5550053 rate=9600 ecm=1 file=$TMP/rx-5550053.tif" >/dev/null
to "V.29-only remote" 5550050 9600
to "V.27ter-only remote" 5550051 4800
to "MH-only remote" 5550052 14400
to "V.29-only remote with ECM" 5550053 9600
ok "MH-only remote: T.4 1-D (MH) was used" grep -q "number=5550052 .*comp=mh " "$TMP/sim.results"
