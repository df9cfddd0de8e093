#!/bin/sh
# ctl-t: faxctl's requests go through the spool to queued: hold keeps a
# job from the modems, release gives it back, cancel ends a waiting job
# at once with a notice that says so, requeue makes a job waiting for
# its retry due now; a request written while queued is stopped is
# carried out when it starts; a bad id is refused.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/queued/q-lib.sh"
FAXCTL=$B/faxctl/faxctl
[ -x "$FAXCTL" ] || bail "faxctl not built"

plan 11
q_setup
ctl() { "$FAXCTL" -f "$TMP/rampart.conf" "$@"; }
for k in 1 2 3; do mail --to "FAX=+1555000$k@fax.test" --body "fax $k" >/dev/null; done
wait_for jobs 3 30 || bail "no jobs"
set -- $(ls "$TMP/spool/jobs")
A=$1 B=$2 C=$3

is "$A: held" "$(ctl hold "$A")" "hold: the job is held"
is held "$(field "$TMP/spool/jobs/$A/job" state)" "hold: written in the job file"
is "$A: ready" "$(ctl release "$A")" "release: ready again"
is "$B: finished: cancelled" "$(ctl cancel "$B")" "cancel: finished at once"
n=$TMP/spool/notify/new/$(field "$TMP/spool/done/$B/job" notice | cut -d' ' -f1)
ok "cancel: the notice says the administrator cancelled it" \
    sh -c "sed '1,/^\$/d' '$n' | grep -q 'cancelled by the gateway.s administrator'"
sed -i 's/^not_before = .*/not_before = 4000000000/' "$TMP/spool/jobs/$C/job"
is "$C: ready" "$(ctl requeue "$C")" "requeue: answered"
is 0 "$(field "$TMP/spool/jobs/$C/job" not_before)" "requeue: due now"

q_stop
out=$(ctl hold "$C" 2>&1)
ok "with queued stopped the request waits in the spool" test "$(count ctl/new)" -eq 1
q_start
n=0; while [ "$(count ctl/new)" -gt 0 ] && [ $n -lt 100 ]; do n=$((n + 1)); sleep 0.1; done
is held "$(field "$TMP/spool/jobs/$C/job" state)" "and is carried out when queued starts"
out=$(ctl cancel ../../etc/passwd 2>&1); st=$?
is 1 "$st" "a bad id: exit 1"
ok "a bad id: said" sh -c "echo '$out' | grep -q 'not a job id'"
