#!/bin/sh
# crash-t: queued killed with SIGKILL while it mails received faxes, and
# started again, mails each fax exactly once: the decision written before
# the mail is kept, a published mail is not published again, a mail that
# notifyd has delivered already (sent/) neither.
. "$top_srcdir/tests/tap.sh"
B=$top_builddir
MKFAX=$B/tests/tools/mkfaxtiff
. "$top_srcdir/tests/onramp/or-lib.sh"
need tiffinfo python3

N=16
plan 10
test_tmpdir
at_exit qd_stop
printf 'spool = %s/spool\nhostname = gw.test\n' "$TMP" > "$TMP/rampart.conf"
or_conf
"$B/setup/rampart-setup" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
printf 'route default to=desk@clinic.test attach=both\n' > "$TMP/routes"
chmod 644 "$TMP/routes"
"$MKFAX" -f "$TMP/doc.tif" 4 || bail mkfaxtiff

# N faxes waiting in recv/new, as faxgetty leaves them while queued is down
i=0
while [ $i -lt $N ]; do
	id=$(cat /proc/sys/kernel/random/uuid)
	d=$TMP/spool/recv/new/$id
	mkdir "$d" && cp "$TMP/doc.tif" "$d/fax.tif" || bail "fax"
	printf 'id = %s\ndevice = ttySIM0\ncaller_id = 555%04d\ncaller_name = \ndid = 7001\nsubaddress = \ntsi = T\npages = 4\nbit_rate = 14400\necm = 1\nt30_status = 0\nt30_text = OK\ncomplete = 1\ndtmf = \nstarted = 1764400000\nduration = 60\n' "$id" "$i" > "$d/meta"
	[ "$(id -u)" = 0 ] && chown -R rampart:rampart "$d"
	i=$((i + 1))
done

mails() { ls "$TMP/spool/notify/new" | wc -l; }
# kill -9 as soon as one more mail is out: in the middle of the batch
kills=0
while [ "$(ls "$TMP/spool/done" | wc -l)" -lt $N ] && [ $kills -lt 3 ]; do
	before=$(mails)
	"$QUEUED" -d -v -f "$TMP/rampart.conf" -L "$B" >> "$TMP/queued.log" 2>&1 &
	QD_PID=$!
	n=0
	until [ "$(ls "$TMP/spool/notify/new" | wc -l)" -gt "$before" ] ||
	    [ $n -gt 1000 ]; do
		n=$((n + 1)); sleep 0.005
	done
	kill -9 "$QD_PID"; wait "$QD_PID" 2>/dev/null; QD_PID=
	kills=$((kills + 1))
done
diag "killed $kills times; $(ls "$TMP/spool/done" | wc -l) of $N done then"
ok "queued was killed in the middle of the batch" test "$(ls "$TMP/spool/done" | wc -l)" -lt $N
qd_start
n=0
until [ "$(ls "$TMP/spool/done" | wc -l)" -ge $N ] || [ $n -gt 300 ]; do
	n=$((n + 1)); sleep 0.1
done
is $N "$(ls "$TMP/spool/done" | wc -l)" "after the restart every fax is done"
is 0 "$(find "$TMP/spool/recv" -mindepth 2 | wc -l)" "nothing left in recv/"
is $N "$(mails)" "exactly $N mails"
is $N "$(grep -h '^about = ' "$TMP"/spool/notify/new/* | sort -u | wc -l)" "one mail per fax"
is 0 "$(ls "$TMP/spool/notify/tmp" | wc -l)" "no half-written mail left in notify/tmp"
qd_stop

# a crash after the mail and before the move to done/: no second mail
F=$(ls "$TMP/spool/done" | head -1)
mv "$TMP/spool/done/$F" "$TMP/spool/recv/cur/$F"
qd_start
wait_mail "$F" 10 || diag "not done again"
is $N "$(mails)" "redone after the mail was published: no second mail"
qd_stop

# ... and after notifyd had sent it (notify/new/NID gone to sent/)
NID=$(sed -n 's/^notice = \([^ ]*\) fax$/\1/p' "$TMP/spool/done/$F/route")
mv "$TMP/spool/notify/new/$NID" "$TMP/spool/sent/$NID"
mv "$TMP/spool/done/$F" "$TMP/spool/recv/cur/$F"
qd_start
n=0
until [ -d "$TMP/spool/done/$F" ] || [ $n -gt 100 ]; do n=$((n + 1)); sleep 0.1; done
is $((N - 1)) "$(mails)" "redone after the mail was sent: nothing published"

# a decision made before a crash is kept even if the table changed since
printf 'route default to=someone-else@clinic.test\n' > "$TMP/routes"
NID2=$(sed -n 's/^notice = \([^ ]*\) fax$/\1/p' "$TMP/spool/done/$F/route")
rm "$TMP/spool/sent/$NID"
mv "$TMP/spool/done/$F" "$TMP/spool/recv/cur/$F"
echo "recv $F" > "$TMP/spool/FIFO"
wait_mail "$F" 10 || diag "not done again"
is "desk@clinic.test" "$(m env-rcpt)" "the recorded decision is kept: the first route's recipient"
is "$NID2" "$(m env-id)" "and the same notice id"
