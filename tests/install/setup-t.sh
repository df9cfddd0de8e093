#!/bin/sh
# setup-t: rampart-setup, the users-and-spool step of an installation, is
# idempotent: a second run changes no owner, mode or file, leaves what is
# queued alone, repairs a wrong mode that -k reports, and -k passes after.
# As root (CI) the owners are the real rampart and rampart-smtp users.
. "$top_srcdir/tests/tap.sh"
SETUP=$top_builddir/setup/rampart-setup
[ -x "$SETUP" ] || bail "$SETUP not built"
test_tmpdir
printf 'spool = %s/spool\n' "$TMP" > "$TMP/rampart.conf"
plan 11

listing() {
	(cd "$TMP/spool" && find . -printf '%p %u %g %m %y\n' | sort)
}
ok "first run creates the spool" "$SETUP" -f "$TMP/rampart.conf"
listing > "$TMP/first"
ok "-k passes" "$SETUP" -k -f "$TMP/rampart.conf"
is "p 620" "$(stat -c '%F' "$TMP/spool/FIFO" | sed 's/^fifo$/p/') $(stat -c %a "$TMP/spool/FIFO")" "FIFO made, mode 0620"
if [ "$(id -u)" = 0 ]; then
	is "rampart rampart 750" "$(stat -c '%U %G %a' "$TMP/spool/jobs")" "jobs/ owned by rampart, 0750 (rampart-spool(5))"
	is "rampart-smtp rampart" "$(stat -c '%U %G' "$TMP/spool/incoming/tmp")" "incoming/tmp owned by rampart-smtp"
else
	is "$(id -un)" "$(stat -c %U "$TMP/spool/jobs")" "jobs/ owned by the caller (not root)"
	is "$(id -un)" "$(stat -c %U "$TMP/spool/incoming/tmp")" "incoming/tmp owned by the caller (not root)"
fi

# a message waiting in incoming/new survives a second run untouched
echo "queued message" > "$TMP/spool/incoming/new/msg1"
touch -d '2020-01-01 00:00:00' "$TMP/spool/incoming/new/msg1"
before=$(stat -c '%s %Y %U %a' "$TMP/spool/incoming/new/msg1")
listing > "$TMP/before2"
ok "second run succeeds" "$SETUP" -f "$TMP/rampart.conf"
listing > "$TMP/second"
ok "second run changes no owner, mode or entry" cmp "$TMP/before2" "$TMP/second"
is "$before" "$(stat -c '%s %Y %U %a' "$TMP/spool/incoming/new/msg1")" "queued message untouched"

# a wrong mode: -k names it and fails, a run repairs it
chmod 0777 "$TMP/spool/jobs"
out=$("$SETUP" -k -f "$TMP/rampart.conf" 2>&1); st=$?
is "78 1" "$st $(printf '%s\n' "$out" | grep -c jobs)" "-k fails (78) and names jobs/"
ok "third run repairs it" "$SETUP" -f "$TMP/rampart.conf"
listing > "$TMP/third"
ok "the layout is the second run's again" cmp "$TMP/second" "$TMP/third"
