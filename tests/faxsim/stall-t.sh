#!/bin/sh
# stall-t: hosts and faxsim itself stopped (SIGSTOP) in the middle of
# non-ECM page data, as a loaded machine does to them.  A sending host
# stopped for seconds is carried by the pty's buffer: T.31 never runs
# dry (late=0) and the page arrives pixel for pixel.  faxsim stopped for
# longer than it catches up at once (its line clock slips) loses no
# byte either way, sending or receiving.  A host stopped for longer than
# its data in flight makes T.31 send fill in the middle of the page,
# which non-ECM T.30 cannot see: the record says so with late=N.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
need efax
plan 13
faxsim_start -S 4
ctl default ecm=0 >/dev/null || bail "default ecm=0"
D=$TMP/doc
mkdir "$D" "$TMP/rx" || bail mkdir
"$TOOLS/mkfaxtiff" -f -d "$D/dense.tif" 1 &&
"$TOOLS/mkfaxtiff" -f -d -s "$D/dense.tif" 1 || bail mkfaxtiff
same() { "$TOOLS/tiffcmp-pages" -t "$@" >"$TMP/cmp.out" 2>&1 || { show "$TMP/cmp.out"; return 1; }; }
# stops process $1 for $2 seconds
stall() { kill -STOP "$1" && sleep "$2"; kill -CONT "$1"; }
send() {
	bg_start tx efax -d "$L/ttySIM0" -o1 -h "" -t 100 "$D/dense-1.tif"
	wait_text "$TMP/tx.out" "header:" 40 || bail "efax never started a page"
}

# 1: the sending host stops for 4 s of line time every 8 s, all
# through the page
send
eval "tx=\$bg_tx"
while kill -0 "$tx" 2>/dev/null && ! grep -q "sent 20+" "$TMP/tx.out"; do
	stall "$tx" 1
	sleep 1
done
bg_wait tx 60
tap_result $? "a sender stopped for 4 s of line time every 8 s sends its page"
wait_call 1 10
is ok "$(field 1 result)" "T.30 completes"
is 0 "$(field 1 late)" "T.31 never ran out of the host's data"
ok "the page arrives pixel for pixel" same "$D/dense-1.tif" -- "$(field 1 file)"

# 2: faxsim stops for 1.5 s (6 s of line time) while one modem sends
# and the other receives from the remote
bg_start rx efax -d "$L/ttySIM1" -o1 -r "$TMP/rx/rcv" -w -iS0=1
wait_text "$TMP/rx.out" "waiting for activity" || bail "efax not ready on modem 1"
is "OK call=2" "$(ctl call 1 file="$D/dense.tif")" "the remote calls modem 1"
send
wait_text "$TMP/rx.out" "sent CFR" 40 || bail "the remote never started its page"
sleep 2
stall "$faxsim_pid" 1.5
bg_wait tx 60 && bg_wait rx 60 && wait_call 2 10 && wait_call 3 10
tap_result $? "both hosts finish after faxsim stalled"
is "ok ok" "$(field 2 result) $(field 3 result)" "both calls complete"
is "0 0" "$(field 2 late) $(field 3 late)" "T.31 never ran dry"
ok "the page sent across the stall is pixel-exact" \
    same "$D/dense-1.tif" -- "$(field 3 file)"
ok "the page received across the stall is pixel-exact" \
    same "$D/dense.tif" -- "$TMP"/rx/rcv.*

# 3: the sending host stops for 40 s of line time, longer than the data
# it has in flight: the record counts the ticks T.31 filled
send
sleep 1
eval "stall \$bg_tx 10"
bg_wait tx 60
wait_call 4 20
tap_result $? "the call ends"
late=$(field 4 late)
[ "${late:-0}" -gt 0 ]
tap_result $? "late=${late:-none}: the record says the host's data came late"
is OK "$(ctl ping)" "faxsim is still running"
