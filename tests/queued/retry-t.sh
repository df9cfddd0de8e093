#!/bin/sh
# retry-t: queued's retries over the simulated line.  A busy number is
# tried again after busy_retry_interval and then delivered; a line that
# drops after page 2 is tried again from page 3, so that the remote ends
# with every page exactly once; a number that never answers fails after
# max_tries with a failure notice (Action failed, Status 5.4.1); a remote
# that rejects every page (RTN, without ECM) ends the job at once.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/queued/q-lib.sh"
need tiffcp

plan 22
q_setup modem "max_tries = 2"
"$MKFAX" "$TMP/doc.tif" 4 || bail mkfaxtiff
(cd "$TMP" && "$MKFAX" -s pg.tif 4) || bail mkfaxtiff

# job_of NUMBER: the job (in jobs/ or done/) that dials NUMBER
job_of() { grep -l "^e164 = $1\$" "$TMP"/spool/jobs/*/job "$TMP"/spool/done/*/job 2>/dev/null | head -1 | xargs -r dirname; }
wait_job() {	# wait_job NUMBER FILE [secs]
	n=0; lim=$(( ${3:-120} * 10 ))
	until d=$(job_of "$1") && [ -n "$d" ] && [ -e "$d/$2" ]; do
		n=$((n + 1)); [ $n -gt $lim ] && return 1; sleep 0.1
	done
}
wait_finished() {	# wait_finished NUMBER [secs]
	n=0; lim=$(( ${2:-180} * 10 ))
	until d=$(job_of "$1") && [ -n "$d" ] && [ -e "$TMP/spool/done/$(basename "$d")" ]; do
		n=$((n + 1)); [ $n -gt $lim ] && return 1; sleep 0.1
	done
}
send_doc() { mail --to "FAX=$1@fax.test" --attach-type image/tiff --attach "@$TMP/doc.tif"; }

# busy, then answers
sim "route 15550201 action=busy" >/dev/null
ok "busy: accepted" test -n "$(send_doc +15550201)"
wait_job +15550201 result.1 60 || diag "$(tail "$TMP/queued.log")"
sim "route 15550201 file=$TMP/rx-busy.tif" >/dev/null
wait_finished +15550201 || diag "$(tail "$TMP/queued.log")"
d=$TMP/spool/done/$(basename "$(job_of +15550201)")
is busy "$(field "$d/result.1" reason)" "busy: try 1 found the line busy"
is ok "$(field "$d/job" outcome)" "busy: then delivered"
is 1 "$(field "$d/job" busy_tries)" "busy: one busy try counted"
ok "busy: the remote has the document" "$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/rx-busy.tif"

# the line drops with page 3 in flight; the next try starts at page 3
sim "route 15550202 action=hangup hangup_after=3 file=$TMP/rx1.tif" >/dev/null
ok "drop: accepted" test -n "$(send_doc +15550202)"
wait_job +15550202 result.1 90 || diag "$(tail "$TMP/queued.log")"
sim "route 15550202 file=$TMP/rx2.tif" >/dev/null
wait_finished +15550202 || diag "$(tail "$TMP/queued.log")"
d=$TMP/spool/done/$(basename "$(job_of +15550202)")
is 2 "$(field "$d/result.1" pages_confirmed)" "drop: try 1 confirmed pages 1-2"
is 3 "$(field "$d/result.2" first_page)" "drop: try 2 began at page 3"
is ok "$(field "$d/job" outcome)" "drop: then delivered"
tiffcp "$TMP/pg-3.tif" "$TMP/pg-4.tif" "$TMP/tail.tif" || bail tiffcp
ok "drop: try 2 sent pages 3-4 only, pixel for pixel" "$TIFFCMP" -t "$TMP/tail.tif" -- "$TMP/rx2.tif"
is 3 "$(tiffinfo "$TMP/rx1.tif" 2>/dev/null | grep -c 'Image Width')" \
    "drop: try 1's remote has pages 1-3; 3, in flight and unconfirmed, is the only page sent twice"

# never answers: max_tries = 2, then a failure notice
sim "route 15550203 action=noanswer" >/dev/null
ok "no answer: accepted" test -n "$(send_doc +15550203)"
wait_finished +15550203 240 || diag "$(tail "$TMP/queued.log")"
d=$TMP/spool/done/$(basename "$(job_of +15550203)")
is failed "$(field "$d/job" outcome)" "no answer: failed after max_tries"
is no_answer "$(field "$d/job" reason)" "no answer: the reason"
ok "no answer: both tries' results kept" test -f "$d/result.2"
n=$TMP/spool/notify/new/$(field "$d/job" notice | cut -d' ' -f1)
is "failed 5.4.1" "$(pyq 'ds(m)[1]["Action"] + " " + ds(m)[1]["Status"]' "$n")" \
    "no answer: the notice says Action failed, Status 5.4.1"
ok "no answer: the readable part says why in words" \
    sh -c "sed '1,/^\$/d' '$n' | grep -q 'NOT SENT: nobody answered the call'"

# rejects every page: permanent at once
sim "route 15550204 action=rtn ecm=0" >/dev/null
ok "RTN: accepted" test -n "$(send_doc +15550204)"
wait_finished +15550204 240 || diag "$(tail "$TMP/queued.log")"
d=$TMP/spool/done/$(basename "$(job_of +15550204)")
is "failed too_many_rtn" "$(field "$d/job" outcome) $(field "$d/job" reason)" \
    "RTN: failed, too_many_rtn"

# a non-urgent message outside nonurgent_hours waits; inside, it goes
h=$(date +%H | sed 's/^0//')
q_stop
echo "nonurgent_hours = $(( (h + 2) % 24 ))-$(( (h + 3) % 24 ))" >> "$TMP/rampart.conf"
q_start
sim "route 15550205 file=$TMP/rx-low.tif" >/dev/null
ok "non-urgent: accepted" test -n "$(mail --to FAX=+15550205@fax.test --header 'X-Priority: 5' --body 'later')"
sleep 8
d=$(job_of +15550205)
is ready "$(field "$d/job" state)" "non-urgent: outside its hours it waits"
q_stop
sed -i "s/^nonurgent_hours = .*/nonurgent_hours = $h-$(( (h + 1) % 24 ))/" "$TMP/rampart.conf"
q_start
wait_finished +15550205 120
is ok "$(field "$TMP/spool/done/$(basename "$d")/job" outcome)" "non-urgent: in its hours it is sent"
