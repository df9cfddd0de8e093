#!/bin/sh
# rules-t: the onramp's authorization and routing, and its PDF and S/MIME
# mail, on received-fax entries made the way faxgetty publishes them
# (route-t takes real calls): denied by caller id, TSI or DTMF code and
# by default -> the admin with the reason; routes by called number,
# sub-address and TSI, the default route, unroutable -> the admin; an
# incomplete fax flagged; PDF from MH, MR, MMR, multi-strip, B4 and
# inverted TIFFs equal to the TIFF's pixels; S/MIME decrypted by
# openssl cms; a 50-page fine fax to 3 recipients; -n names bad lines.
. "$top_srcdir/tests/tap.sh"
B=$top_builddir
MKFAX=$B/tests/tools/mkfaxtiff
. "$top_srcdir/tests/onramp/or-lib.sh"
need tiffinfo tiffcp pdfinfo mutool openssl python3
MKTIFF="python3 $top_srcdir/tests/onramp/mktiff.py"

plan 61
test_tmpdir
at_exit qd_stop
printf 'spool = %s/spool\nhostname = gw.test\n' "$TMP" > "$TMP/rampart.conf"
or_conf
"$B/setup/rampart-setup" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
R=$TMP/routes
rules() { cat > "$R"; chmod 644 "$R"; }
field() { sed -n "s/^$2 = //p" "$1"; }

# -n: the table is checked with the configuration, bad lines by file:line
rules <<'EOF2'
deny cid=+1900*
allow did=7003 dtmf=4711
deny tsi=
route did=7001
route sub=42 to=not-an-address
frobnicate
route default to=desk@clinic.test attach=pdf
route did=7002 to=x@clinic.test encrypt=/nonexistent/cert.pem
EOF2
"$QUEUED" -n -f "$TMP/rampart.conf" > "$TMP/n.out" 2>&1
is 78 $? "queued -n: a bad table is a configuration error"
ok "-n: an empty pattern named by file:line" grep -q "^$R:3: bad tsi pattern" "$TMP/n.out"
ok "-n: a route without to=" grep -q "^$R:4: a route needs to=" "$TMP/n.out"
ok "-n: a bad address" grep -q "^$R:5: bad address" "$TMP/n.out"
ok "-n: an unknown rule" grep -q "^$R:6: unknown rule" "$TMP/n.out"
"$B/faxgetty/faxgetty" -n -f "$TMP/rampart.conf" > "$TMP/nf.out" 2>&1
ok "faxgetty -n reports the same table errors" grep -q "^$R:4: a route needs to=" "$TMP/nf.out"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/alice.key" \
    -out "$TMP/alice.pem" -subj /CN=alice -days 2 >/dev/null 2>&1 || bail "openssl req"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TMP/bob.key" -out "$TMP/bob.pem" -subj /CN=bob -days 2 \
    >/dev/null 2>&1 || bail "openssl req ec"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$TMP/eve.key" -out "$TMP/eve.pem" -subj /CN=eve -days 2 \
    >/dev/null 2>&1 || bail "openssl req eve"
