#!/bin/sh
# testssl-t: testssl.sh --starttls smtp against smtpd finds no SSLv2/3, no
# TLS 1.0/1.1, no NULL/aNULL/EXPORT/LOW(RC4, DES)/3DES cipher, forward
# secrecy, the server's cipher order, and no HIGH or CRITICAL finding.
# The checks are restricted to protocols, cipher categories, forward
# secrecy, server preference (one run) and vulnerabilities (a second run
# in parallel); the per-cipher and client-simulation runs took 4 minutes.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"
need testssl python3

plan 10
smtpd_setup "smtpd_starttls_timeout = 60s" "smtpd_max_connections_per_client = 200" \
    "smtpd_max_errors = 100"
ts() {
	out=$1; shift
	timeout 170 testssl --quiet --color 0 --warnings off --add-ca "$TMP/pki/ca.crt" \
	    --jsonfile "$out" "$@" --starttls smtp 127.0.0.1:$STARTTLS_PORT \
	    > "$out.txt" 2>&1
}
ts "$TMP/a.json" -p -s -f -P &
A=$!
ts "$TMP/b.json" -U &
B=$!
wait $A
wait $B
ok "testssl ran (protocols, ciphers, forward secrecy, preference)" test -s "$TMP/a.json"
ok "testssl ran (vulnerabilities)" test -s "$TMP/b.json"
find() {
	python3 - "$TMP/a.json" "$TMP/b.json" "$@" <<'PY'
import json, sys
found = {}
for f in sys.argv[1:3]:
    try:
        for x in json.load(open(f)):
            found.setdefault(x["id"], []).append(x)
    except (OSError, ValueError):
        pass
mode = sys.argv[3]
if mode == "severe":
    bad = [x for v in found.values() for x in v if x["severity"] in ("HIGH", "CRITICAL")]
    for x in bad:
        print(x["id"], x["severity"], x["finding"])
    sys.exit(1 if bad else 0)
ident, want = sys.argv[4], sys.argv[5]
got = [x["finding"] for x in found.get(ident, [])]
print(ident, got)
sys.exit(0 if got and all(g.startswith(want) for g in got) else 1)
PY
}
chk() { desc=$1; shift; out=$(find is "$@"); tap_result $? "$desc"; note "$out"; }
note() { [ -n "$1" ] && diag "$(echo "$1" | tr '\n' ' ')"; }
chk "SSLv2 and SSLv3 are not offered" SSLv3 "not offered"
out=$(find is TLS1 "not offered" && find is TLS1_1 "not offered" && find is SSLv2 "not offered")
tap_result $? "TLS 1.0, TLS 1.1 and SSLv2 are not offered"; note "$out"
out=$(find is TLS1_2 "offered" && find is TLS1_3 "offered")
tap_result $? "TLS 1.2 and 1.3 are offered"; note "$out"
out=$(for c in NULL aNULL EXPORT LOW 3DES_IDEA; do find is cipherlist_$c "not offered" || exit 1; done)
tap_result $? "no NULL, aNULL, EXPORT, LOW (DES, RC2, RC4) or 3DES/IDEA ciphers"; note "$out"
chk "RC4: not vulnerable" RC4 "not vulnerable"
chk "forward secrecy is offered" PFS "offered"
chk "the server has a cipher order" cipher_order "server"
out=$(find severe)
tap_result $? "no HIGH or CRITICAL finding"; note "$out"
