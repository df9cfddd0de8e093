# smtpd-lib.sh: shared set-up for tests/smtpd/*-t.sh, sourced after tap.sh.
#   smtpd_setup [extra rampart.conf lines]: throwaway CA, server and client
#     certificates, spool, accounts (dev1/secret1 may send to +1222*,
#     dev2/secret2 to everything, max 2 recipients, dev3/secret3 one
#     message an hour), config, then starts
#     smtpd on 127.0.0.1 ($STARTTLS_PORT and $TLS_PORT), stopped at exit.
#   smtpd_restart [extra lines]: stop and start again with other config.
#   swaks_tls ARGS: swaks with STARTTLS to $STARTTLS_PORT, quiet on success.
#   count_new: number of files in incoming/new.
need swaks openssl

SMTPD=$top_builddir/smtpd/smtpd
SETUP=$top_builddir/setup/rampart-setup
[ -x "$SMTPD" ] || bail "smtpd not built"
[ -x "$SETUP" ] || bail "rampart-setup not built"

STARTTLS_PORT=$PORT_BASE
TLS_PORT=$((PORT_BASE + 1))
SMTPD_PID=

make_certs() {
	d=$TMP/pki
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=rampart-test-ca \
	    -keyout "$d/ca.key" -out "$d/ca.crt" >/dev/null 2>&1 || bail "CA"
	openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
	    -keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1 || bail "server csr"
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\ncrlDistributionPoints=URI:http://127.0.0.1/rampart-test.crl\n' > "$d/server.ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
	    -CAcreateserial -days 90 -extfile "$d/server.ext" -out "$d/server.crt" >/dev/null 2>&1 || bail "server cert"
	for c in client1 client2; do
		openssl req -newkey rsa:2048 -nodes -subj /CN=$c -keyout "$d/$c.key" \
		    -out "$d/$c.csr" >/dev/null 2>&1 || bail "$c csr"
		printf 'extendedKeyUsage=clientAuth\n' > "$d/client.ext"
		openssl x509 -req -in "$d/$c.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
		    -CAcreateserial -days 30 -extfile "$d/client.ext" -out "$d/$c.crt" >/dev/null 2>&1 || bail "$c cert"
	done
	# a client certificate from a CA the server does not trust
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=stranger \
	    -keyout "$d/stranger.key" -out "$d/stranger.crt" >/dev/null 2>&1 || bail "stranger"
	chmod 600 "$d"/*.key
}

make_conf() {
	cat > "$TMP/rampart.conf" <<EOF
spool = $TMP/spool
hostname = rampart.test
smtpd_listen_starttls = 127.0.0.1:$STARTTLS_PORT
smtpd_listen_tls = 127.0.0.1:$TLS_PORT
tls_cert_file = $TMP/pki/server.crt
tls_key_file = $TMP/pki/server.key
accounts_file = $TMP/accounts
fax_domains = fax.test, fax2.test
smtpd_starttls_timeout = 5s
smtpd_timeout = 20s
EOF
	for l in "$@"; do printf '%s\n' "$l" >> "$TMP/rampart.conf"; done
}

smtpd_start() {
	before=$(grep -c "started" "$TMP/smtpd.log" 2>/dev/null)
	"$SMTPD" -d -f "$TMP/rampart.conf" >> "$TMP/smtpd.log" 2>&1 &
	SMTPD_PID=$!
	n=0
	until [ "$(grep -c "started" "$TMP/smtpd.log")" -gt "${before:-0}" ]; do
		n=$((n + 1))
		if ! kill -0 $SMTPD_PID 2>/dev/null; then
			cat "$TMP/smtpd.log"; bail "smtpd exited at start-up"
		elif [ $n -gt 300 ]; then
			cat "$TMP/smtpd.log"; bail "smtpd did not start in 30 s"
		fi
		sleep 0.1
	done
}

smtpd_stop() {
	[ -n "$SMTPD_PID" ] || return 0
	kill "$SMTPD_PID" 2>/dev/null
	wait "$SMTPD_PID" 2>/dev/null
	SMTPD_PID=
}

smtpd_setup() {
	test_tmpdir
	at_exit smtpd_stop
	make_certs
	make_conf "$@"
	"$SETUP" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
	echo secret1 | "$SMTPD" -f "$TMP/rampart.conf" -a dev1 -P '+1222*' >/dev/null || bail "add dev1"
	echo secret2 | "$SMTPD" -f "$TMP/rampart.conf" -a dev2 -P '*' -R 2 >/dev/null || bail "add dev2"
	echo secret3 | "$SMTPD" -f "$TMP/rampart.conf" -a dev3 -H 1 >/dev/null || bail "add dev3"
	if [ "$(id -u)" = 0 ]; then
		chown rampart-smtp "$TMP/accounts" || bail "chown accounts"
	fi
	smtpd_start
}

smtpd_restart() {
	smtpd_stop
	make_conf "$@"
	: > "$TMP/smtpd.log"
	smtpd_start
}

swaks_tls() {
	swaks --server 127.0.0.1 --port $STARTTLS_PORT --tls --helo client.test \
	    --timeout 20 "$@"
}

count_new() {
	ls "$TMP/spool/incoming/new" | wc -l
}

# a small PDF, made by hand so no tool is needed
make_pdf() {
	cat > "$1" <<'EOF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj
trailer << /Root 1 0 R >>
%%EOF
EOF
}
