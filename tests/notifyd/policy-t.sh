#!/bin/sh
# policy-t: each TLS policy against real servers on loopback, through the
# relayhost "localhost" (so the name checked is localhost): Postfix's
# smtp-sink without STARTTLS, and tlssink.py with STARTTLS and a
# certificate from a CA made here, a self-signed one, and one for another
# name.  A refused delivery is deferred with the reason, nothing sent.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/notifyd/nd-lib.sh"
plan 38

PLAIN=$PORT_BASE GOOD=$((PORT_BASE + 1)) SELF=$((PORT_BASE + 2)) WRONG=$((PORT_BASE + 3))
OLD=$((PORT_BASE + 4)) AUTH=$((PORT_BASE + 5)) CCERT=$((PORT_BASE + 6))
REFUSE=$((PORT_BASE + 7))
nd_setup
sink_start plain $PLAIN
tls_start good $GOOD --cert "$TMP/pki/localhost.crt" --key "$TMP/pki/localhost.key"
tls_start self $SELF --cert "$TMP/pki/self.crt" --key "$TMP/pki/self.key"
tls_start wrong $WRONG --cert "$TMP/pki/wrong.test.crt" --key "$TMP/pki/wrong.test.key"
tls_start auth $AUTH --cert "$TMP/pki/localhost.crt" --key "$TMP/pki/localhost.key" --auth "rampart:s3cret-pw"
tls_start ccert $CCERT --cert "$TMP/pki/localhost.crt" --key "$TMP/pki/localhost.key" --client-ca "$TMP/pki/ca.crt"
tls_start refuse $REFUSE --cert "$TMP/pki/localhost.crt" --key "$TMP/pki/localhost.key" --refuse-starttls
tls_start old $OLD --cert "$TMP/pki/localhost.crt" --key "$TMP/pki/localhost.key" --tls11

# deliver PORT POLICY [conf lines]: one entry; sets $id
deliver() {
	port=$1 pol=$2; shift 2
	nd_restart "relayhost = localhost:$port" "smtp_tls_policy = $pol" "$@"
	id=$(new_id)
	make_entry "$id" fax fax@rampart.test someone@example.test
}
refused() { wait_state "$id" "^reply = .*$1" 5; }

deliver $PLAIN encrypt
ok "encrypt: a server without STARTTLS is refused" refused "TLS policy encrypt: server offers no STARTTLS"
is 0 "$(count_msgs plain)" "encrypt: nothing reached it"
is "pending|1" "$(state "$id" result)|$(state "$id" tries)" "encrypt: the recipient stays pending after one try"

deliver $PLAIN may
ok "may: delivered in the clear to a server without STARTTLS" wait_sent "$id"
is "delivered|none|may no" "$(rec "$id" 1 result)|$(rec "$id" 1 tls)|$(rec "$id" 1 verified)" \
    "may: recorded without TLS, not verified"

deliver $OLD encrypt
ok "encrypt: a server with TLS 1.1 at most is refused (1.2 minimum)" refused "TLS handshake: .*protocol"
is 0 "$(count_msgs old)" "encrypt: nothing reached the TLS 1.1 server"

deliver $OLD may
ok "may: after a failed handshake the same server gets it in the clear" wait_sent "$id"
is "delivered|none" "$(rec "$id" 1 result)|$(rec "$id" 1 tls)" "may: recorded without TLS"

deliver $REFUSE encrypt
ok "encrypt: a server that answers STARTTLS 454 is refused" refused "STARTTLS refused: 454"
deliver $REFUSE may
ok "may: after STARTTLS answered 454 the mail goes in the clear" wait_sent "$id"
is "delivered|none|may no" "$(rec "$id" 1 result)|$(rec "$id" 1 tls)|$(rec "$id" 1 verified)" \
    "may: recorded without TLS"

deliver $SELF encrypt
ok "encrypt: a self-signed server takes it" wait_sent "$id"
case $(rec "$id" 1 tls) in TLSv1.[23]\ *) r=0 ;; *) r=1 ;; esac
is 0 $r "encrypt: the record has the TLS version and cipher"
is "encrypt no" "$(rec "$id" 1 verified)" "encrypt: recorded as not verified"
grep -q "^tls TLSv1\.[23] " "$TMP/self/1.env"
is 0 $? "encrypt: the server saw TLS 1.2 or later"

deliver $GOOD verify
ok "verify: a CA-signed certificate for the name is accepted" wait_sent "$id"
is "delivered|verify yes" "$(rec "$id" 1 result)|$(rec "$id" 1 verified)" \
    "verify: recorded as verified"
