#!/bin/sh
# gateway-t: the whole gateway, both directions, every daemon real, on
# loopback with a throwaway spool.  An MFP account mails a PDF over
# STARTTLS + AUTH to smtpd; queued unpacks and converts it in the sandbox
# and hands the job to faxgetty, which faxes it over faxsim's line to a
# remote fax machine (pixel for pixel); queued writes the RFC 3464
# notice and notifyd delivers it over TLS (policy encrypt) to the office
# mail server (tests/notifyd/tlssink.py).  Then the remote calls in with
# caller id: faxgetty receives, queued routes the fax by called number
# and notifyd delivers it as PDF and TIFF-F to the routed address; an
# unknown caller's fax goes to the admin.  faxstat, when built, shows
# the job's whole record.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/queued/q-lib.sh"
need gs
NOTIFYD=$B/notifyd/notifyd
[ -x "$NOTIFYD" ] || bail "notifyd not built"
SINK=$((PORT_BASE + 3))

plan 21
cat > "$TMP.routes" <<ROUTES
deny tsi=STRANGER*
default allow
route did=5550100 to=frontdesk@clinic.test attach=both
route default to=fax@clinic.test
ROUTES
q_setup modem "relayhost = [127.0.0.1]:$SINK" "smtp_tls_policy = encrypt" \
    "route_file = $TMP.routes" "notifyd_retry_min = 1s" "rescan_interval = 60"
at_exit "rm -f $TMP.routes"
mkdir "$TMP/mailbox"
python3 "$top_srcdir/tests/notifyd/tlssink.py" "$SINK" "$TMP/mailbox" \
    --cert "$TMP/cert.pem" --key "$TMP/key.pem" > "$TMP/sink.log" 2>&1 &
SINK_PID=$!
at_exit "kill $SINK_PID 2>/dev/null"
wait_for_file "$TMP/mailbox/ready" 20 || bail "sink"
"$NOTIFYD" -d -v -f "$TMP/rampart.conf" > "$TMP/notifyd.log" 2>&1 &
N_PID=$!
at_exit "kill $N_PID 2>/dev/null"

printf '%%!PS\n/Helvetica findfont 30 scalefont setfont 72 700 moveto (Referral: J. Doe) show\n72 200 400 300 rectfill showpage\n' > "$TMP/doc.ps"
gs -q -dSAFER -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -o "$TMP/referral.pdf" "$TMP/doc.ps" || bail gs
sim "route 15550199 file=$TMP/remote.tif id=DR_SMITH" >/dev/null

