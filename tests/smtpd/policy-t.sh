#!/bin/sh
# policy-t: nothing but EHLO/STARTTLS/NOOP/RSET/QUIT before TLS; STARTTLS
# injection dropped; state reset after TLS; AUTH before MAIL; every bad
# address form, unknown domain, dial plan and device rights; SIZE; too many
# recipients; the 1000-byte line limit; AUTH failures up to the lock-out.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"
need python3

plan 50
# every 4xx/5xx counts toward smtpd_max_errors (20 by default); limits-t
# tests the error sleep, which would only slow the many refusals here
smtpd_setup "auth_max_failures = 3" "smtpd_error_sleep = 0"
C="python3 $top_srcdir/tests/smtpd/smtpc.py"
P=$STARTTLS_PORT
has() { grep -q -e "$2" "$1"; }

set -- "EHLO c.test" "AUTH PLAIN AGRldjEAc2VjcmV0MQ==" "MAIL FROM:<a@b.test>" \
    "RCPT TO:<12224567654@fax.test>"
for i in $(seq 17); do set -- "$@" "MAIL FROM:<a@b.test>"; done
$C $P "$@" expect-close > "$TMP/pre.out" 2>&1
ok "EHLO before TLS offers STARTTLS" has "$TMP/pre.out" "^250.STARTTLS"
ok "EHLO before TLS offers no AUTH" sh -c "! grep -q AUTH '$TMP/pre.out'"
is 20 "$(grep -c '^530 5.7.0 Must issue a STARTTLS command first' "$TMP/pre.out")" \
    "AUTH, MAIL and RCPT before STARTTLS: 530 5.7.0"
ok "after smtpd_max_errors (20) of those: 421 and the connection is closed" sh -c \
    "grep -q '^421 ' '$TMP/pre.out' && tail -1 '$TMP/pre.out' | grep -qx closed"

$C $P "EHLO c.test" "NOOP" "RSET" "raw:STARTTLS\r\nRSET\r\n" expect-close > "$TMP/inj.out" 2>&1
ok "NOOP and RSET are allowed before TLS" sh -c "[ \$(grep -c '^250 2.0.0 Ok' '$TMP/inj.out') -eq 2 ]"
ok "STARTTLS with pipelined bytes behind it: no 220" sh -c "! grep -q '^220 2.0.0' '$TMP/inj.out'"
is closed "$(tail -1 "$TMP/inj.out")" "STARTTLS injection: connection dropped"
ok "the injection is logged" has "$TMP/smtpd.log" "data after STARTTLS (injection)"

$C $P "EHLO c.test" STARTTLS "MAIL FROM:<a@b.test>" "EHLO c.test" \
    "MAIL FROM:<a@b.test>" "auth:dev1:secret1" "EHLO c.test" QUIT > "$TMP/tls.out" 2>&1
ok "after TLS the old EHLO is forgotten: 503" has "$TMP/tls.out" "^503 5.5.1 send EHLO first"
ok "EHLO inside TLS offers AUTH PLAIN LOGIN" has "$TMP/tls.out" "^250.AUTH PLAIN LOGIN"
ok "MAIL without AUTH: 530 5.7.0" has "$TMP/tls.out" "^530 5.7.0 Authentication required"
ok "AUTH PLAIN inside TLS: 235" has "$TMP/tls.out" "^235 2.7.0"

# a 241-byte domain, in a 254-byte path: echoed twice, the 550 was 560
# bytes (fuzz-smtp); RFC 5321 4.5.3.1.5 allows 512 with CRLF
long=$(printf '%0236d.test' 0 | tr 0 a)
$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev1:secret1" "MAIL FROM:<a@b.test>" \
    "RCPT TO:<john@fax.test>" "RCPT TO:<+123@fax.test>" \
    "RCPT TO:<FAX=+1234567890123456@fax.test>" "RCPT TO:<02224567654@fax.test>" \
    "RCPT TO:<+12224567654/T33S=x1@fax.test>" "RCPT TO:<+12224567654/FOO=1@fax.test>" \
    "RCPT TO:<+12224567654>" "RCPT TO:<\"+12224567654\"@fax.test>" \
    "RCPT TO:<+12224567654@other.test>" "RCPT TO:<+19005551234@fax.test>" \
    "RCPT TO:<+441234567890@fax.test>" "RCPT TO:<+13335551234@fax.test>" \
    "RCPT TO:<FAX=+1-222-456-7654@FAX.TEST>" "RCPT TO:<+12224567654@fax.test> NOTIFY=NEVER" \
    "RCPT TO:+12224567654@fax.test" "RCPT TO:<+12224567654@$long>" \
    QUIT > "$TMP/addr.out" 2>&1
