#!/bin/sh
# limits-t: every 4xx/5xx reply counts as an error and so does every junk
# command (NOOP, RSET, VRFY, EXPN, HELP) past smtpd_max_junk_commands; from
# smtpd_soft_errors on each error costs smtpd_error_sleep, at
# smtpd_max_errors the session ends with 421 (issue 20).  A 255-character
# EHLO name does not make a Received: line over 998 bytes.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"
need python3

plan 13
smtpd_setup "smtpd_soft_errors = 4" "smtpd_max_errors = 6" "smtpd_error_sleep = 1s" \
    "smtpd_max_junk_commands = 20"
C="python3 $top_srcdir/tests/smtpd/smtpc.py"
P=$STARTTLS_PORT
has() { grep -q -e "$2" "$1"; }

# inside TLS, before AUTH: twelve pipelined bad commands (501, 503, 504)
B='RCPT TO:<a@b.test>\r\nDATA\r\nAUTH CRAM-MD5\r\nEHLO\r\n'
t0=$(date +%s)
$C $P "EHLO c.test" STARTTLS "EHLO c.test" "raw:$B$B${B}QUIT\r\n" expect-close \
    > "$TMP/bad.out" 2>&1
t1=$(date +%s)
is 6 "$(grep -c '^50[134] ' "$TMP/bad.out")" "twelve pipelined 501/503/504: six answered"
ok "... then 421 4.7.0 and the connection is closed" sh -c \
    "grep -q '^421 4.7.0 too many errors' '$TMP/bad.out' && tail -1 '$TMP/bad.out' | grep -qx closed"
ok "errors 4 and 5 were slowed down by smtpd_error_sleep (>= 2 s)" test $((t1 - t0)) -ge 2

# after AUTH: bad recipients (553, 550)
R='RCPT TO:<john@fax.test>\r\nRCPT TO:<+13335551234@fax.test>\r\n'
$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev1:secret1" "MAIL FROM:<a@b.test>" \
    "raw:$R$R$R${R}QUIT\r\n" expect-close > "$TMP/rcpt.out" 2>&1
is 6 "$(grep -c '^55[03] ' "$TMP/rcpt.out")" "eight bad RCPTs: six answered"
ok "... then 421 and closed" sh -c \
    "grep -q '^421 4.7.0 too many errors' '$TMP/rcpt.out' && tail -1 '$TMP/rcpt.out' | grep -qx closed"

# junk: 60 NOOPs from a client that never logs in
N=$(python3 -c 'print("NOOP\\r\\n" * 60, end="")')
$C $P "EHLO c.test" STARTTLS "EHLO c.test" "raw:$N" expect-close > "$TMP/junk.out" 2>&1
is 26 "$(grep -c '^250 2.0.0 Ok' "$TMP/junk.out")" \
    "60 NOOPs, 20 junk commands allowed: 6 more count as errors, 26 answered"
ok "... then 421 and closed" sh -c \
    "grep -q '^421 4.7.0 too many errors' '$TMP/junk.out' && tail -1 '$TMP/junk.out' | grep -qx closed"
ok "the session's end is logged with the reason" \
    has "$TMP/smtpd.log" "result=too-many-errors"

# a queued message starts the count again: 4 errors, a message, 5 more
E="RCPT TO:<john@fax.test>"
$C $P "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev2:secret2" "MAIL FROM:<a@b.test>" \
    "$E" "$E" "$E" "$E" "RCPT TO:<+12224567654@fax.test>" data:100 \
    "MAIL FROM:<a@b.test>" "$E" "$E" "$E" "$E" "$E" QUIT > "$TMP/reset.out" 2>&1
ok "errors before a queued message do not count after it (no 421)" sh -c \
    "grep -q '^250 2.0.0 Ok: queued' '$TMP/reset.out' && ! grep -q '^421' '$TMP/reset.out' && grep -q '^221' '$TMP/reset.out'"

# 5: a 255-character EHLO of characters the header escapes
H=$(python3 -c 'print("\"" * 255, end="")')
$C $P "EHLO c.test" STARTTLS "EHLO $H" "auth:dev2:secret2" "MAIL FROM:<a@b.test>" \
    "RCPT TO:<+12224567654@fax.test>" data:100 QUIT > "$TMP/helo.out" 2>&1
ok "a message after a 255-character EHLO is queued" has "$TMP/helo.out" "^250 2.0.0 Ok: queued"
f=$(ls -t "$TMP"/spool/incoming/new/* | head -1)
# the message is what follows the envelope's blank line
longest=$(awk 'm { l = length($0) - 1; if (l > x) x = l } /^$/ { m = 1 } END { print x + 0 }' "$f")
ok "no line of the stored message is over 998 bytes (longest: $longest)" test "$longest" -le 998
ok "the Received: header still names the EHLO (escaped)" sh -c \
    "grep -q '^Received: from \\\\x22\\\\x22' '$f'"
ok "the envelope keeps the whole EHLO name (255 escaped characters)" sh -c \
    "grep -q '^helo = \\(\\\\x22\\)\\{255\\}\$' '$f'"
