/*
 * tls: builds OpenSSL contexts that carry rampart's TLS policy, so no
 * program can forget a piece of it.  The key is read by the caller's
 * root phase through tls_server_ctx(); this file keeps no state and never
 * logs.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tls.h"

static const unsigned char sid_ctx[] = "rampart";

int
tls_version_parse(const char *s)
{
	if (strcmp(s, "1.2") == 0)
		return TLS1_2_VERSION;
	if (strcmp(s, "1.3") == 0)
		return TLS1_3_VERSION;
	return -1;
}

int
tls_verify_parse(const char *s)
{
	if (strcmp(s, "none") == 0)
		return TLS_VERIFY_NONE;
	if (strcmp(s, "optional") == 0)
		return TLS_VERIFY_OPTIONAL;
	if (strcmp(s, "require") == 0)
		return TLS_VERIFY_REQUIRE;
	return -1;
}

static void
ssl_err(char *err, size_t errsz, const char *what, const char *file)
{
	char buf[256] = "";
	unsigned long e;

	if ((e = ERR_peek_last_error()) != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	snprintf(err, errsz, "%s%s%s: %s", what, file ? " " : "",
	    file ? file : "", buf[0] ? buf : "failed");
}

/* the part of the policy both sides share */
static int
policy(SSL_CTX *ctx, int min_version, const char *ciphers, char *err,
    size_t errsz)
{
	long opts = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_CIPHER_SERVER_PREFERENCE;

#ifdef SSL_OP_NO_CLIENT_RENEGOTIATION
	opts |= SSL_OP_NO_CLIENT_RENEGOTIATION;
#endif
	if (min_version != TLS1_2_VERSION && min_version != TLS1_3_VERSION) {
		snprintf(err, errsz, "TLS minimum version must be 1.2 or 1.3");
		return -1;
	}
	SSL_CTX_set_options(ctx, opts);
	if (!SSL_CTX_set_min_proto_version(ctx, min_version)) {
		ssl_err(err, errsz, "set_min_proto_version", NULL);
		return -1;
	}
	if (!SSL_CTX_set_cipher_list(ctx, ciphers ? ciphers :
	    TLS_DEFAULT_CIPHERS)) {
		ssl_err(err, errsz, "cipher list", ciphers);
		return -1;
	}
	if (!SSL_CTX_set1_groups_list(ctx, TLS_DEFAULT_GROUPS)) {
		ssl_err(err, errsz, "groups", TLS_DEFAULT_GROUPS);
		return -1;
	}
	return 0;
}

static int
client_certs(SSL_CTX *ctx, const struct tls_server_opts *o, char *err,
    size_t errsz)
{
	STACK_OF(X509_NAME) *names;
	int mode = SSL_VERIFY_PEER;

	if (o->verify == TLS_VERIFY_NONE)
		return 0;
	if (o->ca_file == NULL || o->ca_file[0] == '\0') {
		snprintf(err, errsz, "client certificates need a CA file");
		return -1;
	}
	if (!SSL_CTX_load_verify_locations(ctx, o->ca_file, NULL)) {
		ssl_err(err, errsz, "CA file", o->ca_file);
		return -1;
	}
	if ((names = SSL_load_client_CA_file(o->ca_file)) == NULL) {
		ssl_err(err, errsz, "CA names", o->ca_file);
		return -1;
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	if (o->verify == TLS_VERIFY_REQUIRE)
		mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	SSL_CTX_set_verify(ctx, mode, NULL);
	SSL_CTX_set_verify_depth(ctx, 5);
	return 0;
}

SSL_CTX *
tls_server_ctx(const struct tls_server_opts *o, char *err, size_t errsz)
{
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		ssl_err(err, errsz, "SSL_CTX_new", NULL);
		return NULL;
	}
	if (policy(ctx, o->min_version, o->ciphers, err, errsz) == -1)
		goto fail;
	if (!SSL_CTX_use_certificate_chain_file(ctx, o->cert_file)) {
		ssl_err(err, errsz, "certificate", o->cert_file);
		goto fail;
	}
	if (!SSL_CTX_use_PrivateKey_file(ctx, o->key_file, SSL_FILETYPE_PEM)) {
		ssl_err(err, errsz, "key", o->key_file);
		goto fail;
	}
	if (!SSL_CTX_check_private_key(ctx)) {
		ssl_err(err, errsz, "key does not match certificate", o->key_file);
		goto fail;
	}
	if (!SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1))
		goto fail;
	if (client_certs(ctx, o, err, errsz) == -1)
		goto fail;
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

SSL_CTX *
tls_client_ctx(int min_version, const char *ca_file, char *err, size_t errsz)
{
	SSL_CTX *ctx;
	int rc;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		ssl_err(err, errsz, "SSL_CTX_new", NULL);
		return NULL;
	}
	if (policy(ctx, min_version, NULL, err, errsz) == -1)
		goto fail;
	if (ca_file != NULL && ca_file[0] != '\0')
		rc = SSL_CTX_load_verify_locations(ctx, ca_file, NULL);
	else
		rc = SSL_CTX_set_default_verify_paths(ctx);
	if (!rc) {
		ssl_err(err, errsz, "CA file", ca_file);
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

static void
fpr_format(const unsigned char *md, char fpr[TLS_FPR_SIZE])
{
	static const char hex[] = "0123456789ABCDEF";
	int i;

	for (i = 0; i < 32; i++) {
		fpr[i * 3] = hex[md[i] >> 4];
		fpr[i * 3 + 1] = hex[md[i] & 15];
		fpr[i * 3 + 2] = i == 31 ? '\0' : ':';
	}
}

int
tls_peer_fingerprint(SSL *ssl, char fpr[TLS_FPR_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	X509 *x;
	int rc;

	if ((x = SSL_get1_peer_certificate(ssl)) == NULL)
		return -1;
	rc = X509_digest(x, EVP_sha256(), md, &len);
	X509_free(x);
	if (!rc || len != 32)
		return -1;
	fpr_format(md, fpr);
	return 0;
}

int
tls_fingerprint_norm(const char *in, char fpr[TLS_FPR_SIZE])
{
	unsigned char md[32];
	size_t n = 0;
	int hi = -1, v;

	for (; *in != '\0'; in++) {
		if (*in == ':')
			continue;
		if (!isxdigit((unsigned char)*in) || n == sizeof(md))
			return -1;
		v = isdigit((unsigned char)*in) ? *in - '0' :
		    tolower((unsigned char)*in) - 'a' + 10;
		if (hi == -1) {
			hi = v;
			continue;
		}
		md[n++] = hi << 4 | v;
		hi = -1;
	}
	if (n != sizeof(md) || hi != -1)
		return -1;
	fpr_format(md, fpr);
	return 0;
}
