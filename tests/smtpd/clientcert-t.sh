#!/bin/sh
# clientcert-t: tls_verify_client none, optional and require, and the map
# from a certificate fingerprint to an account (login without AUTH).
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"
need python3

plan 13
smtpd_setup
K=$TMP/pki
C="python3 $top_srcdir/tests/smtpd/smtpc.py $TLS_PORT --tls --ca $K/ca.crt"
fpr=$(openssl x509 -in "$K/client1.crt" -noout -fingerprint -sha256 | sed 's/.*=//')
# the map accepts lowercase and no colons too
fpr_lc=$(echo "$fpr" | tr -d : | tr A-F a-f)
printf '# fingerprint account\n%s dev1\n' "$fpr_lc" > "$TMP/certmap"
STEPS='EHLO c.test|MAIL FROM:<a@b.test>|RCPT TO:<+12224567654@fax.test>|QUIT'
run() { out=$1; shift; IFS='|'; set -- "$@" $STEPS; unset IFS; $C "$@" > "$out" 2>&1; }

run "$TMP/none1" --cert "$K/client1.crt" --key "$K/client1.key"
ok "verify none: a client certificate does not log in" grep -q "^530 5.7.0 Authentication required" "$TMP/none1"

smtpd_restart "tls_verify_client = optional" "tls_ca_file = $K/ca.crt" "tls_client_map = $TMP/certmap"
run "$TMP/opt1" --cert "$K/client1.crt" --key "$K/client1.key"
ok "optional: a mapped certificate logs in as its account (MAIL 250)" grep -q "^250 2.1.0" "$TMP/opt1"
ok "optional: ... and may send to the account's numbers" grep -q "^250 2.1.5" "$TMP/opt1"
ok "optional: EHLO offers no AUTH once logged in by certificate" sh -c "! grep -q AUTH '$TMP/opt1'"
ok "the certificate login is logged" grep -q "login client=127.0.0.1 account=dev1 via=cert" "$TMP/smtpd.log"
run "$TMP/opt2" --cert "$K/client2.crt" --key "$K/client2.key"
ok "optional: a valid but unmapped certificate still needs AUTH" grep -q "^530 5.7.0 Authentication required" "$TMP/opt2"
run "$TMP/opt0"
ok "optional: no certificate: connection works, AUTH needed" grep -q "^530 5.7.0 Authentication required" "$TMP/opt0"
run "$TMP/opt3" --cert "$K/stranger.crt" --key "$K/stranger.key"
ok "optional: a certificate from an unknown CA is refused" sh -c "! grep -q '^250' '$TMP/opt3' && grep -q closed '$TMP/opt3'"

smtpd_restart "tls_verify_client = require" "tls_ca_file = $K/ca.crt" "tls_client_map = $TMP/certmap"
run "$TMP/req0"
ok "require: no certificate, no session" sh -c "! grep -q '^2' '$TMP/req0' && grep -q closed '$TMP/req0'"
run "$TMP/req1" --cert "$K/client1.crt" --key "$K/client1.key"
ok "require: a mapped certificate logs in" grep -q "^250 2.1.0" "$TMP/req1"
python3 "$top_srcdir/tests/smtpd/smtpc.py" $STARTTLS_PORT --ca "$K/ca.crt" \
    --cert "$K/client1.crt" --key "$K/client1.key" "EHLO c.test" STARTTLS \
    "EHLO c.test" "MAIL FROM:<a@b.test>" "RCPT TO:<+12224567654@fax.test>" \
    DATA line:10 'raw:.\r\n' QUIT > "$TMP/req2" 2>&1
id=$(sed -n 's/^250 2.0.0 Ok: queued as //p' "$TMP/req2")
ok "require + STARTTLS: a message from a certificate login is queued" test -n "$id"
ok "its envelope says auth = cert" grep -qx "auth = cert" "$TMP/spool/incoming/new/$id"
run "$TMP/req3" --cert "$K/stranger.crt" --key "$K/stranger.key"
ok "require: a certificate from an unknown CA is refused" sh -c "! grep -q '^2' '$TMP/req3'"
