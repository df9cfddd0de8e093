#!/bin/sh
# tls-t: TLS 1.0 and 1.1 refused, 1.2 and 1.3 accepted (STARTTLS and
# implicit TLS); no cipher without forward secrecy; server cipher order;
# no compression; no client renegotiation; tls_min_version = 1.3.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"

plan 16
smtpd_setup
CA=$TMP/pki/ca.crt
# s_client on the implicit-TLS port; $1: extra options
sc() {
	(sleep 0.5; echo QUIT) | timeout 15 openssl s_client -connect 127.0.0.1:$TLS_PORT \
	    -CAfile "$CA" "$@" 2>&1
}
sc_st() {
	(sleep 0.5; echo QUIT) | timeout 15 openssl s_client -connect 127.0.0.1:$STARTTLS_PORT \
	    -starttls smtp -CAfile "$CA" "$@" 2>&1
}
# the client must really offer the old versions: seclevel 0 lets it
sc -tls1 -cipher 'DEFAULT:@SECLEVEL=0' > "$TMP/t10" 
ok "TLS 1.0 is refused by the server (protocol version alert)" grep -q "alert protocol version" "$TMP/t10"
sc -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' > "$TMP/t11"
ok "TLS 1.1 is refused by the server (protocol version alert)" grep -q "alert protocol version" "$TMP/t11"
sc_st -tls1 -cipher 'DEFAULT:@SECLEVEL=0' > "$TMP/st10"
ok "TLS 1.0 after STARTTLS is refused too" grep -q "alert protocol version" "$TMP/st10"
sc -tls1_2 > "$TMP/t12"
ok "TLS 1.2 is accepted with a forward-secret AEAD cipher" grep -q "New, TLSv1.2, Cipher is ECDHE-RSA-AES256-GCM-SHA384" "$TMP/t12"
ok "the certificate chain verifies against the test CA" grep -q "Verify return code: 0 (ok)" "$TMP/t12"
ok "TLS 1.2: no compression" grep -q "Compression: NONE" "$TMP/t12"
sc -tls1_3 > "$TMP/t13"
ok "TLS 1.3 is accepted" grep -q "New, TLSv1.3, Cipher is TLS_" "$TMP/t13"
sc_st -tls1_2 > "$TMP/st12"
ok "STARTTLS with TLS 1.2 is accepted" grep -q "New, TLSv1.2, Cipher is ECDHE" "$TMP/st12"
sc -tls1_2 -cipher AES256-GCM-SHA384 > "$TMP/nofs"
ok "RSA key exchange (no forward secrecy) is refused" grep -q "alert handshake failure" "$TMP/nofs"
sc -tls1_2 -cipher 'ECDHE-RSA-AES128-SHA:DES-CBC3-SHA:@SECLEVEL=0' > "$TMP/cbc"
ok "CBC and 3DES ciphers are refused" grep -q "alert handshake failure" "$TMP/cbc"
sc -tls1_2 -cipher 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384' > "$TMP/order"
ok "the server's cipher order wins" grep -q "Cipher is ECDHE-RSA-AES256-GCM-SHA384" "$TMP/order"
(sleep 1; echo R; sleep 2; echo NOOP; sleep 1) | timeout 15 openssl s_client \
    -connect 127.0.0.1:$TLS_PORT -CAfile "$CA" -tls1_2 > "$TMP/reneg" 2>&1
ok "client-initiated renegotiation is refused (no reply after R)" \
    sh -c "grep -q RENEGOTIATING '$TMP/reneg' && ! grep -q '^250 2.0.0 Ok' '$TMP/reneg'"

smtpd_restart "tls_min_version = 1.3"
sc -tls1_2 > "$TMP/m12"
ok "tls_min_version = 1.3: TLS 1.2 is refused" grep -q "alert protocol version" "$TMP/m12"
sc -tls1_3 > "$TMP/m13"
ok "tls_min_version = 1.3: TLS 1.3 is accepted" grep -q "New, TLSv1.3" "$TMP/m13"
sc_st -tls1_2 > "$TMP/mst12"
ok "tls_min_version = 1.3: STARTTLS with 1.2 is refused" grep -q "alert protocol version" "$TMP/mst12"
ok "handshake failures are logged per connection" grep -q "result=tls-handshake-failed" "$TMP/smtpd.log"
