#!/bin/sh
# crash-t: kill -9 of notifyd and its delivery children in the middle of a
# run of 30 entries, then a restart: every entry is delivered, and none
# whose delivery was recorded before the kill is sent again.  Then a
# two-recipient entry with one recipient deferred: after kill -9 and a
# restart the delivered recipient is not sent again.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/notifyd/nd-lib.sh"
plan 10

SINK=$PORT_BASE
nd_setup "relayhost = 127.0.0.1:$SINK" "smtp_tls_policy = none" \
    "notifyd_max_parallel = 3" "notifyd_max_per_connection = 4" \
    "notifyd_retry_min = 1s" "notifyd_retry_max = 1s"
tls_start s $SINK --delay 0.1
ids=
for i in $(seq 30); do
	id=$(new_id)
	ids="$ids $id"
	make_entry "$id" fax fax@rampart.test "r$i@example.test"
done
nd_start
n=0
until [ "$(ls "$TMP/spool/sent" | wc -l)" -ge 8 ]; do
	n=$((n + 1)); [ $n -gt 100 ] && break; sleep 0.05
done
nd_kill9
before=$(ls "$TMP/spool/sent")
nb=$(echo "$before" | wc -l)
[ "$nb" -ge 8 ] && [ "$nb" -lt 30 ]
is 0 $? "killed mid-run with $nb of 30 recorded"
nd_start
for id in $ids; do wait_sent "$id" 15 || break; done
is 30 "$(ls "$TMP/spool/sent" | wc -l)" "all 30 are recorded after the restart"
is 30 "$(cat "$TMP"/spool/sent/* | grep -c '^result = delivered')" "all as delivered"
got=$(cat "$TMP"/s/*.eml | tr -d '\r' | sed -n 's/^Message-ID: <\(.*\)@rampart.test>$/\1/p' | sort)
is 30 "$(echo "$got" | sort -u | wc -l)" "every entry reached the server"
twice=0
for id in $before; do
	c=$(echo "$got" | grep -c "^$id\$")
	[ "$c" -eq 1 ] || { twice=$((twice + 1)); diag "$id: $c times"; }
done
is 0 "$twice" "none recorded before the kill was sent again"
nconn=$(cat "$TMP"/s/*.env | grep '^conn ' | sort -u | wc -l)
[ "$nconn" -le 15 ]
is 0 $? "connections carried several entries each ($nconn connections for $(echo "$got" | wc -l) messages)"
grep -q "resumed" "$TMP/notifyd.log"
is 0 $? "the restart resumed entries from notify/cur"

# one of two recipients deferred; kill -9; the other is not sent again
nd_stop
sink_stop s
tls_start s2 $SINK --defer later@example.test
nd_start
id=$(new_id)
make_entry "$id" fax fax@rampart.test now@example.test later@example.test
ok "one recipient delivered, one deferred, in the state file" \
    wait_state "$id" "^result = delivered" 5
nd_kill9
sink_stop s2
tls_start s3 $SINK
nd_start
ok "after kill -9 and a restart the deferred one is delivered" wait_sent "$id" 10
is "1 1" "$(cat "$TMP"/s2/*.env "$TMP"/s3/*.env | grep -c '^rcpt now@') $(cat "$TMP"/s2/*.env "$TMP"/s3/*.env | grep -c '^rcpt later@')" \
    "the recipient delivered before the kill got it once, the other once"
