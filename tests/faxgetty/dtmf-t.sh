#!/bin/sh
# dtmf-t: for a called number listed in dtmf_dids, faxgetty answers in
# voice mode, collects the caller's DTMF digits (ended by '#'), then
# receives the fax; the digits go into meta and never into the log.  A
# number not listed is answered as a fax at once.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"

plan 7
fg_setup -o dtmf_dids=7001,7003
"$MKFAX" "$TMP/doc.tif" 1 || bail mkfaxtiff

# incoming DID DTMF: one call; sets D to the new recv/new directory
incoming() {
	before=$(ls "$TMP/spool/recv/new" | wc -l)
	sim "call 0 file=$TMP/doc.tif cid=5550199 did=$1 dtmf=$2" >/dev/null ||
	    bail "faxsim call"
	wait_recv "$before"
	wait_idle
}

incoming 7001 "4711#"
ok "DTMF number: the fax arrived" "$TIFFCMP" -t "$TMP/doc.tif" -- "$D/fax.tif"
is 4711 "$(field "$D/meta" dtmf)" "DTMF number: digits in meta"
is 0 "$(grep -c 4711 "$TMP/faxgetty.log")" "the digits are not in the log"
ok "the log says digits were collected" grep -q "dtmf digits=4" "$TMP/faxgetty.log"

incoming 7002 "9999#"
ok "other number: the fax arrived" "$TIFFCMP" -t "$TMP/doc.tif" -- "$D/fax.tif"
is "" "$(field "$D/meta" dtmf)" "other number: no DTMF collected"
is 7002 "$(field "$D/meta" did)" "other number: its DID in meta"
