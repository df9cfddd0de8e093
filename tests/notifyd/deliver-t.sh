#!/bin/sh
# deliver-t: notifyd delivers notify/ entries through a relayhost (Postfix's
# smtp-sink on loopback, no TLS, policy none): the sent/ record, the mail as
# GMime parses it (dot-stuffing undone by the server), several recipients in
# one transaction, a republished id not sent twice, a bad entry moved aside
# while notifyd goes on.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/notifyd/nd-lib.sh"
plan 18

SINK=$PORT_BASE
nd_setup "relayhost = 127.0.0.1:$SINK" "smtp_tls_policy = none"
sink_start a $SINK
nd_start

id=$(new_id)
make_entry "$id" dsn "" alice@example.test bob@example.test
ok "sent/ID appears for a two-recipient entry" wait_sent "$id"
is "delivered delivered" "$(rec "$id" 1 result) $(rec "$id" 2 result)" \
    "both recipients are recorded as delivered"
is "bob@example.test" "$(rec "$id" 2 rcpt)" "groups follow the entry's recipient order"
case $(rec "$id" 1 host) in *"[127.0.0.1]:$SINK") r=0 ;; *) r=1 ;; esac
is 0 $r "the record names the host and address that took it"
is "none|none no|1" "$(rec "$id" 1 tls)|$(rec "$id" 1 verified)|$(rec "$id" 1 tries)" \
    "tls none, policy none not verified, one try"
case $(rec "$id" 1 reply) in 250*) r=0 ;; *) r=1 ;; esac
is 0 $r "the server's final reply is kept"
is "dsn job-${id%%-*}" "$(hdr "$id" kind) $(hdr "$id" about)" "kind and about copied"
is 0 "$(ls "$TMP/spool/notify/cur" | wc -l)" "notify/cur is empty once done"
is 1 "$(count_msgs a)" "the sink kept one message"
f=$(ls "$TMP/a"/m.* | head -1)
is 2 "$(grep -c '^X-Rcpt-Args:' "$f")" "both recipients went in one transaction"
is "X-Mail-Args: <>" "$(grep '^X-Mail-Args:' "$f" | tr -d '\r')" "the null sender of a DSN"
out=$("$MAILCHECK" "$f" Subject Message-ID)
is "Subject: notice $id" "$(echo "$out" | sed -n 1p)" "GMime parses the delivered mail"
echo "$out" | grep -qx '.a line that starts with a dot'
is 0 $? "a line starting with a dot arrives as written"

# the same id published again (queued after a crash) is not sent twice
make_entry "$id" dsn "" alice@example.test
n=0; while [ -e "$TMP/spool/notify/new/$id" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
is 1 "$(count_msgs a)" "a republished id that was sent is dropped, not sent"
grep -q "id=$id already sent" "$TMP/notifyd.log"
is 0 $? "and the drop is logged"

# a bad entry: size does not match; moved aside, named in the log
bad=$(new_id)
printf 'version = 1\nid = %s\nkind = dsn\nabout = -\ncreated = 1\nmail_from = \nrcpt = x@example.test\nsize = %020d\n\nshort\r\n' "$bad" 999 > "$TMP/spool/notify/new/$bad"
[ "$(id -u)" = 0 ] && chown rampart "$TMP/spool/notify/new/$bad"
echo "notify $bad" > "$TMP/spool/FIFO.notifyd"
ok "a bad entry is moved to notify/bad" wait_for_file "$TMP/spool/notify/bad/$bad" 5
grep -q "id=$bad bad entry.*size does not match" "$TMP/notifyd.log"
is 0 $? "the log names the id and what is wrong"
id2=$(new_id)
make_entry "$id2" fax fax@rampart.test carol@example.test
ok "notifyd goes on delivering after a bad entry" wait_sent "$id2"
