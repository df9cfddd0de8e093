#!/bin/sh
# flow-t: long dense fine pages (about 112 kB each, about a minute of
# line time at 14400 bit/s) through a faxsim modem at speeds 4 and 8
# (flow-realtime-t does real time):
# the pty's back-pressure keeps libspandsp's T.31 buffer from running
# over or under, so every page arrives pixel for pixel.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
need efax
plan 4
D=$TMP/doc
mkdir "$D" || bail mkdir
"$TOOLS/mkfaxtiff" -f -d -s "$D/dense.tif" 3 || bail mkfaxtiff
runno=0
run() {
	speed=$1; shift
	runno=$((runno + 1))
	faxsim_start -S "$speed"
	efax -d "$L/ttySIM0" -o1 -h "" -t 100 "$@" >"$TMP/efax.out" 2>&1
	tap_result $? "speed $speed: efax sends $# dense page(s)"
	wait_call 1 10
	faxsim_stop "$faxsim_pid"
	"$TOOLS/tiffcmp-pages" -t "$@" -- "$(field 1 file)" >"$TMP/cmp.out" 2>&1
	tap_result $? "speed $speed: pages arrive pixel for pixel"
	[ "$tap_failed" -gt 0 ] && { show "$TMP/efax.out"; show "$TMP/cmp.out"; }
	mv "$L" "$TMP/line.$runno"
	mv "$TMP/faxsim.log" "$TMP/faxsim.log.$runno"
}
run 4 "$D/dense-1.tif" "$D/dense-2.tif"
run 8 "$D/dense-1.tif" "$D/dense-2.tif" "$D/dense-3.tif"
