/*
 * tls: OpenSSL contexts with rampart's policy, shared by smtpd (server)
 * and notifyd (client).  TLS 1.2 minimum (or 1.3 only), forward-secret
 * AEAD ciphers only, no compression, no renegotiation, server cipher
 * order.  Never logs: errors come back as text in err.
 */
#ifndef RAMPART_TLS_H
#define RAMPART_TLS_H

#include <stddef.h>

#include <openssl/ssl.h>

#define TLS_DEFAULT_CIPHERS \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
#define TLS_DEFAULT_GROUPS	"X25519:P-256:P-384"
#define TLS_FPR_SIZE		(32 * 3)	/* "AB:CD:...", NUL-terminated */

enum tls_verify {
	TLS_VERIFY_NONE,	/* no client certificate asked for */
	TLS_VERIFY_OPTIONAL,	/* asked for; if sent it must verify */
	TLS_VERIFY_REQUIRE,	/* handshake fails without a valid one */
};

struct tls_server_opts {
	const char	*cert_file;	/* chain, leaf first (PEM) */
	const char	*key_file;	/* PEM; read here, before privdrop */
	const char	*ca_file;	/* client CAs; "" if verify is none */
	const char	*ciphers;	/* TLS 1.2 list; NULL: default */
	int		 min_version;	/* TLS1_2_VERSION or TLS1_3_VERSION */
	enum tls_verify	 verify;
};

/* "1.2" or "1.3" to TLS1_x_VERSION; -1 otherwise */
int	tls_version_parse(const char *s);

/* "none", "optional", "require"; -1 otherwise */
int	tls_verify_parse(const char *s);

/* A server context, or NULL with the reason in err. */
SSL_CTX	*tls_server_ctx(const struct tls_server_opts *o, char *err,
	    size_t errsz);

/*
 * A client context with the same floor and ciphers; ca_file ("" or NULL:
 * the system store) is loaded for verification, which the caller enables
 * per connection as its policy says.
 */
SSL_CTX	*tls_client_ctx(int min_version, const char *ca_file, char *err,
	    size_t errsz);

/* The peer certificate's SHA-256 fingerprint, "AB:CD:..."; -1 if none. */
int	tls_peer_fingerprint(SSL *ssl, char fpr[TLS_FPR_SIZE]);

/*
 * Normalises a fingerprint written by a person ("ab:cd..", "ABCD..") to
 * the form above; -1 if it is not 32 hex bytes.
 */
int	tls_fingerprint_norm(const char *in, char fpr[TLS_FPR_SIZE]);

#endif