cat "$TMP/alice.pem" "$TMP/bob.pem" > "$TMP/both.pem"
chmod 644 "$TMP"/*.pem
rules <<EOF2
# deny lines first: first match wins
deny cid=+1900*
allow did=7003 dtmf=4711
deny did=7003
deny tsi=JUNK*
default allow
route did=7001 to=alice@clinic.test,bob@clinic.test attach=both
route sub=42 to=sub42@clinic.test attach=tiff
route tsi=ACME* to=acme-desk@clinic.test
route did=7005 to=alice@clinic.test,bob@clinic.test encrypt=$TMP/both.pem
route did=7006 to=gone@clinic.test encrypt=$TMP/gone.pem
route default to=desk@clinic.test
EOF2
cp "$TMP/both.pem" "$TMP/gone.pem"
"$QUEUED" -n -f "$TMP/rampart.conf" > "$TMP/n.out" 2>&1
is 0 $? "queued -n: a good table and its certificates pass"
rm "$TMP/gone.pem"
"$QUEUED" -n -f "$TMP/rampart.conf" > "$TMP/n.out" 2>&1
ok "-n: a missing certificate named by file:line" grep -q "^$R:11: encrypt: " "$TMP/n.out"

qd_start
ok "a missing certificate does not keep queued from starting: a warning" \
    grep -q "^$R:11: warning: encrypt: " "$TMP/queued.log"
"$MKFAX" "$TMP/doc.tif" 2 || bail mkfaxtiff

# one fax; sets F, M; "admin" / "rcpt" checks follow
fax() { F=$(inject "$TMP/doc.tif" "$@"); wait_mail "$F" || diag "no mail about $F"; }

fax caller_id=+19005550100
is "admin@gw.test" "$(m env-rcpt)" "denied caller id: the mail goes to the admin only"
ok "denied caller id: the reason names the rule" grep -q "NOT delivered to a recipient: not authorized: refused by rule $R:2" "$TMP/m/text"
ok "denied caller id: the subject says so" grep -q '^Unauthorized fax from +19005550100' "$TMP/m/header-subject"
is "0" "$(field "$TMP/spool/done/$F/route" authorized)" "route file: not authorized"
is "admin" "$(field "$TMP/spool/done/$F/route" route)" "route file: to the admin"
ok "the admin gets the PDF" grep -qx application/pdf "$TMP/m/types"
ok "log/onramp: deny and the rule" grep -q "	$F	+19005550100	.*	deny $R:2	admin	admin@gw.test	" "$TMP/spool/log/onramp"

fax tsi=JUNKFAX
is "admin@gw.test" "$(m env-rcpt)" "denied TSI: to the admin"
is "$R:5" "$(field "$TMP/spool/done/$F/route" rule)" "denied TSI: by its rule"

fax did=7003 dtmf=1234
is "admin@gw.test" "$(m env-rcpt)" "wrong DTMF code: to the admin"
is "$R:4" "$(field "$TMP/spool/done/$F/route" rule)" "wrong DTMF code: the deny for 7003 decided"
fax did=7003 dtmf=4711
is "desk@clinic.test" "$(m env-rcpt)" "right DTMF code: authorized (default route)"
is "$R:3" "$(field "$TMP/spool/done/$F/route" rule)" "right DTMF code: by its rule"

fax did=7009 subaddress=42
is "sub42@clinic.test" "$(m env-rcpt)" "routed by T.33 sub-address"
is "text/plain
image/tiff" "$(m types)" "attach=tiff: the TIFF alone"
fax did=7009 tsi="ACME Corp"
is "acme-desk@clinic.test" "$(m env-rcpt)" "routed by TSI (wildcard)"
fax did=7009
is "desk@clinic.test" "$(m env-rcpt)" "the default route"
is "default" "$(field "$TMP/spool/done/$F/route" route)" "route file: default"

fax did=7001 pages=2 complete=0 t30_status=49
ok "incomplete: the subject says so" grep -q '2 pages (incomplete)' "$TMP/m/header-subject"
ok "incomplete: the text says after which page" grep -q 'incomplete: the call broke after page 2' "$TMP/m/text"

# a bad meta file: the fax is kept and goes to the admin
id=$(cat /proc/sys/kernel/random/uuid)
mkdir "$TMP/spool/recv/new/$id" && cp "$TMP/doc.tif" "$TMP/spool/recv/new/$id/fax.tif"
printf 'id = %s\nthis is not a meta line\n' "$id" > "$TMP/spool/recv/new/$id/meta"
[ "$(id -u)" = 0 ] && chown -R rampart:rampart "$TMP/spool/recv/new/$id"
echo "recv $id" > "$TMP/spool/FIFO"
wait_mail "$id" || diag "no mail about $id"
is "admin@gw.test" "$(m env-rcpt)" "unreadable meta: to the admin"
ok "unreadable meta: the reason says so" grep -q 'meta file is unreadable (line 2)' "$TMP/m/text"
is "Unauthorized fax from an unknown caller" "$(m header-subject)" "unreadable meta: the subject says no more than it knows"

# unroutable: a table without a default route
rules <<'EOF2'
route did=7001 to=alice@clinic.test
EOF2
fax did=7777 subaddress=9 tsi=NOBODY
is "admin@gw.test" "$(m env-rcpt)" "unroutable: to the admin"
ok "unroutable: the reason names what was looked at" grep -q 'unroutable: no route for called number "7777", sub-address "9", TSI "NOBODY"' "$TMP/m/text"
rules <<'EOF2'
allow cid=5551234
default deny
route default to=desk@clinic.test
EOF2
fax caller_id=5550000
is "admin@gw.test" "$(m env-rcpt)" "default deny: an unknown caller to the admin"
ok "default deny: the reason" grep -q 'not authorized: the default is deny' "$TMP/m/text"
fax caller_id=5551234
is "desk@clinic.test" "$(m env-rcpt)" "default deny: an allowed caller routed"

# S/MIME: one mail encrypted to both recipients' certificates
rules <<EOF2
route did=7005 to=alice@clinic.test,bob@clinic.test encrypt=$TMP/both.pem attach=both
route did=7006 to=gone@clinic.test encrypt=$TMP/gone.pem
EOF2
fax did=7005
is "application/pkcs7-mime" "$(m types)" "S/MIME: the body is one application/pkcs7-mime part"
is "enveloped-data" "$(sed -n 's|^application/pkcs7-mime smime-type=||p' "$TMP/m/params")" "S/MIME: smime-type=enveloped-data"
ok "S/MIME: the subject does not name the caller" sh -c "! grep -q 5551234 '$TMP/m/header-subject'"
ok "S/MIME: nothing of the fax in clear" sh -c "! grep -q -e 5551234 -e CALLER9 '$M'"
cp "$TMP/m/message.eml" "$TMP/smime.eml"
openssl cms -decrypt -in "$TMP/smime.eml" -recip "$TMP/alice.pem" \
    -inkey "$TMP/alice.key" -out "$TMP/dec-a.eml" 2>"$TMP/cms.err"
is 0 $? "S/MIME: alice's key (RSA) decrypts it"
openssl cms -decrypt -in "$TMP/smime.eml" -recip "$TMP/bob.pem" \
    -inkey "$TMP/bob.key" -out "$TMP/dec-b.eml" 2>>"$TMP/cms.err"
is 0 $? "S/MIME: bob's key (EC) decrypts it"
ok "S/MIME: both get the same mail" cmp "$TMP/dec-a.eml" "$TMP/dec-b.eml"
openssl cms -decrypt -in "$TMP/smime.eml" -recip "$TMP/eve.pem" \
    -inkey "$TMP/eve.key" -out "$TMP/dec-e.eml" 2>/dev/null
isnt_zero=$?
ok "S/MIME: another key does not" test "$isnt_zero" -ne 0
ok "S/MIME: AES-256" sh -c "openssl cms -cmsout -print -in '$TMP/smime.eml' | grep -q aes-256-cbc"
$MAILPART "$TMP/dec-a.eml" dump "$TMP/d"
ok "S/MIME: the decrypted text has the caller id" grep -q 'Caller id: *5551234' "$TMP/d/text"
ok "S/MIME: the decrypted TIFF is the fax" cmp "$TMP/d/att.tif" "$TMP/spool/done/$F/fax.tif"
ok "S/MIME: the decrypted PDF has the fax's pixels" pdf_same "$TMP/d/att.pdf" "$TMP/doc.tif"
fax did=7006
is "admin@gw.test" "$(m env-rcpt)" "S/MIME impossible (certificate gone): to the admin, never in clear to the recipient"
ok "S/MIME impossible: the reason says so" grep -q 'could not be encrypted' "$TMP/m/text"

# PDF from every coding faxes come in, byte for byte
rules <<'EOF2'
route default to=desk@clinic.test attach=both
EOF2
pdfcheck() {	# TIF WHAT SIZE
	F=$(inject "$1"); wait_mail "$F" || diag "no mail about $F"
	ok "PDF $2: the TIFF's pixels" pdf_same "$TMP/m/att.pdf" "$1"
	if [ -n "$3" ]; then
		is "$3" "$(pdfinfo "$TMP/m/att.pdf" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]* pts\).*/\1/p')" "PDF $2: page size $3"
	fi
}
tiffcp -c g3:1d -f msb2lsb "$TMP/doc.tif" "$TMP/mh.tif"
pdfcheck "$TMP/mh.tif" "MH, msb2lsb" "609.882 x 792 pts"
tiffcp -c g3:2d:fill "$TMP/doc.tif" "$TMP/mr.tif"
pdfcheck "$TMP/mr.tif" "MR with fill bits"
tiffcp -c g4 -r 100 "$TMP/doc.tif" "$TMP/mmr.tif"
pdfcheck "$TMP/mmr.tif" "MMR in strips of 100 rows"
$MKTIFF "$TMP/b4raw.tif" 2048 1200 204 98 && tiffcp -c g4 "$TMP/b4raw.tif" "$TMP/b4.tif"
pdfcheck "$TMP/b4.tif" "B4 (2048 dots) shown whole" "722.823 x 881.633 pts"
$MKTIFF "$TMP/invraw.tif" 1728 500 204 196 minisblack && tiffcp -c g3:2d "$TMP/invraw.tif" "$TMP/inv.tif"
pdfcheck "$TMP/inv.tif" "min-is-black (BlackIs1)"

# 50 fine pages to 3 recipients
"$MKFAX" -f "$TMP/big.tif" 50 || bail mkfaxtiff
rules <<'EOF2'
route default to=a@clinic.test,b@clinic.test,c@clinic.test attach=both
EOF2
F=$(inject "$TMP/big.tif"); wait_mail "$F" 60 || diag "no mail about $F"
is "a@clinic.test
b@clinic.test
c@clinic.test" "$(m env-rcpt)" "50 pages: one mail to 3 recipients"
is 50 "$(pdfinfo "$TMP/m/att.pdf" | sed -n 's/^Pages: *//p')" "50 pages: 50 PDF pages"
ok "50 pages: every page has the TIFF's pixels" pdf_same "$TMP/m/att.pdf" "$TMP/big.tif"
