#!/bin/sh
# mx-t: delivery by MX records, in a network and mount namespace of the
# test's own (unshare), where /etc/resolv.conf points at a dnsmasq serving
# a test zone on loopback: two MX hosts of which the first is down; a
# domain with no MX, delivered to its A record (RFC 5321 5.1); a domain
# that does not exist, bounced.  Then 100 entries to 5 domains whose fifth
# server accepts connections and never answers: the other 80 are delivered
# while it hangs.  TLS by MX: verify checks the MX host's name, secure the
# recipient domain's, so an MX record pointing at a host with a valid
# certificate of its own name passes verify and fails secure.
. "$top_srcdir/tests/tap.sh"
[ "$(id -u)" = 0 ] || bail "mx-t needs root for its own network namespace"
need unshare dnsmasq ip
. "$top_srcdir/tests/notifyd/nd-lib.sh"
[ -n "${ND_NETNS:-}" ] || bail "not in a network namespace"
plan 19

PORT=2525
nd_setup "smtp_port = $PORT" "smtp_tls_policy = none" \
    "notifyd_max_parallel = 5" "notifyd_destination_concurrency = 2" \
    "notifyd_max_per_connection = 10" "notifyd_timeout = 20s" \
    "notifyd_retry_min = 1s"
printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:2\n' > "$TMP/resolv.conf"
mount --bind "$TMP/resolv.conf" /etc/resolv.conf || bail "bind-mount resolv.conf"
records="--mx-host=two.test,mx1.two.test,10 --mx-host=two.test,mx2.two.test,20
    --host-record=mx1.two.test,127.0.0.2 --host-record=mx2.two.test,127.0.0.1
    --host-record=nodata.test,127.0.0.1
    --mx-host=tls.test,mx.tls.test,10 --host-record=mx.tls.test,127.0.0.20
    --mx-host=spoof.test,mx.evil.test,10 --host-record=mx.evil.test,127.0.0.21
    --mx-host=spoof2.test,mx.evil.test,10"
for i in 1 2 3 4 5; do
	records="$records --mx-host=d$i.test,mx.d$i.test,10 --host-record=mx.d$i.test,127.0.0.1$i"
done
# shellcheck disable=SC2086
dnsmasq --keep-in-foreground --port=53 --listen-address=127.0.0.1 \
    --bind-interfaces --no-resolv --no-hosts --conf-file=/dev/null \
    --pid-file= --local=/test/ $records 2>"$TMP/dnsmasq.log" &
SINK_PIDS="$SINK_PIDS $!"
n=0
until ss -Hlun "src 127.0.0.1:53" | grep -q .; do
	n=$((n + 1)); [ $n -gt 50 ] && bail "dnsmasq did not start"; sleep 0.1
done
sink_start main $PORT
make_cert mx.tls.test
make_cert mx.evil.test
python3 "$TLSSINK" $PORT "$TMP/tls" --addr 127.0.0.20 \
    --cert "$TMP/pki/mx.tls.test.crt" --key "$TMP/pki/mx.tls.test.key" &
SINK_PIDS="$SINK_PIDS $!"
python3 "$TLSSINK" $PORT "$TMP/evil" --addr 127.0.0.21 \
    --cert "$TMP/pki/mx.evil.test.crt" --key "$TMP/pki/mx.evil.test.key" &
SINK_PIDS="$SINK_PIDS $!"
wait_for_file "$TMP/tls/ready" 10 && wait_for_file "$TMP/evil/ready" 10 || bail "TLS sinks"
printf 'tls.test secure\nspoof.test secure\nspoof2.test verify\n' > "$TMP/map"
printf 'smtp_tls_policy_map = %s\n' "$TMP/map" >> "$TMP/rampart.conf"
nd_start