is 8 "$(grep -c '^553 5.1.3 .*not a fax address' "$TMP/addr.out")" \
    "eight bad address forms: 553 5.1.3"
ok "553 gives the reason" has "$TMP/addr.out" "^553 5.1.3 <john@fax.test>: not a fax address: local part is not a fax number"
ok "unknown domain: 550 5.1.2" has "$TMP/addr.out" "^550 5.1.2 <+12224567654@other.test>: not a fax domain"
ok "a 254-byte unknown address: 550 5.1.2 in one reply of at most 512 bytes" sh -c \
    "grep -q '^550 5.1.2 <+12224567654@$long>' '$TMP/addr.out' &&
    awk 'length(\$0) > 510 { bad = 1 } END { exit bad }' '$TMP/addr.out'"
ok "premium rate: 550 5.7.1 dial plan" has "$TMP/addr.out" "^550 5.7.1 <+19005551234@fax.test>: number is denied by the dial plan"
ok "international off by default: 550 5.7.1" has "$TMP/addr.out" "^550 5.7.1 <+441234567890@fax.test>: international numbers are not allowed"
ok "a number the device may not send to: 550 5.7.1" has "$TMP/addr.out" "^550 5.7.1 <+13335551234@fax.test>: dev1 may not send to this number"
ok "a good address in any case with separators: 250" has "$TMP/addr.out" "^250 2.1.5 Ok"
ok "RCPT parameters: 555 5.5.4" has "$TMP/addr.out" "^555 5.5.4"
ok "RCPT without brackets: 501 5.5.4" has "$TMP/addr.out" "^501 5.5.4 syntax: RCPT"

$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev2:secret2" \
    "MAIL FROM:<a@b.test> SIZE=999999999" "MAIL FROM:<a@b.test> SIZE=1000 BODY=8BITMIME" \
    "RCPT TO:<+12224567654@fax.test>" "RCPT TO:<+12224567655@fax.test>" \
    "RCPT TO:<+12224567656@fax.test>" QUIT > "$TMP/lim.out" 2>&1
ok "SIZE over the limit: 552 5.3.4" has "$TMP/lim.out" "^552 5.3.4"
ok "SIZE and BODY within the limit: 250" has "$TMP/lim.out" "^250 2.1.0"
ok "the device's recipient limit (2): 452 4.5.3 for the third" has "$TMP/lim.out" "^452 4.5.3 too many recipients (2 at most)"

L993=$(printf '%0993d' 0)
L994=$(printf '%0994d' 0)
$C $P "EHLO c.test" STARTTLS "EHLO c.test" "NOOP $L993" "NOOP $L994" \
    "auth:dev1:secret1" "MAIL FROM:<a@b.test>" "RCPT TO:<+12224567654@fax.test>" \
    DATA line:998 'raw:.\r\n' "MAIL FROM:<a@b.test>" "RCPT TO:<+12224567654@fax.test>" \
    DATA line:999 'raw:.\r\n' QUIT > "$TMP/line.out" 2>&1
ok "a 1000-byte command line is accepted" sh -c "grep -A1 '^354' '$TMP/line.out' | grep -q '^250 2.0.0 Ok: queued'"
ok "a 1001-byte command line: 500 5.5.2" has "$TMP/line.out" "^500 5.5.2 line too long"
ok "a 1000-byte message line is accepted" sh -c "[ \$(grep -c '^250 2.0.0 Ok: queued' '$TMP/line.out') -eq 1 ]"
ok "a 1001-byte message line: the message is refused, 500 5.5.2" has "$TMP/line.out" "^500 5.5.2 message has a line over 1000 bytes"
is 1 "$(count_new)" "only the good message is in incoming/new"

