#!/bin/sh
# efax-t: interoperability with a T.30 stack we did not write.  Two
# faxsim modems are wired together: faxgetty on one, efax on the other.
# faxgetty sends to efax, then efax sends to faxgetty; pages are
# compared pixel for pixel both ways.
FG_SPEED=2
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
need efax tiffinfo

plan 9
fg_setup
(cd "$TMP" && "$MKFAX" -s pg.tif 2 && "$MKFAX" doc.tif 2) || bail mkfaxtiff
sim "route 5559001 modem=1" >/dev/null
sim "route 5559000 modem=0" >/dev/null

# faxgetty -> efax (efax auto-answers on the first ring)
timeout 150 efax -d "$TMP/sim/ttySIM1" -v ewi -iS0=1 -w -r "$TMP/efrx" \
    > "$TMP/efax-rx.log" 2>&1 &
EFAX=$!
at_exit "kill $EFAX 2>/dev/null"
n=0
until grep -q "waiting for activity" "$TMP/efax-rx.log"; do
	n=$((n + 1)); [ $n -gt 100 ] && bail "efax did not start"; sleep 0.1
done
id=$(mkjob 5559001 "$TMP/doc.tif")
send "$id"
wait_result "$id" 1 150
r=$TMP/spool/results/new/$id.1
is ok "$(field "$r" outcome)" "faxgetty -> efax: outcome ok"
is 2 "$(field "$r" pages_confirmed)" "faxgetty -> efax: efax confirmed 2 pages"
wait $EFAX
is 0 $? "efax received and exited cleanly"
ok "faxgetty -> efax: pages equal pixel for pixel" \
    "$TIFFCMP" -t "$TMP/pg-1.tif" "$TMP/pg-2.tif" -- "$TMP/efrx.001" "$TMP/efrx.002"
wait_idle

# efax -> faxgetty (no efax page header, so the pages can be compared)
timeout 150 efax -d "$TMP/sim/ttySIM1" -v ewi -h "" -l "+1 555 9999" \
    -t 5559000 "$TMP/pg-1.tif" "$TMP/pg-2.tif" > "$TMP/efax-tx.log" 2>&1
is 0 $? "efax sent and exited cleanly"
n=0
until [ -n "$(ls "$TMP/spool/recv/new")" ]; do
	n=$((n + 1)); [ $n -gt 100 ] && break; sleep 0.1
done
D=$(ls -d "$TMP"/spool/recv/new/* | head -1)
ok "efax -> faxgetty: a fax arrived" test -f "$D/fax.tif"
is 2 "$(field "$D/meta" pages)" "efax -> faxgetty: 2 pages"
is "+1 555 9999" "$(field "$D/meta" tsi)" "efax -> faxgetty: efax's TSI in meta"
ok "efax -> faxgetty: pages equal pixel for pixel" \
    "$TIFFCMP" -t "$TMP/pg-1.tif" "$TMP/pg-2.tif" -- "$D/fax.tif"
