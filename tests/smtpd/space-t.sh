#!/bin/sh
# space-t: smtpd refuses DATA with a 452 while the spool's filesystem has
# less room than two messages of the largest size, or under 100 inodes,
# and queues again once there is room.  The spool is a small tmpfs in a
# mount namespace of the test's own (root only, as in CI).
. "$top_srcdir/tests/tap.sh"
[ "$(id -u)" = 0 ] || bail "needs root, for a tmpfs in a mount namespace"
if [ -z "${SPACE_T_NS:-}" ]; then
	SPACE_T_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"

plan 9

# small_spool OPTIONS: a fresh tmpfs as the spool, made by rampart-setup
small_spool() {
	mountpoint -q "$TMP/spool" && umount "$TMP/spool"
	mkdir -p "$TMP/spool"
	mount -t tmpfs -o "$1,mode=0755" tmpfs "$TMP/spool" || bail "mount tmpfs"
	"$SETUP" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
}

# smtpd first: a busy tmpfs does not unmount
unmount_spool() {
	smtpd_stop
	mountpoint -q "$TMP/spool" && umount "$TMP/spool"
}

# 16 MB of room, messages of up to 10 MB: two do not fit
smtpd_setup "max_message_size = 10M"
smtpd_stop
at_exit unmount_spool
make_pdf "$TMP/doc.pdf"
small_spool size=16m
echo secret1 | "$SMTPD" -f "$TMP/rampart.conf" -a dev1 -P '+1222*' >/dev/null ||
    bail "add dev1"
chown rampart-smtp "$TMP/accounts"
smtpd_start

send() {
	swaks_tls --auth PLAIN --auth-user dev1 --auth-password secret1 \
	    --from mfp@clinic.test --to 12225550100@fax.test \
	    --attach "$TMP/doc.pdf" > "$TMP/swaks.out" 2>&1
	st=$?
	grep -E '^ *<~' "$TMP/swaks.out" | tail -2 | sed 's/^/# /'
	return $st
}

send; st=$?
ok "room for less than two messages: refused" test $st -ne 0
ok "452 4.3.1 insufficient system storage" \
    grep -q "^<~\* *452 4.3.1 insufficient system storage" "$TMP/swaks.out"
is 0 "$(count_new)" "nothing queued"
ok "the log says why" grep -q "spool nearly full, DATA refused" "$TMP/smtpd.log"

smtpd_restart "max_message_size = 1M"
send; st=$?
ok "room for two 1 MB messages: queued" \
    grep -q "^<~ *250 2.0.0 Ok: queued" "$TMP/swaks.out"
is 1 "$(count_new)" "one message in incoming/new"

# plenty of bytes, but fewer than 100 free inodes
smtpd_stop
n=$(df -i "$TMP/spool" | awk 'NR == 2 { print $3 }')
small_spool "size=64m,nr_inodes=$((n + 150))"
used=$(df -i "$TMP/spool" | awk 'NR == 2 { print $3 }')
i=0
mkdir "$TMP/spool/fill"
while [ $(( $(df -i "$TMP/spool" | awk 'NR == 2 { print $4 }') )) -ge 100 ]; do
	: > "$TMP/spool/fill/$i" || break
	i=$((i + 1))
done
diag "inodes: $used used by the spool, $i more taken"
smtpd_start
send; st=$?
ok "fewer than 100 inodes: refused" \
    grep -q "^<~\* *452 4.3.1" "$TMP/swaks.out"
ok "smtpd is still running" kill -0 "$SMTPD_PID"
rm -rf "$TMP/spool/fill"
send; st=$?
ok "inodes back: queued" grep -q "^<~ *250 2.0.0 Ok: queued" "$TMP/swaks.out"
