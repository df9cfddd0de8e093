#!/bin/sh
# retry-t: a 4xx is retried and delivered later; a server down for a while
# gets the mail once it is back; a 5xx ends the entry as bounced and the
# admin is alerted, but an alert that bounces is only logged, as is a DSN
# (null sender) that bounces; retries used up end as expired, and the
# admin's alert about it is a mail GMime parses.  Postfix's smtp-sink is
# the server: -r RCPT answers 4xx, -f RCPT 5xx.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/notifyd/nd-lib.sh"
plan 22

SINK=$PORT_BASE
nd_setup "relayhost = 127.0.0.1:$SINK" "smtp_tls_policy = none" \
    "notifyd_retry_min = 1s" "notifyd_retry_max = 1s" "notifyd_max_age = 60s"
nd_start

# 4xx, then the server accepts
sink_start s $SINK -r RCPT
id=$(new_id)
make_entry "$id" fax fax@rampart.test one@example.test
ok "a 4xx defers the recipient" wait_state "$id" "^reply = 450" 5
is "pending" "$(state "$id" result)" "the state file keeps it pending"
sink_stop s
sink_start s $SINK
ok "the deferred recipient is delivered on a later try" wait_sent "$id" 5
is "delivered 2" "$(rec "$id" 1 result) $(rec "$id" 1 tries)" "delivered at the second try"
is 1 "$(count_msgs s)" "one message arrived"

# the server down for a while
sink_stop s
id=$(new_id)
make_entry "$id" fax fax@rampart.test two@example.test
ok "a refused connection defers" wait_state "$id" "^reply = connect: Connection refused" 5
ok "and it is tried again" wait_state "$id" "^tries = 2" 5
sink_start s $SINK
ok "delivered once the server is back" wait_sent "$id" 5
is "delivered" "$(rec "$id" 1 result)" "recorded as delivered"

# 5xx: bounced, the admin is alerted; the alert bounces too: only logged
sink_stop s
sink_start s $SINK -f RCPT
id=$(new_id)
make_entry "$id" fax fax@rampart.test three@example.test
ok "a 5xx ends the entry" wait_sent "$id" 5
is "bounced 1" "$(rec "$id" 1 result) $(rec "$id" 1 tries)" "recorded as bounced after one try"
case $(rec "$id" 1 reply) in 5*) r=0 ;; *) r=1 ;; esac
is 0 $r "with the server's 5xx reply"
alert=$(sed -n "s/.*id=$id alert=\([^ ]*\) .*/\1/p" "$TMP/notifyd.log")
[ -n "$alert" ] || alert=none
ok "the admin's alert is delivered like any mail (and bounces here)" wait_sent "$alert" 5
is "alert $id faxadmin@admin.test" "$(hdr "$alert" kind) $(hdr "$alert" about) $(rec "$alert" 1 rcpt)" \
    "the alert is kind alert, about the entry, to the admin"
sleep 1
is 0 "$(grep -c "id=$alert alert=" "$TMP/notifyd.log")" "no alert about the alert"

dsn=$(new_id)
make_entry "$dsn" dsn "" four@example.test
wait_sent "$dsn" 5
is 0 "$(grep -c "id=$dsn alert=" "$TMP/notifyd.log")" "a bounced DSN (null sender) is only logged"

# retries used up: expired, and the alert reaches the admin
sink_stop s
nd_restart "relayhost = 127.0.0.1:$SINK" "smtp_tls_policy = none" \
    "notifyd_retry_min = 1s" "notifyd_retry_max = 1s" "notifyd_max_age = 3s"
id=$(new_id)
make_entry "$id" fax fax@rampart.test five@example.test
ok "retries used up end the entry" wait_sent "$id" 8
sink_start s $SINK
is "expired" "$(rec "$id" 1 result)" "recorded as expired"
t=$(rec "$id" 1 tries)
[ "$t" -ge 3 ] && [ "$t" -le 5 ]
is 0 $? "after 3 to 5 tries in 3 s at 1 s apart (got $t)"
alert=$(sed -n "s/.*id=$id alert=\([^ ]*\) .*/\1/p" "$TMP/notifyd.log")
[ -n "$alert" ] || alert=none
ok "the alert is delivered" wait_sent "$alert" 5
f=$(grep -l "Subject: rampart: undelivered fax $id" "$TMP"/s/m.* 2>/dev/null | head -1)
out=$("$MAILCHECK" "${f:-/nonexistent}" To Auto-Submitted)
is "To: <faxadmin@admin.test>|Auto-Submitted: auto-generated" \
    "$(echo "$out" | sed -n 1p)|$(echo "$out" | sed -n 2p)" "GMime parses the alert: to the admin, auto-generated"
echo "$out" | grep -q "^<five@example.test>: expired after $t tries"
is 0 $? "the alert names the recipient, the outcome and the tries"
