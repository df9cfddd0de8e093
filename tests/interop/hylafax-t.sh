#!/bin/sh
# hylafax-t: interop with a T.30 stack we did not write.  On a faxsim
# modem pair, rampart's faxgetty (modem 0) and HylaFAX 6 (Debian's
# hylafax-server, its own faxgetty on modem 1) fax each other both ways;
# the received pages equal the sent ones pixel for pixel.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
. "$top_srcdir/tests/interop/hylafax.sh"
need tiffinfo sendfax socat
[ "$(id -u)" -eq 0 ] || bail "HylaFAX needs root to start (it drops to uucp)"

plan 9
fg_setup
"$MKFAX" -f "$TMP/doc.tif" 3 || bail mkfaxtiff
hylafax_start "$TMP" "$TMP/sim/ttySIM1"

# rampart -> HylaFAX
sim "route 5552000 modem=1" >/dev/null
id=$(mkjob 5552000 "$TMP/doc.tif")
send "$id"
wait_result "$id" 1 240
r=$TMP/spool/results/new/$id.1
is ok "$(field "$r" outcome)" "rampart -> HylaFAX: outcome ok"
is 3 "$(field "$r" pages_confirmed)" "rampart -> HylaFAX: 3 pages confirmed"
is "HYLAFAX INTEROP" "$(field "$r" remote_id)" "rampart -> HylaFAX: HylaFAX's CSI reported"
rx=$(ls "$HF_SPOOL"/recvq/fax*.tif 2>/dev/null | head -1)
ok "rampart -> HylaFAX: HylaFAX received a fax" test -n "$rx"
ok "rampart -> HylaFAX: HylaFAX's pages equal ours" "$TIFFCMP" -t "$TMP/doc.tif" -- "$rx"
[ -n "$rx" ] || { cat "$r" | sed 's/^/# /'; hylafax_log | grep -v -- '-->\|<--' | tail -30 | sed 's/^/# /'; }
wait_idle

# HylaFAX -> rampart
sim "route 5557000 modem=0" >/dev/null
hylafax_sendfax 5557000 "$TMP/doc.tif" || bail "sendfax did not queue a job"
ok "HylaFAX -> rampart: HylaFAX reports the job done" hylafax_wait_done 300
D=$(ls -d "$TMP"/spool/recv/new/* 2>/dev/null | head -1)
ok "HylaFAX -> rampart: faxgetty received a fax" test -f "$D/fax.tif"
ok "HylaFAX -> rampart: pages equal HylaFAX's source" "$TIFFCMP" -t "$TMP/doc.tif" -- "$D/fax.tif"
is "HYLAFAX INTEROP" "$(field "$D/meta" tsi)" "HylaFAX -> rampart: HylaFAX's TSI in meta"
[ -f "$D/fax.tif" ] || { hylafax_log | grep -v -- '-->\|<--' | tail -30 | sed 's/^/# /'; tail -30 "$TMP/faxgetty.log" | sed 's/^/# /'; }
