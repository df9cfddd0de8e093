#!/bin/sh
# conf-check-t: -n checks a configuration: OK exits 0; unreadable file,
# unknown key, bad value exit 78 naming file:line; a spool with wrong
# modes is refused with exit 78 and every mismatch named.
. "$top_srcdir/tests/tap.sh"
setup="$top_builddir/setup/rampart-setup"
[ -x "$setup" ] || bail "no $setup"
plan 15
test_tmpdir

ok_program "the sample configuration passes -n" 0 \
    "rampart-setup: configuration $top_srcdir/etc/rampart.conf OK" \
    "$setup" -n -f "$top_srcdir/etc/rampart.conf"

# every key the sample shows, uncommented with its default, is accepted
sed 's/^#\([a-z_0-9]* = .*[^ =]\)$/\1/' "$top_srcdir/etc/rampart.conf" > "$TMP/sample.conf"
ok "the sample's keys with their defaults pass -n" "$setup" -n -f "$TMP/sample.conf"

ok "-o sets a key over the file" "$setup" -n -o max_tries=3 -o "station_id = ACME" -f "$top_srcdir/etc/rampart.conf"
ok_program "-o with an unknown key exits 78" 78 "-o bogus=1: unknown key \"bogus\"
rampart-setup: bad configuration, exiting" "$setup" -o bogus=1 -f "$top_srcdir/etc/rampart.conf"

printf 'spool = /x\nmax_tries = 3\n# fine\n' > "$TMP/good.conf"
ok "a good configuration exits 0" "$setup" -n -f "$TMP/good.conf"

printf 'spool = /x\nmax_retries = 3\n' > "$TMP/unknown.conf"
ok_program "an unknown key exits 78 with file:line" 78 \
    "$TMP/unknown.conf:2: unknown key \"max_retries\"" \
    "$setup" -n -f "$TMP/unknown.conf"

printf 'max_tries = lots\nretry_interval = 3 weeks\n' > "$TMP/bad.conf"
out=$("$setup" -n -f "$TMP/bad.conf" 2>&1); st=$?
is 78 "$st" "bad values exit 78"
is "$TMP/bad.conf:1: max_tries: bad value \"lots\"
$TMP/bad.conf:2: retry_interval: bad value \"3 weeks\"" "$out" "every bad value is named, not just the first"

printf 'spool = /x\n' > "$TMP/unreadable.conf"
chmod 000 "$TMP/unreadable.conf"
if [ "$(id -u)" -eq 0 ]; then
	# root reads anything: make it unreadable by being a directory instead
	rm -f "$TMP/unreadable.conf"; mkdir "$TMP/unreadable.conf"
fi
out=$("$setup" -n -f "$TMP/unreadable.conf" 2>&1); st=$?
is 78 "$st" "an unreadable configuration exits 78"
case $out in "$TMP/unreadable.conf: "*) r=0 ;; *) r=1 ;; esac
tap_result $r "the message names the file and the reason: $out"

ok_program "a missing -f file exits 78" 78 \
    "/nonexistent/rampart.conf: No such file or directory
rampart-setup: bad configuration, exiting" "$setup" -f /nonexistent/rampart.conf

# spool layout: created, then checked; a wrong mode is refused
printf 'user = %s\nsmtp_user = %s\n' "$(id -un)" "$(id -un)" > "$TMP/spool.conf"
ok "rampart-setup creates the spool" "$setup" -f "$TMP/spool.conf" -s "$TMP/spool"
ok_program "rampart-setup -k accepts it" 0 "rampart-setup: spool $TMP/spool OK" \
    "$setup" -k -f "$TMP/spool.conf" -s "$TMP/spool"
chmod 0755 "$TMP/spool/jobs" "$TMP/spool/recv/new"
out=$("$setup" -k -f "$TMP/spool.conf" -s "$TMP/spool" 2>&1); st=$?
is 78 "$st" "a spool with wrong modes exits 78"
case $out in *"jobs: mode 0755, want 0750"*"recv/new: mode 0755, want 0700"*) r=0 ;; *) r=1 ;; esac
tap_result $r "every wrong mode is named"