$C $P "EHLO c.test" STARTTLS "EHLO c.test" "AUTH LOGIN" "ZGV2MQ==" "*" \
    "AUTH CRAM-MD5" "AUTH PLAIN" "!!!" QUIT > "$TMP/sasl.out" 2>&1
ok "AUTH LOGIN asks for the user name" has "$TMP/sasl.out" "^334 VXNlcm5hbWU6"
ok "AUTH LOGIN asks for the password" has "$TMP/sasl.out" "^334 UGFzc3dvcmQ6"
ok "'*' cancels AUTH: 501 5.0.0" has "$TMP/sasl.out" "^501 5.0.0"
ok "other mechanisms: 504 5.5.4" has "$TMP/sasl.out" "^504 5.5.4"
ok "bad base64: 501 5.5.2" has "$TMP/sasl.out" "^501 5.5.2 cannot decode base64"

$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev3:secret3" "MAIL FROM:<a@b.test>" \
    "RCPT TO:<+12224567654@fax.test>" DATA line:10 'raw:.\r\n' \
    "MAIL FROM:<a@b.test>" QUIT > "$TMP/rate.out" 2>&1
ok "messages_per_hour 1: the first message is queued" has "$TMP/rate.out" "^250 2.0.0 Ok: queued"
ok "messages_per_hour 1: the second MAIL gets 450 4.7.1" has "$TMP/rate.out" "^450 4.7.1 limit of 1 messages per hour"
ok "the rate limit is logged" has "$TMP/smtpd.log" "rate limit client=127.0.0.1 account=dev3 per_hour=1"

$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev2:secret2" "MAIL FROM:<a@b.test>" \
    "RCPT TO:<+12224567654@fax.test>" DATA 'raw:Subject: x\n.\nMAIL FROM:<x@y.test>\r\n' \
    expect-close > "$TMP/lf.out" 2>&1
ok "a bare LF in DATA (SMTP smuggling): 521 5.5.2" has "$TMP/lf.out" "^521 5.5.2 bare <LF>"
is closed "$(tail -1 "$TMP/lf.out")" "... and the connection is closed, nothing queued"

t0=$(date +%s)
for i in 1 2 3; do
	$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev1:wrong$i" QUIT > "$TMP/bad$i.out" 2>&1
done
t1=$(date +%s)
is 3 "$(cat "$TMP"/bad?.out | grep -c '^535 5.7.8')" "three wrong passwords: 535 5.7.8 each"
ok "the 535s come after a growing delay (1+2+3 s)" test $((t1 - t0)) -ge 6
$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev1:secret1" QUIT > "$TMP/lock.out" 2>&1
ok "after three failures even the right password is refused: 454 4.7.0" \
    has "$TMP/lock.out" "^454 4.7.0 too many authentication failures"
ok "the lock-out is logged" has "$TMP/smtpd.log" "login lockout client=127.0.0.1 failures=3"
ok "failed logins are logged without the password" sh -c \
    "grep -q 'login failed client=127.0.0.1 user=dev1' '$TMP/smtpd.log' && ! grep -q -e wrong -e secret1 '$TMP/smtpd.log'"
smtpd_restart "max_message_size = 64k"
$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev2:secret2" "MAIL FROM:<a@b.test>" \
    "RCPT TO:<+12224567654@fax.test>" data:70000 "MAIL FROM:<a@b.test>" \
    "RCPT TO:<+12224567654@fax.test>" data:60000 QUIT > "$TMP/big.out" 2>&1
ok "EHLO advertises the SIZE limit" has "$TMP/big.out" "^250.SIZE 65536"
ok "a message over max_message_size: 552 5.3.4 after DATA" has "$TMP/big.out" "^552 5.3.4 message exceeds"
ok "the next message in the same session is accepted" has "$TMP/big.out" "^250 2.0.0 Ok: queued"
is 3 "$(count_new)" "the oversize message left nothing in incoming/new"
is 0 "$(ls "$TMP/spool/incoming/tmp" | wc -l)" "nor in incoming/tmp"