is "Subject: notice $id" "$("$MAILCHECK" "$TMP/good/1.eml" Subject | sed -n 1p)" \
    "verify: GMime parses what arrived over TLS"

deliver $SELF verify
ok "verify: a self-signed certificate is refused" refused "TLS policy verify: certificate not verified: self-signed"
is 0 "$(count_msgs self | awk '{print $1 - 1}')" "verify: nothing more reached the self-signed server"

deliver $WRONG verify
ok "verify: a trusted certificate for another name is refused" refused "TLS policy verify: certificate not verified: hostname mismatch"
is 0 "$(count_msgs wrong)" "verify: nothing reached the wrong-name server"

deliver $GOOD secure
ok "secure: the nexthop's own name is accepted" wait_sent "$id"
is "secure yes" "$(rec "$id" 1 verified)" "secure: recorded as verified"

# relay AUTH PLAIN, inside TLS only; the password never logged
printf 's3cret-pw\n' > "$TMP/relay.pass"
deliver $AUTH verify "relay_auth_user = rampart" "relay_auth_password_file = $TMP/relay.pass"
ok "AUTH: a relay that wants a login gets it, over verified TLS" wait_sent "$id"
is "auth rampart" "$(grep '^auth' "$TMP/auth/1.env")" "AUTH: the relay saw the user log in"
printf 'wrong-pw\n' > "$TMP/relay.pass"
deliver $AUTH verify "relay_auth_user = rampart" "relay_auth_password_file = $TMP/relay.pass"
ok "AUTH: a refused login defers the mail" refused "AUTH failed: 535"
is 0 "$(grep -c -e s3cret-pw -e wrong-pw -e "$(printf '\0rampart\0wrong-pw' | base64)" "$TMP/notifyd.log")" \
    "AUTH: no password, plain or encoded, in the log"

# a client certificate, for a relay that wants one
d=$TMP/pki
openssl req -newkey rsa:2048 -nodes -subj /CN=notifyd-client -keyout "$d/client.key" \
    -out "$d/client.csr" >/dev/null 2>&1 || bail "client csr"
printf 'extendedKeyUsage=clientAuth\n' > "$d/client.ext"
openssl x509 -req -in "$d/client.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 30 -extfile "$d/client.ext" -out "$d/client.crt" >/dev/null 2>&1 || bail "client cert"
deliver $CCERT verify
ok "client certificate: a relay that requires one refuses notifyd without" refused "\(TLS handshake\|EHLO after STARTTLS\)"
deliver $CCERT verify "smtp_tls_cert_file = $d/client.crt" "smtp_tls_key_file = $d/client.key"
ok "client certificate: with smtp_tls_cert_file the relay takes it" wait_sent "$id"
is "client notifyd-client" "$(grep '^client' "$TMP/ccert/1.env")" "the relay saw notifyd's certificate"

printf 'localhost secure match=mail.other.test:other.test\n' > "$TMP/map"
deliver $GOOD secure "smtp_tls_policy_map = $TMP/map"
ok "secure: a certificate without a listed name is refused" refused "TLS policy secure: certificate not verified: hostname mismatch"

fpr=$(cert_fpr "$TMP/pki/self.crt")
printf '# pinned\nlocalhost fingerprint fingerprint=%s\n' "$fpr" > "$TMP/map"
deliver $SELF none "smtp_tls_policy_map = $TMP/map"
ok "fingerprint (from the map, over a default of none): the pinned certificate is accepted" wait_sent "$id"
is "fingerprint yes" "$(rec "$id" 1 verified)" "fingerprint: recorded as verified"

printf 'localhost fingerprint fingerprint=%s\n' "$(cert_fpr "$TMP/pki/localhost.crt")" > "$TMP/map"
deliver $SELF none "smtp_tls_policy_map = $TMP/map"
ok "fingerprint: another certificate is refused, its fingerprint told" refused "certificate fingerprint $fpr is not pinned"

printf 'localhost fingerprint\n' > "$TMP/map"
nd_conf "relayhost = localhost:$GOOD" "smtp_tls_policy_map = $TMP/map"
ok_program "-n refuses a fingerprint entry without a fingerprint" 78 \
    "notifyd: smtp_tls_policy_map: $TMP/map:1: fingerprint needs fingerprint=" \
    "$NOTIFYD" -n -f "$TMP/rampart.conf"
printf '.example.test verify\nexample.test  may\n' > "$TMP/map"
ok_program "-n accepts a good map" 0 "notifyd: configuration $TMP/rampart.conf OK" \
    "$NOTIFYD" -n -f "$TMP/rampart.conf"