# mail_to ADDR: the .eml in the mailbox addressed to ADDR, once there
mail_to() {
	n=0
	while :; do
		f=$(grep -l "^rcpt $1" "$TMP"/mailbox/*.env 2>/dev/null | head -1)
		[ -n "$f" ] && { echo "${f%.env}.eml"; return 0; }
		n=$((n + 1)); [ $n -gt 1800 ] && return 1; sleep 0.1
	done
}
pyeml() {	# pyeml EXPR FILE: EXPR over m, the parsed mail
	python3 -c '
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.compat32)
def ds(m):
    for p in m.walk():
        if p.get_content_type() == "message/delivery-status":
            return p.get_payload()
print('"$1"')' "$2"
}

# offramp
id=$(mail --to 'FAX=+15550199@fax.test' --header 'Subject: referral' \
    --attach-type application/pdf --attach-name referral.pdf --attach "@$TMP/referral.pdf")
ok "the MFP's mail is accepted over STARTTLS with its login" test -n "$id"
dsn=$(mail_to sender@clinic.test) || diag "$(tail -5 "$TMP/queued.log" "$TMP/notifyd.log")"
ok "the delivery notice reached the sender's mail server" test -f "$dsn"
job=$(ls "$TMP/spool/done" | head -1)
is ok "$(field "$TMP/spool/done/$job/job" outcome)" "the fax job ended ok"
ok "the remote fax machine got the PDF's page" test -s "$TMP/remote.tif"
ok "the page faxed is the page converted, pixel for pixel" \
    "$TIFFCMP" -t "$TMP/spool/done/$job/pages.tif" -- "$TMP/remote.tif"
is "multipart/report delivered 2.0.0" \
    "$(pyeml 'm.get_content_type(), ds(m)[1]["Action"], ds(m)[1]["Status"]' "$dsn" | tr -d "(),'")" \
    "the notice is an RFC 3464 report: delivered, 2.0.0"
is DR_SMITH "$(pyeml 'ds(m)[1]["X-Fax-Remote-Id"]' "$dsn")" "it names the remote's station id"
ok "the notice went over TLS" grep -q '^tls TLSv1' "${dsn%.eml}.env"
nid=$(field "$TMP/spool/done/$job/job" notice | cut -d' ' -f1)
wait_for_file "$TMP/spool/sent/$nid" 10
is delivered "$(field "$TMP/spool/sent/$nid" result)" "notifyd's record: delivered"
ok "notifyd's record: policy encrypt" grep -q '^verified = encrypt' "$TMP/spool/sent/$nid"

# onramp: an authorized caller to the front desk's number
n=0; until grep -q state=idle "$TMP/spool/status/ttySIM0"; do n=$((n + 1)); [ $n -gt 300 ] && break; sleep 0.1; done
"$MKFAX" "$TMP/in.tif" 2 || bail mkfaxtiff
sim "call 0 file=$TMP/in.tif cid=+15550177 name=CITY_HOSPITAL did=5550100 id=CITY_HOSP" >/dev/null
fax=$(mail_to frontdesk@clinic.test) || diag "$(tail -5 "$TMP/queued.log" "$TMP/faxgetty.log")"
ok "the received fax reached the routed address" test -f "$fax"
is "application/pdf image/tiff" \
    "$(pyeml '" ".join(sorted(p.get_content_type() for p in m.walk() if p.get_filename()))' "$fax")" \
    "as PDF and TIFF-F"
pyeml 'open(sys.argv[1] + ".tif", "wb").write([p for p in m.walk() if p.get_content_type() == "image/tiff"][0].get_payload(decode=True))' "$fax" >/dev/null
ok "the TIFF attached is the fax received, pixel for pixel" "$TIFFCMP" -t "$TMP/in.tif" -- "$fax.tif"
ok "the mail says who called" sh -c "grep -q '15550177' '$fax'"
ok "the fax mail went over TLS" grep -q '^tls TLSv1' "${fax%.eml}.env"
fid=$(ls "$TMP/spool/done" | grep -v "$job" | head -1)
is 1 "$(field "$TMP/spool/done/$fid/route" authorized)" "done/ keeps the route decision: authorized"

# onramp: a machine the rules refuse once it says who it is (its TSI)
n=0; until grep -q state=idle "$TMP/spool/status/ttySIM0"; do n=$((n + 1)); [ $n -gt 300 ] && break; sleep 0.1; done
sim "call 0 file=$TMP/in.tif cid=+14440100 did=5550100 id=STRANGER_PROMO" >/dev/null
adm=$(mail_to admin@rampart.test) || diag "$(tail -5 "$TMP/queued.log")"
ok "an unauthorized machine's fax goes to the admin" test -f "$adm"
ok "and not to the front desk" test "$(grep -l '^rcpt frontdesk@clinic.test' "$TMP"/mailbox/*.env | wc -l)" -eq 1

# faxstat, the whole record of the outgoing fax
if [ -x "$B/faxstat/faxstat" ]; then
	rec=$("$B/faxstat/faxstat" -S "$TMP/spool" "$job" 2>&1)
	ok "faxstat shows the record: intake over TLS" sh -c "echo '$rec' | grep -q TLSv1"
	ok "faxstat shows the record: the notice's delivery" sh -c "echo '$rec' | grep -q 'notice $(echo $nid | cut -c1-8) to sender@clinic.test: delivered'"
else
	ok "faxstat is built" false
	ok "faxstat is built" false
fi
ok "every daemon is still running" kill -0 "$Q_PID" "$N_PID" "$F_PID" "$S_PID"
