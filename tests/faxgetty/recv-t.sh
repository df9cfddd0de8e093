#!/bin/sh
# recv-t: faxsim's remote calls faxgetty's modem with caller id, name,
# called number and a sub-address; faxgetty answers after the rings,
# puts fax.tif and meta into recv/new/ID, wakes queued with "recv ID",
# and the pages equal the caller's pixel for pixel.  ECM and non-ECM.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
need tiffinfo

plan 17
fg_setup -o rings_before_answer=2
"$MKFAX" -f "$TMP/doc.tif" 3 || bail mkfaxtiff

# recv_one ECM: one incoming call; sets D to its recv/new directory
recv_one() {
	before=$(ls "$TMP/spool/recv/new" | wc -l)
	cat "$TMP/spool/FIFO" > "$TMP/fifo.out" &
	CAT=$!
	sim "call 0 file=$TMP/doc.tif cid=5551234 name=ACME did=7001 sub=42 id=CALLER9 ecm=$1" >/dev/null ||
	    bail "faxsim call"
	wait_recv "$before"
	wait_idle
	sleep 0.2
	kill $CAT 2>/dev/null; wait $CAT 2>/dev/null
}

recv_one 1
ok "ECM: a fax arrived in recv/new" test -f "$D/fax.tif"
ok "ECM: pages equal the caller's" "$TIFFCMP" -t "$TMP/doc.tif" -- "$D/fax.tif"
is 5551234 "$(field "$D/meta" caller_id)" "meta: caller id from NMBR"
is ACME "$(field "$D/meta" caller_name)" "meta: caller name from NAME"
is 7001 "$(field "$D/meta" did)" "meta: called number from NDID"
is 42 "$(field "$D/meta" subaddress)" "meta: T.30 sub-address"
is CALLER9 "$(field "$D/meta" tsi)" "meta: the caller's TSI"
is 3 "$(field "$D/meta" pages)" "meta: 3 pages"
is 1 "$(field "$D/meta" ecm)" "meta: ECM used"
is "$(basename "$D")" "$(field "$D/meta" id)" "meta: id is the directory name"
is "recv $(basename "$D")" "$(cat "$TMP/fifo.out")" "queued was woken with recv ID"

recv_one 0
ok "non-ECM: a fax arrived" test -f "$D/fax.tif"
ok "non-ECM: pages equal the caller's" "$TIFFCMP" -t "$TMP/doc.tif" -- "$D/fax.tif"
is 0 "$(field "$D/meta" ecm)" "non-ECM: meta says so"
is 2 "$(grep -c '	RECV	.*	5551234	3	3	.*"ok"$' "$TMP/spool/log/xferlog")" \
    "xferlog: one RECV line per call with caller id and pages"
is 0 "$(ls "$TMP/spool/recv/tmp" | wc -l)" "nothing left in recv/tmp"
ok "faxgetty answered after the second ring" grep -q "ring=2" "$TMP/faxgetty.log"
