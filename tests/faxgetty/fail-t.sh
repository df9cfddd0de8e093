#!/bin/sh
# fail-t: what a try that does not deliver everything reports: busy, no
# answer, a line that answers with no fax, a bad number; and a remote
# that hangs up after page 2: the result says 2 confirmed, and the next
# try (first_page = 3) sends only pages 3..N, which the remote's file
# shows pixel for pixel.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
need tiffinfo tiffcp

plan 19
fg_setup
"$MKFAX" "$TMP/doc.tif" 5 || bail mkfaxtiff
# mkfaxtiff -s cuts the name at its first dot: name the file from $TMP
(cd "$TMP" && "$MKFAX" -s pg.tif 5) || bail mkfaxtiff
tiffcp "$TMP/pg-3.tif" "$TMP/pg-4.tif" "$TMP/pg-5.tif" "$TMP/tail.tif" ||
    bail tiffcp

# outcome_is NAME NUMBER OUTCOME REASON
outcome_is() {
	id=$(mkjob "$2" "$TMP/doc.tif")
	send "$id"
	wait_result "$id" 1 120
	r=$TMP/spool/results/new/$id.1
	ok "$1: result written" test -f "$r"
	is "$3" "$(field "$r" outcome)" "$1: outcome is $3"
	is "$4" "$(field "$r" reason)" "$1: reason is $4"
	wait_idle
}

sim "route 5550030 action=busy" >/dev/null
sim "route 5550031 action=noanswer" >/dev/null
sim "route 5550032 action=notfax" >/dev/null
outcome_is "busy line" 5550030 recoverable busy
outcome_is "no answer" 5550031 recoverable no_answer
outcome_is "not a fax (answers, no fax signals)" 5550032 recoverable no_carrier
outcome_is "bad number" "555-0033x" permanent number_invalid

# faxsim drops the line as page N's post-page message arrives, before
# its MCF: page 3 is then the one in flight and pages 1-2 are confirmed
sim "route 5550040 action=hangup hangup_after=3 file=$TMP/rx1.tif" >/dev/null
id=$(mkjob 5550040 "$TMP/doc.tif")
send "$id"
wait_result "$id" 1 120
r=$TMP/spool/results/new/$id.1
is recoverable "$(field "$r" outcome)" "hang-up after page 2: recoverable"
is 2 "$(field "$r" pages_confirmed)" "hang-up after page 2: 2 pages confirmed"
is 3 "$(field "$r" next_page)" "hang-up after page 2: next page is 3"
wait_idle

# queued's part, by hand: next try from page 3, the remote now answers
setjob "$id" first_page 3
setjob "$id" try 2
sim "route 5550040 file=$TMP/rx2.tif" >/dev/null
send "$id"
wait_result "$id" 2 120
r=$TMP/spool/results/new/$id.2
is ok "$(field "$r" outcome)" "second try: ok"
is 3 "$(field "$r" pages_sent)" "second try: sent 3 pages"
is 5 "$(field "$r" pages_confirmed)" "second try: all 5 confirmed"
ok "second try: the remote got exactly pages 3..5" "$TIFFCMP" -t "$TMP/tail.tif" -- "$TMP/rx2.tif"
