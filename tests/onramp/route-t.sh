#!/bin/sh
# route-t: real received faxes (faxsim's remote calls faxgetty's modem)
# routed and mailed by queued: the mail goes to the route's addresses
# with the text, the TIFF as received and a PDF with the same pixels; a
# DTMF code authorizes; a call broken after page 2 is mailed as
# incomplete; a junk caller is refused before the answer and the log
# names the rule.
. "$top_srcdir/tests/tap.sh"
FG_SPEED=${FG_SPEED:-8}	# line time at 8x real time: four calls, 27-35 s
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
. "$top_srcdir/tests/onramp/or-lib.sh"
need tiffinfo tiffcp pdfinfo pdftoppm mutool python3

plan 29
fg_setup -o dtmf_dids=7003
or_conf
cat > "$TMP/routes" <<'RULES'
# onramp rules for route-t
deny cid=+1900*
allow did=7003 dtmf=4711
deny did=7003
default allow
route did=7001 to=alice@clinic.test,bob@clinic.test attach=both
route did=7003 to=lab@clinic.test
RULES
chmod 644 "$TMP/routes"
fg_stop
rm -f "$TMP/spool/status/ttySIM0"	# so that fg_start waits for the new one
fg_start	# again, with route_file
at_exit qd_stop
qd_start
"$MKFAX" -f "$TMP/doc.tif" 3 || bail mkfaxtiff

# call ARGS: one incoming call; sets F to the fax id faxgetty gave it
call() {
	before=$(ls "$TMP/spool/done" | wc -l)
	sim "call 0 file=$TMP/doc.tif $*" >/dev/null || bail "faxsim call"
	n=0
	until [ "$(ls "$TMP/spool/done" | wc -l)" -gt "$before" ]; do
		n=$((n + 1)); [ $n -gt 600 ] && break; sleep 0.2
	done
	F=$(ls -t "$TMP/spool/done" | head -1)
	if [ "$(ls "$TMP/spool/done" | wc -l)" -le "$before" ]; then
		diag "the call brought no fax; the logs' ends:"
		tail -5 "$TMP/faxgetty.log" "$TMP/queued.log" "$TMP/sim.results" |
		    sed 's/^/# /'
	fi
	wait_idle
}

call cid=5551234 name=ACME did=7001 sub=42 id=CALLER9
wait_mail "$F" || diag "no mail about $F"
ok "a received fax becomes a mail in notify/new" test -f "$M"
is "fax" "$(m env-kind)" "envelope: kind fax"
is "alice@clinic.test
bob@clinic.test" "$(m env-rcpt)" "envelope: the route's two recipients"
is "alice@clinic.test, bob@clinic.test" "$(m header-to)" "To: the routed addresses"
cp "$TMP/m/text" "$TMP/text"
ok "text: the caller id" grep -q "Caller id: *5551234" "$TMP/text"
ok "text: the caller's name, TSI, called number and sub-address" \
    sh -c "grep -q 'ACME' '$TMP/text' && grep -q 'Station id: *CALLER9' '$TMP/text' && grep -q 'Called: *7001' '$TMP/text' && grep -q 'Sub-address: *42' '$TMP/text'"
ok "text: 3 pages, complete" sh -c "grep -q 'Pages: *3' '$TMP/text' && grep -q 'Status: *complete' '$TMP/text'"
cp "$TMP/m/att.pdf" "$TMP/att.pdf"
ok "TIFF attachment: the received fax.tif byte for byte" cmp "$TMP/m/att.tif" "$TMP/spool/done/$F/fax.tif"
is "faxbw" "$(sed -n 's|^image/tiff application=||p' "$TMP/m/params")" "TIFF: RFC 3965 application=faxbw"
is "3" "$(pdfinfo "$TMP/att.pdf" | sed -n 's/^Pages: *//p')" "PDF: 3 pages"
is "609.882 x 792 pts" "$(pdfinfo "$TMP/att.pdf" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]* pts\).*/\1/p')" \
    "PDF: page size from 1728 dots at 204 dpi and 2156 rows at 196 dpi (fine, not squashed)"
ok "PDF: rendered by poppler (pdftoppm -mono), all 3 pages" sh -c \
    "pdftoppm -mono -r 50 '$TMP/att.pdf' '$TMP/pp' && [ \$(ls '$TMP'/pp-*.pbm | wc -l) = 3 ]"
ok "PDF: each page renders to the received TIFF's pixels" pdf_same "$TMP/att.pdf" "$TMP/spool/done/$F/fax.tif"
ok "the received pages equal the sender's" "$TIFFCMP" -t "$TMP/doc.tif" -- "$TMP/spool/done/$F/fax.tif"
is "1" "$(field "$TMP/spool/done/$F/route" authorized)" "done/ID/route: authorized"
is "$TMP/routes:6" "$(field "$TMP/spool/done/$F/route" route)" "done/ID/route: the route's file:line"
is "$(m env-id) fax" "$(field "$TMP/spool/done/$F/route" notice)" "done/ID/route: the notice"
ok "log/onramp: one line with caller id, TSI, DID, pages and recipients" \
    grep -q "	$F	5551234	\"CALLER9\"	7001	3	complete	allow default	$TMP/routes:6	alice@clinic.test,bob@clinic.test	" \
    "$TMP/spool/log/onramp"
is 0 "$(find "$TMP/spool/recv/new" "$TMP/spool/recv/cur" -mindepth 1 | wc -l)" "nothing left in recv/"

call cid=5550199 did=7003 dtmf=4711# id=LAB
wait_mail "$F" || diag "no mail about $F"
is "lab@clinic.test" "$(m env-rcpt)" "DTMF code 4711 for 7003: routed to the lab"
is "$TMP/routes:3" "$(field "$TMP/spool/done/$F/route" rule)" "authorized by the DTMF rule (file:line)"
is "text/plain
application/pdf" "$(m types)" "the default attachment is the PDF alone"
ok "the DTMF digits are in no log" sh -c "! grep -q 4711 '$TMP/queued.log' '$TMP/faxgetty.log' '$TMP/spool/log/onramp'"

# the caller hangs up after page 2 of 3: the mail says so
call cid=5557777 did=7001 id=BROKEN hangup_after=2
wait_mail "$F" || diag "no mail about $F"
ok "incomplete call: the subject says so" grep -q "2 pages (incomplete)" "$TMP/m/header-subject"
ok "incomplete call: the text says after which page" grep -q "incomplete: the call broke after page 2" "$TMP/m/text"

# junk: refused before the answer; faxsim's call ends unanswered
lines=$(wc -l < "$TMP/sim.results" 2>/dev/null || echo 0)
sim "call 0 file=$TMP/doc.tif cid=+19005550100 did=7001" >/dev/null || bail "faxsim call"
n=0
until [ "$(wc -l < "$TMP/sim.results" 2>/dev/null || echo 0)" -gt "$lines" ]; do
	n=$((n + 1)); [ $n -gt 300 ] && break; sleep 0.2
done
ok "junk caller: faxsim's call ended with no answer" sh -c \
    "tail -n +$((lines + 1)) '$TMP/sim.results' | grep -q 'dir=in .*result=no-answer'"
ok "junk caller: faxgetty's log names the rule" \
    grep -q "caller=+19005550100 did=7001 refused by rule $TMP/routes:2: not answered" "$TMP/faxgetty.log"
is 1 "$(grep -c 'refused by rule' "$TMP/faxgetty.log")" "refused once, not at every ring"
is 3 "$(ls "$TMP/spool/done" | wc -l)" "junk caller: nothing received"
