#!/bin/sh
# basic-t: STARTTLS + AUTH PLAIN/LOGIN + a PDF attachment lands complete in
# incoming/new with the envelope, Received: header, FIFO wake-up and logs;
# implicit TLS (RFC 8314) works the same.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"
need python3

plan 24
smtpd_setup
FIFO=$TMP/spool/FIFO
python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NONBLOCK)  # never sees EOF
out = open(sys.argv[2], "ab", buffering=0)
open(sys.argv[2] + ".ready", "w").close()
import select, time
end = time.time() + 60
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            out.write(os.read(fd, 4096))
        except BlockingIOError:
            pass
' "$FIFO" "$TMP/fifo.out" &
FIFO_PID=$!
at_exit "kill $FIFO_PID 2>/dev/null"
wait_for_file "$TMP/fifo.out.ready" || bail "FIFO reader did not start"
make_pdf "$TMP/doc.pdf"

swaks_tls --to 'FAX=+12224567654@fax.test' --from sender@example.test \
    --auth PLAIN --auth-user dev1 --auth-password secret1 \
    --attach-type application/pdf --attach "$TMP/doc.pdf" > "$TMP/s1.out" 2>&1
id=$(sed -n 's/.*250 2.0.0 Ok: queued as \([0-9a-f-]*\).*/\1/p' "$TMP/s1.out")
ok "STARTTLS + AUTH PLAIN + PDF: 250 with a queue id" test -n "$id"
f=$TMP/spool/incoming/new/$id
ok "the message is in incoming/new under its id" test -f "$f"
is "version = 1" "$(head -1 "$f")" "the envelope starts with its version"
ok "the envelope names the account" grep -qx "account = dev1" "$f"
ok "the envelope names the TLS version" grep -q "^tls_version = TLSv1\.[23]$" "$f"
ok "the envelope has the recipient: E.164, dial string, no sub-address, original" \
    grep -qx "rcpt = +12224567654 12224567654 - FAX=+12224567654@fax.test" "$f"
ok "the PDF attachment is in the message" grep -q "application/pdf" "$f"
python3 - "$f" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
head, _, msg = data.partition(b"\n\n")
size = int([l for l in head.split(b"\n") if l.startswith(b"size = ")][0][7:])
sys.exit(0 if size == len(msg) and msg.startswith(b"Received: ") and msg.endswith(b"\r\n") else 1)
PY
ok "size = matches the message bytes, which start with Received:" test $? -eq 0
ok "Received: names the account and the cipher" \
    grep -q "(authenticated account dev1)" "$f"
sleep 0.5
ok "queued's FIFO got 'incoming ID'" grep -qx "incoming $id" "$TMP/fifo.out"

swaks_tls --to '12224567655@fax.test' --from sender@example.test \
    --auth LOGIN --auth-user dev1 --auth-password secret1 > "$TMP/s2.out" 2>&1
ok "AUTH LOGIN is accepted too" grep -q "250 2.0.0 Ok: queued as" "$TMP/s2.out"

swaks --server 127.0.0.1 --port $TLS_PORT --tlsc --helo client.test --timeout 20 \
    --to 'FAX=+12224567654/T33S=42@fax2.test' --from '<>' \
    --auth PLAIN --auth-user dev2 --auth-password secret2 > "$TMP/s3.out" 2>&1
id3=$(sed -n 's/.*250 2.0.0 Ok: queued as \([0-9a-f-]*\).*/\1/p' "$TMP/s3.out")
ok "implicit TLS: 250 with a queue id" test -n "$id3"
ok "implicit TLS: sub-address kept, empty sender kept" sh -c \
    "grep -qx 'rcpt = +12224567654 12224567654 42 FAX=+12224567654/T33S=42@fax2.test' '$TMP/spool/incoming/new/$id3' && grep -qx 'mail_from = ' '$TMP/spool/incoming/new/$id3'"
is 3 "$(count_new)" "three messages in incoming/new"
is 0 "$(ls "$TMP/spool/incoming/tmp" | wc -l)" "nothing left in incoming/tmp"
ok "one log line for the message, with id, account, TLS and recipients" \
    grep -q "id=$id accepted client=127.0.0.1 account=dev1 tls=TLSv1.[23] cipher=.* rcpts=+12224567654 nrcpts=1 size=" "$TMP/smtpd.log"
ok "no password (or its base64) in the log" sh -c \
    "! grep -q -e secret1 -e secret2 -e c2VjcmV0 -e AGRldj '$TMP/smtpd.log'"

echo secret4 | "$SMTPD" -f "$TMP/rampart.conf" -a dev4 -P '+1222*' > /dev/null
swaks_tls --to '12224567654@fax.test' --from a@b.test --auth PLAIN \
    --auth-user dev4 --auth-password secret4 > "$TMP/s4.out" 2>&1
ok "an account added with smtpd -a while smtpd runs can log in at once" \
    grep -q "250 2.0.0 Ok: queued" "$TMP/s4.out"
ok "the accounts file holds a yescrypt hash, not the password" sh -c \
    "grep -q '^dev4:[$]y[$]' '$TMP/accounts' && ! grep -q secret4 '$TMP/accounts'"

echo secret5 | "$SMTPD" -f "$TMP/rampart.conf" -a dev5 > /dev/null
swaks_tls --to '12224567654@fax.test' --from a@b.test --auth PLAIN \
    --auth-user dev5 --auth-password secret5 > "$TMP/s5.out" 2>&1
ok "a second change to the accounts file is picked up too" \
    grep -q "250 2.0.0 Ok: queued" "$TMP/s5.out"
n0=$(grep -c 'accounts reloaded' "$TMP/smtpd.log")
kill -HUP $SMTPD_PID
sleep 0.5
ok "SIGHUP reads the accounts file again and smtpd keeps running" sh -c \
    "kill -0 $SMTPD_PID && [ \$(grep -c 'accounts reloaded' '$TMP/smtpd.log') -eq $((n0 + 1)) ]"
is rampart-smtp "$(ps -o user= -p $SMTPD_PID | tr -d ' ')" "smtpd runs as rampart-smtp after start-up"
sed 's/^hostname = .*/smtp_user = root/' "$TMP/rampart.conf" > "$TMP/root.conf"
sed -i "s/:$STARTTLS_PORT/:$((STARTTLS_PORT + 5))/; s/:$TLS_PORT/:$((TLS_PORT + 5))/" "$TMP/root.conf"
timeout 10 "$SMTPD" -d -f "$TMP/root.conf" > "$TMP/root.out" 2>&1
is 78 "$?" "with smtp_user = root smtpd refuses to start (exit 78)"
ok "... and says why" grep -q "privdrop root" "$TMP/root.out"
