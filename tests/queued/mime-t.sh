#!/bin/sh
# mime-t: what queued makes of the mail the world sends (tests/queued/
# mkmime.py writes the corpus): a text body alone is faxed; an HTML-only
# body, a zip called .pdf, broken base64, 300 nested multiparts and
# Outlook's winmail.dat each end in a failure notice that names the
# attachment and the reason; a 1 MB header and a forwarded message with
# an RFC 2047 name are faxed; a corrupt spool entry is moved aside with
# an alert to the admin.  queued is alive after all of it.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/queued/q-lib.sh"

plan 26
q_setup
"$MKFAX" "$TMP/doc.tif" 1 || bail mkfaxtiff
mkdir "$TMP/mime"
python3 "$top_srcdir/tests/queued/mkmime.py" "$TMP/mime" "$TMP/doc.tif" || bail mkmime

# sendm NAME: sends mime/NAME.eml; waits until queued is done with it
sendm() {
	i=$(mail --to 'FAX=+15550300@fax.test' --data "@$TMP/mime/$1.eml")
	[ -n "$i" ] || { diag "$1 refused by smtpd"; return 1; }
	n=0
	while [ -e "$TMP/spool/incoming/new/$i" ] || [ -e "$TMP/spool/incoming/cur/$i" ]; do
		n=$((n + 1)); [ $n -gt 600 ] && { diag "$1 not taken"; return 1; }
		sleep 0.1
	done
	ID=$i
}
# job: the job (jobs/ or done/) of the last message
job() { grep -l "^message = $ID\$" "$TMP"/spool/jobs/*/job "$TMP"/spool/done/*/job 2>/dev/null | head -1; }
# reason: the failed job's reason
reason() { j=$(job); [ -n "$j" ] && field "$j" reason; }
# notice_text: the readable part of the last message's notice
notice_text() {
	j=$(job); nid=$(field "$j" notice | cut -d' ' -f1)
	[ -n "$nid" ] && pyq 'm.get_payload()[0].get_payload(decode=True).decode(m.get_payload()[0].get_content_charset())' \
	    "$TMP/spool/notify/new/$nid"
}

sendm body
j=$(job)
ok "text body alone: a job" test -n "$j"
is ready "$(field "$j" state)" "text body alone: waiting for a modem"
is "1 message text" "$(field "$j" document)" "text body alone: one page, the body"

sendm html
is failed "$(field "$(job)" outcome)" "HTML-only body: failed"
ok "HTML-only body: the reason says to attach the document" \
    sh -c "echo '$(reason)' | grep -q 'only an HTML body'"
ok "HTML-only body: a notice went out" test -n "$(notice_text)"

sendm zip
ok "zip called .pdf: failed as an unsupported format" \
    sh -c "echo '$(reason)' | grep -q 'unsupported format'"
ok "zip called .pdf: the notice names the attachment (RFC 2231, UTF-8)" \
    sh -c "echo '$(notice_text)' | grep -q 'contrat sign'"

sendm broken
is failed "$(field "$(job)" outcome)" "broken base64: failed"
ok "broken base64: the reason names scan.pdf" sh -c "echo '$(reason)' | grep -q scan.pdf"

sendm nested
is failed "$(field "$(job)" outcome)" "300 nested multiparts: failed"
ok "300 nested multiparts: the reason says so" \
    sh -c "echo '$(reason)' | grep -q 'nested more than 32 levels'"

sendm tnef
ok "winmail.dat: the reason tells how to set Outlook" \
    sh -c "echo '$(reason)' | grep -q 'Outlook sent this message in its own format'"
ok "winmail.dat: a notice went out" test -n "$(notice_text)"

sendm bighdr
j=$(job)
is ready "$(field "$j" state)" "1 MB header: faxed (its text body)"
ok "1 MB header: the headers kept for the notice are cut below 256 KB" \
    test "$(wc -c < "$(dirname "$j")/headers")" -le 262144

sendm fwd
j=$(job)
is ready "$(field "$j" state)" "forwarded message: its TIFF is faxed"
ok "forwarded message: RFC 2047 name decoded" \
    sh -c "field() { sed -n \"s/^\$2 = //p\" \"\$1\"; }; field '$j' document | grep -q 'r.xc3.xa9sultats.tif'"

sendm cp1252
j=$(job)
is ready "$(field "$j" state)" "a windows-1252 text attachment is faxed"
# the same text in UTF-8, converted directly, must give the same page;
# read as UTF-8 instead (the charset lost), the page differs
printf 'Caf\303\251 \342\202\254 5' > "$TMP/utf8.txt"
printf 'Caf\351 \200 5' > "$TMP/cp1252.txt"
"$B/convert/convert" -M 0 -o "$TMP/utf8.tif" "$TMP/utf8.txt" || bail convert
"$B/convert/convert" -M 0 -o "$TMP/lost.tif" "$TMP/cp1252.txt" || bail convert
ok "its charset reached convert: the page shows Caf\303\251 \342\202\254 5" \
    "$TIFFCMP" "$TMP/utf8.tif" -- "$(dirname "$j")/pages.tif"
ok "(without the charset the page would differ)" sh -c "! '$TIFFCMP' '$TMP/lost.tif' -- '$(dirname "$j")/pages.tif' >/dev/null 2>&1"

sendm urgent
is 0 "$(field "$(job)" priority)" "Priority: urgent: priority 0, before all others"
sendm lowprio
is 255 "$(field "$(job)" priority)" "X-Priority: 5: priority 255, non-urgent"

# a corrupt entry, as a broken neighbour could leave it
bad=0f0e8a5c-6d2b-4a8e-9f3c-1b2a3c4d5e6f
printf 'version = 2\nid = %s\n\nbody\n' "$bad" > "$TMP/spool/incoming/new/$bad"
[ "$(id -u)" = 0 ] && chown rampart-smtp "$TMP/spool/incoming/new/$bad"
echo "incoming $bad" > "$TMP/spool/FIFO"
wait_for_file "$TMP/spool/incoming/bad/$bad" 10
ok "a corrupt entry goes to incoming/bad" test -f "$TMP/spool/incoming/bad/$bad"
ok "and the admin is told" sh -c "grep -l '^kind = alert' '$TMP'/spool/notify/new/* | xargs grep -l 'about = $bad' | grep -q ."
ok "queued is still running" kill -0 "$Q_PID"
