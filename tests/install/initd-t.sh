#!/bin/sh
# initd-t: the SysV init scripts (as built, etc/init.d/) start, report,
# reload and stop queued and smtpd, and faxgetty for one modem (a faxsim
# pty), through start-stop-daemon and their pid files, on a scratch spool
# with a scratch configuration: the scripts' defaults file
# (RAMPART_DEFAULTS) points them at copies of the build's programs.
. "$top_srcdir/tests/tap.sh"
need start-stop-daemon openssl
B=$top_builddir
test_tmpdir
for p in "$B/etc/init.d/rampart-queued" "$B/etc/init.d/rampart-smtpd" \
    "$B/etc/init.d/faxgetty" "$B/faxgetty/faxgetty" "$B/faxsim/faxsim" \
    "$B/queued/queued" "$B/smtpd/smtpd" "$B/setup/rampart-setup"; do
	[ -x "$p" ] || bail "$p not built"
done
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1 || bail "certificate"
cat > "$TMP/rampart.conf" <<CONF
spool = $TMP/spool
hostname = rampart.test
smtpd_listen_starttls = 127.0.0.1:$PORT_BASE
smtpd_listen_tls = 127.0.0.1:$((PORT_BASE + 1))
tls_cert_file = $TMP/cert.pem
tls_key_file = $TMP/key.pem
accounts_file = $TMP/accounts
fax_domains = fax.test
lock_dir = $TMP/lock
station_id = RAMPART-TEST
CONF
mkdir "$TMP/lock" "$TMP/sim"
[ "$(id -u)" = 0 ] && chown rampart "$TMP/lock"
: > "$TMP/accounts"
chmod 600 "$TMP/accounts"
[ "$(id -u)" = 0 ] && chown rampart-smtp "$TMP/accounts"
cat > "$TMP/defaults" <<DEF
CONF=$TMP/rampart.conf
PIDDIR=$TMP/run
SBINDIR=$B/setup
DEF
export RAMPART_DEFAULTS="$TMP/defaults"
# the scripts take a daemon from LIBEXECDIR: copies, because
# start-stop-daemon --exec matches a file (its inode), and other tests run
# the build's own smtpd and queued at the same time
mkdir "$TMP/libexec" "$TMP/sbin"
cp "$B/queued/queued" "$B/smtpd/smtpd" "$TMP/libexec/"
cp "$B/faxgetty/faxgetty" "$B/setup/rampart-setup" "$TMP/sbin/"
echo "LIBEXECDIR=$TMP/libexec" >> "$TMP/defaults"
echo "SBINDIR=$TMP/sbin" >> "$TMP/defaults"
Q="$B/etc/init.d/rampart-queued" SM="$B/etc/init.d/rampart-smtpd"
FG="$B/etc/init.d/faxgetty" DEV="$TMP/sim/ttySIM0"
at_exit '"$Q" stop >/dev/null 2>&1; "$SM" stop >/dev/null 2>&1; "$FG" stop "$DEV" >/dev/null 2>&1'
# the spool exists before the first start (root: the script makes it too)
"$B/setup/rampart-setup" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
plan 28

# gone: no such process, or a zombie (stopped; pid 1 has yet to reap it)
gone() { [ ! -e "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
alive() { [ -n "$1" ] && ! gone "$1"; }
pidof_file() { cat "$TMP/run/$1.pid" 2>/dev/null; }

# queued: backgrounded by start-stop-daemon, which writes the pid file
ok_program "queued: status before start is 3" 3 "rampart-queued is not running" "$Q" status
ok "queued: start" "$Q" start
p1=$(pidof_file queued)
ok "queued: pid file names a live queued" alive "$p1"
is "$TMP/libexec/queued" "$(readlink -f /proc/"$p1"/exe)" "queued: pid file's process runs queued"
ok_program "queued: status running" 0 "rampart-queued is running (pid $p1)" "$Q" status
ok "queued: reload" "$Q" reload
p2=$(pidof_file queued)
ok "queued: reload restarted it (new pid, old one gone)" \
    eval '[ "$p2" != "$p1" ] && alive "$p2" && gone "$p1"'
ok "queued: stop" "$Q" stop
ok "queued: stopped, pid file removed" eval 'gone "$p2" && [ ! -e "$TMP/run/queued.pid" ]'
ok_program "queued: status after stop is 3" 3 "rampart-queued is not running" "$Q" status

# smtpd: forks by itself; the script records its pid; reload is SIGHUP.
# A second smtpd of the same executable (other ports) runs meanwhile: the
# script must record and stop its own, not this one.
sed "s/:$PORT_BASE\$/:$((PORT_BASE + 2))/; s/:$((PORT_BASE + 1))\$/:$((PORT_BASE + 3))/" \
    "$TMP/rampart.conf" > "$TMP/decoy.conf"
"$TMP/libexec/smtpd" -d -f "$TMP/decoy.conf" 2> "$TMP/decoy.log" &
decoy=$!
at_exit 'kill $decoy 2>/dev/null'
wait_for_file "$TMP/decoy.log" && sleep 0.5
alive "$decoy" || { cat "$TMP/decoy.log"; bail "decoy smtpd"; }
ok "smtpd: start" "$SM" start
s1=$(pidof_file smtpd)
ok "smtpd: pid file names a live smtpd" alive "$s1"
ok "smtpd: pid file names the new smtpd, not the other one" test "$s1" != "$decoy"
ok "smtpd: it listens" sh -c "openssl s_client -connect 127.0.0.1:$((PORT_BASE + 1)) </dev/null >/dev/null 2>&1"
ok "smtpd: reload (SIGHUP)" "$SM" reload
sleep 0.5
ok "smtpd: same process after reload" alive "$s1"
ok_program "smtpd: status running" 0 "rampart-smtpd is running (pid $s1)" "$SM" status
ok "smtpd: stop" "$SM" stop
ok "smtpd: gone, pid file removed" eval 'gone "$s1" && [ ! -e "$TMP/run/smtpd.pid" ]'
ok "smtpd: the other smtpd still runs" alive "$decoy"

# faxgetty: one per modem, the device on the command line (a faxsim modem)
"$B/faxsim/faxsim" -d -D "$TMP/sim" -n 1 -c "$TMP/sim.sock" > "$TMP/faxsim.log" 2>&1 &
sim=$!
at_exit 'kill $sim 2>/dev/null'
wait_for_file "$TMP/sim.sock" 10 || bail "faxsim"
ok_program "faxgetty: no modems configured, status 3" 3 \
    "faxgetty: no modems (FAXGETTY_DEVICES)" "$FG" status
ok "faxgetty: start $DEV" "$FG" start "$DEV"
f1=$(pidof_file faxgetty-ttySIM0)
ok "faxgetty: pid file faxgetty-ttySIM0.pid names a live faxgetty" alive "$f1"
ok "faxgetty: it drove the modem to idle" eval \
    'wait_for_file "$TMP/spool/status/ttySIM0" 20 && grep -q "state=idle" "$TMP/spool/status/ttySIM0"'
ok_program "faxgetty: status of the modem" 0 "faxgetty $DEV is running (pid $f1)" "$FG" status "$DEV"
ok "faxgetty: restart $DEV" "$FG" restart "$DEV"
f2=$(pidof_file faxgetty-ttySIM0)
ok "faxgetty: restarted (new pid, old one gone)" eval '[ "$f2" != "$f1" ] && alive "$f2" && gone "$f1"'
ok "faxgetty: stop $DEV" eval '"$FG" stop "$DEV" && gone "$f2"'
