#!/bin/sh
# offramp-t: mail to fax with no hand in between: swaks -> smtpd -> queued
# (unpack, convert once, one job per recipient) -> faxgetty -> faxsim's
# remote, which receives the pages pixel for pixel; then the notice, an
# RFC 3464 report parsed back and its fields checked.  A message with a
# recipient twice makes one job for it; the same message delivered again
# (same Message-ID) makes no second job; per-message notices: one report
# for all recipients.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/queued/q-lib.sh"

plan 27
# rescan_interval 60: every hand-off must come through the FIFOs
q_setup modem "notify = per-message" "rescan_interval = 60"
"$MKFAX" "$TMP/doc.tif" 2 || bail mkfaxtiff
sim "route 15550100 file=$TMP/rx-a.tif id=REMOTE_A" >/dev/null
sim "route 15550101 file=$TMP/rx-b.tif id=REMOTE_B" >/dev/null

id=$(mail --to 'FAX=+15550100@fax.test,+1-555-0101@fax.test,15550100@fax.test' \
    --header 'Message-Id: <twice@clinic.test>' --header 'Subject: referral J. Doe' \
    --attach-type image/tiff --attach-name "referral.tif" --attach "@$TMP/doc.tif")
ok "smtpd accepted the message" test -n "$id"
wait_for jobs 1 30
wait_for done 2 240 || diag "$(tail -20 "$TMP/queued.log")"
is 2 "$(count done)" "three recipients, one of them twice: two jobs, both finished"
is 0 "$(count incoming/cur)" "the message is gone from incoming/"
is 0 "$(count msgs)" "and its work directory too"
is 1 "$(grep -c "id=$id document=0 pages=2 converted" "$TMP/queued.log")" \
    "the attachment was converted once for both jobs"
ok "faxgetty's FIFO wake-ups reached queued whole" sh -c "! grep -q 'bad name' '$TMP/queued.log'"
ok "remote A got the document pixel for pixel" "$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/rx-a.tif"
ok "remote B got the document pixel for pixel" "$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/rx-b.tif"

for d in "$TMP"/spool/done/*; do
	j=$d/job
	is ok "$(field "$j" outcome)" "job $(field "$j" e164): outcome ok"
	ok "job $(field "$j" e164): intake envelope kept (TLS, account)" \
	    grep -q "^tls_version = TLSv1" "$d/envelope"
	ok "job $(field "$j" e164): try 1's result kept" test -f "$d/result.1"
done

wait_for notify/new 1 10
is 1 "$(count notify/new)" "per-message: one notice for the two recipients"
n=$(ls -d "$TMP"/spool/notify/new/* | head -1)
is dsn "$(field "$n" kind)" "the notice is a dsn"
is "" "$(field "$n" mail_from)" "sent from the null sender"
is sender@clinic.test "$(field "$n" rcpt)" "to the message's envelope sender"
is "multipart/report delivery-status" \
    "$(pyq 'm.get_content_type(), m.get_param("report-type")' "$n" | tr -d "(),'")" \
    "multipart/report; report-type=delivery-status"
is "delivered delivered" "$(pyq '" ".join(g["Action"] for g in ds(m)[1:])' "$n")" \
    "both recipients: Action delivered"
is "2.0.0 2.0.0" "$(pyq '" ".join(g["Status"] for g in ds(m)[1:])' "$n")" "Status 2.0.0"
is "2 2" "$(pyq '" ".join(g["X-Fax-Pages-Confirmed"] for g in ds(m)[1:])' "$n")" \
    "pages confirmed per recipient"
is "REMOTE_A REMOTE_B" "$(pyq '" ".join(sorted(g["X-Fax-Remote-Id"] for g in ds(m)[1:]))' "$n")" \
    "the remotes' station ids"
is "Fax: 2 of 2 recipients delivered (referral J. Doe)" "$(pyq 'm["Subject"]' "$n")" \
    "the report's subject names the message's"

# the same message again: no new jobs
id2=$(mail --to 'FAX=+15550100@fax.test' --header 'Message-Id: <twice@clinic.test>' \
    --header 'Subject: referral J. Doe' --attach-type image/tiff \
    --attach-name "referral.tif" --attach "@$TMP/doc.tif")
ok "the second delivery is accepted" test -n "$id2"
n=0; while [ -e "$TMP/spool/incoming/cur/$id2" ] || [ -e "$TMP/spool/incoming/new/$id2" ]; do
	n=$((n + 1)); [ $n -gt 300 ] && break; sleep 0.1; done
is 0 "$(count jobs)" "the same Message-ID again: no second job"
ok "and the log says why" grep -q "id=$id2 .*delivered before" "$TMP/queued.log"
