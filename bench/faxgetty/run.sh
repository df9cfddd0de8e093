#!/bin/sh
# bench/faxgetty/run.sh: time to deliver the same 10-page document to the
# same faxsim remote fax machine with rampart's faxgetty and with HylaFAX
# (Debian's hylafax-server: faxq hands the job to faxsend on its modem),
# in the same run on the same machine.  Reports, for each, the call
# duration as the remote measured it (faxsim's record: dial to hang-up),
# the time from hand-off to a finished job, and faxgetty's CPU per call.
#   usage: bench/faxgetty/run.sh [BUILD_DIR]   (as root; default ./build)
#   FB_SPEED=K runs the line K times faster than real time (default 1)
#   FB_ECM=0|1 the remote's ECM (default 1); FB_PAGES (default 10)
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
top_builddir=$(cd "${1:-$top_srcdir/build}" && pwd)
export top_srcdir top_builddir
FG_SPEED=${FB_SPEED:-1}
ECM=${FB_ECM:-1}
PAGES=${FB_PAGES:-10}
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
. "$top_srcdir/tests/interop/hylafax.sh"
need sendfax socat tiffinfo
fg_setup
"$MKFAX" "$TMP/doc.tif" "$PAGES" || bail mkfaxtiff
hylafax_start "$TMP" "$TMP/sim/ttySIM1"

now() { date +%s.%N; }
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }	# utime+stime, ticks
rec() { grep "peer=remote" "$TMP/sim.results" | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }

sim "route 5559001 file=$TMP/rx-rampart.tif ecm=$ECM" >/dev/null
sim "route 5559002 file=$TMP/rx-hylafax.tif ecm=$ECM" >/dev/null

# rampart: from the FIFO hand-off to the result file
id=$(mkjob 5559001 "$TMP/doc.tif")
c0=$(cpu "$FG_PID"); t0=$(now)
send "$id"
wait_result "$id" 1 1800 || bail "rampart: no result"
t1=$(now); c1=$(cpu "$FG_PID")
r_call=$(rec duration); r_rate=$(rec rate); r_res=$(rec result)
wait_idle

# HylaFAX: from sendfax to the job in doneq
t2=$(now)
HF_RES=-l hylafax_sendfax 5559002 "$TMP/doc.tif" || bail "sendfax"
hylafax_wait_done 1800 || bail "HylaFAX: job not done"
t3=$(now)
h_call=$(rec duration); h_rate=$(rec rate); h_res=$(rec result)

"$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/rx-rampart.tif" >/dev/null || bail "rampart's pages differ"
"$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/rx-hylafax.tif" >/dev/null || bail "HylaFAX's pages differ"
hz=$(getconf CLK_TCK)
awk -v rc="$r_call" -v hc="$h_call" -v re="$(echo "$t1 - $t0" | bc)" \
    -v he="$(echo "$t3 - $t2" | bc)" -v cpu="$(( c1 - c0 ))" -v hz="$hz" \
    -v p="$PAGES" -v s="$FG_SPEED" -v e="$ECM" -v rr="$r_rate" -v hr="$h_rate" \
    -v rs="$r_res" -v hs="$h_res" 'BEGIN {
	printf "faxgetty benchmark: %d pages, ECM %d, line speed %dx\n", p, e, s
	printf "  rampart faxgetty: call %.1f s (%s, %s bit/s), hand-off to result %.1f s, CPU %.2f s\n", rc, rs, rr, re, cpu / hz
	printf "  HylaFAX faxsend:  call %.1f s (%s, %s bit/s), sendfax to done %.1f s\n", hc, hs, hr, he
	printf "  ratio call time rampart/HylaFAX: %.3f (goal <= 1.05)\n", rc / hc
	printf "  ratio hand-off to done rampart/HylaFAX: %.3f\n", re / he
}'
