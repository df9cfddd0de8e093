#!/bin/sh
# bench/smtpd/run.sh: messages per second and latency of rampart's smtpd
# against Postfix's smtpd on the same machine in the same run, with the
# same load client (smtpload.c): STARTTLS + AUTH PLAIN + one 100 kB message
# per session, 16 and 64 concurrent sessions.
#
# Postfix is set up equivalently in a private instance: mandatory TLS 1.2+
# (smtpd_tls_security_level = encrypt), Cyrus SASL from a sasldb, its queue
# on the same disk, every message discarded after queueing (discard:).
#
# usage (as root): bench/smtpd/run.sh [BUILDDIR] [SECONDS]
# needs: postfix sasl2-bin libsasl2-modules openssl, a built smtpd and
# rampart-setup in BUILDDIR (default: the current directory).
set -eu
B=$(cd "${1:-.}" && pwd)
SECS=${2:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
D=$(mktemp -d /var/tmp/smtpd-bench.XXXXXX)
chmod 755 "$D"
RPORT=22587 PPORT=22525
RPID=

cleanup() {
	[ -n "$RPID" ] && kill "$RPID" 2>/dev/null
	postfix -c "$D/pf/etc" stop >/dev/null 2>&1 || true
	[ -n "${KEEP:-}" ] || rm -rf "$D"
}
trap cleanup EXIT INT TERM

cc -O2 -Wall -o "$D/smtpload" "$HERE/smtpload.c" $(pkg-config --cflags --libs openssl) -lpthread

# one certificate for both servers
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=bench.test \
    -keyout "$D/key.pem" -out "$D/cert.pem" >/dev/null 2>&1
chmod 644 "$D/key.pem"

# rampart
cat > "$D/rampart.conf" <<EOF
spool = $D/spool
hostname = bench.test
smtpd_listen_starttls = 127.0.0.1:$RPORT
smtpd_listen_tls =
tls_cert_file = $D/cert.pem
tls_key_file = $D/key.pem
accounts_file = $D/accounts
fax_domains = fax.test
smtpd_max_connections_per_client = 1000
EOF
"$B/setup/rampart-setup" -f "$D/rampart.conf" >/dev/null
echo benchpass | "$B/smtpd/smtpd" -f "$D/rampart.conf" -a bench >/dev/null
chown rampart-smtp "$D/accounts"
"$B/smtpd/smtpd" -d -f "$D/rampart.conf" 2>"$D/rampart.log" &
RPID=$!

# postfix: a private instance
P=$D/pf
mkdir -p "$P/etc" "$P/queue" "$P/data" "$P/sasl"
chown postfix "$P/data"
cat > "$P/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $P/queue
data_directory = $P/data
myhostname = bench.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
default_transport = discard
local_transport = discard
relay_transport = discard
virtual_transport = discard
smtpd_tls_cert_file = $D/cert.pem
smtpd_tls_key_file = $D/key.pem
smtpd_tls_security_level = encrypt
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $P/sasl
smtpd_sasl_local_domain = bench.test
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
message_size_limit = 26214400
maillog_file = $P/maillog
EOF
# every service unchrooted but smtpd, which (as on Debian) is chrooted to
# the queue and finds its sasldb at etc/sasldb2 there
sed -e 's/^\([a-z0-9.:-]* *\(inet\|unix\|unix-dgram\|fifo\|pass\) *[-yn] *[-yn] *\)[-yn]/\1n/' \
    -e 's/^smtp \( *inet *[-yn] *[-yn] *\)n/127.0.0.1:'$PPORT'\1y/' \
    /etc/postfix/master.cf > "$P/etc/master.cf"
printf 'pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN\n' \
    > "$P/sasl/smtpd.conf"
mkdir -p "$P/queue/etc"
cp /etc/hosts /etc/resolv.conf /etc/nsswitch.conf /etc/services "$P/queue/etc/"
echo benchpass | saslpasswd2 -p -c -f "$P/queue/etc/sasldb2" -u bench.test bench
chown postfix "$P/queue/etc/sasldb2"
postfix -c "$P/etc" check
postfix -c "$P/etc" start || { cat "$P/maillog"; exit 1; }
sleep 2

for c in 16 64; do
	r=$("$D/smtpload" -p $RPORT -u bench -w benchpass -c $c -t "$SECS")
	p=$("$D/smtpload" -p $PPORT -u bench@bench.test -w benchpass -c $c -t "$SECS")
	echo "rampart $r"
	echo "postfix $p"
	rm=$(echo "$r" | sed -n 's/.*msgs_per_s=\([0-9.]*\).*/\1/p')
	pm=$(echo "$p" | sed -n 's/.*msgs_per_s=\([0-9.]*\).*/\1/p')
	echo "ratio rampart/postfix at $c sessions: $(echo "scale=2; $rm / $pm" | bc)"
done
echo "rampart messages in incoming/new: $(ls "$D/spool/incoming/new" | wc -l)"