id=$(new_id)
make_entry "$id" fax fax@rampart.test u@tls.test
ok "secure: an MX host in the recipient domain with a verified certificate" wait_sent "$id"
is "delivered|secure yes" "$(rec "$id" 1 result)|$(rec "$id" 1 verified)" "recorded as verified"
id=$(new_id)
make_entry "$id" fax fax@rampart.test u@spoof.test
ok "secure: an MX host outside the domain is refused, valid certificate or not" \
    wait_state "$id" "^reply = TLS policy secure: certificate not verified: hostname mismatch" 5
is 0 "$(ls "$TMP/evil" | grep -c '\.eml$')" "nothing reached it"
id=$(new_id)
make_entry "$id" fax fax@rampart.test u@spoof2.test
ok "verify: the same host passes, its certificate naming the MX host" wait_sent "$id"
is "delivered|verify yes" "$(rec "$id" 1 result)|$(rec "$id" 1 verified)" "recorded as verified"

id=$(new_id)
make_entry "$id" fax fax@rampart.test u@two.test
ok "mail for two MX hosts, the first down, is delivered" wait_sent "$id"
is "delivered|mx2.two.test[127.0.0.1]:$PORT" "$(rec "$id" 1 result)|$(rec "$id" 1 host)" \
    "by the second MX host"
grep -q "^X-Rcpt-Args: <u@two.test>" "$TMP"/main/m.*
is 0 $? "the sink got it"

id=$(new_id)
make_entry "$id" fax fax@rampart.test u@nodata.test
ok "a domain without MX records gets its mail at its address" wait_sent "$id"
is "delivered|nodata.test[127.0.0.1]:$PORT" "$(rec "$id" 1 result)|$(rec "$id" 1 host)" \
    "recorded with the domain as the host"

# one entry, two domains: two deliveries, one record
id=$(new_id)
make_entry "$id" fax fax@rampart.test a@two.test b@nodata.test
ok "an entry for two domains is recorded once both are delivered" wait_sent "$id"
is "delivered mx2.two.test|delivered nodata.test" \
    "$(rec "$id" 1 result) $(rec "$id" 1 host | cut -d[ -f1)|$(rec "$id" 2 result) $(rec "$id" 2 host | cut -d[ -f1)" \
    "each recipient with the host that took it"

id=$(new_id)
make_entry "$id" dsn "" u@nosuch.test
ok "a domain that does not exist ends the entry" wait_sent "$id"
is "bounced|DNS: domain nosuch.test does not exist" "$(rec "$id" 1 result)|$(rec "$id" 1 reply)" \
    "as bounced, saying why"

# 5 destinations, one hanging after accept
for i in 1 2 3 4; do SINK_ADDR=127.0.0.1$i sink_start d$i $PORT; done
python3 "$TLSSINK" $PORT "$TMP/d5" --hang --addr 127.0.0.15 &
SINK_PIDS="$SINK_PIDS $!"
wait_for_file "$TMP/d5/ready" 10 || bail "hanging sink"
nd_stop
all=
for k in $(seq 20); do
	for i in 5 1 2 3 4; do
		id=$(new_id)
		all="$all $i:$id"
		make_entry "$id" fax fax@rampart.test "u$k@d$i.test"
	done
done
start=$(date +%s)
nd_start
for x in $all; do
	case $x in 5:*) continue ;; esac
	wait_sent "${x#*:}" 15 || break
done
took=$(( $(date +%s) - start ))
n=0; for x in $all; do case $x in 5:*) ;; *) [ -e "$TMP/spool/sent/${x#*:}" ] && n=$((n + 1)) ;; esac; done
is 80 "$n" "the 80 entries for the 4 live domains are delivered"
[ "$took" -lt 10 ]
is 0 $? "within 10 s while the fifth hangs (took $took s)"
n=0; for x in $all; do case $x in 5:*) [ -e "$TMP/spool/notify/cur/${x#*:}" ] && n=$((n + 1)) ;; esac; done
is 20 "$n" "the 20 for the hanging domain are still queued"
is 80 "$(cat "$TMP"/d1/m.* "$TMP"/d2/m.* "$TMP"/d3/m.* "$TMP"/d4/m.* | grep -c '^X-Rcpt-Args:')" \
    "the four servers got 80 messages"
