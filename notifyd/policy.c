/*
 * policy: the TLS policy for a destination, named as Postfix and
 * CipherMail name them, from smtp_tls_policy and smtp_tls_policy_map; and
 * the check of a finished handshake against it.  The handshake itself
 * never fails on a certificate: OpenSSL verifies the chain and the names
 * set here and keeps the verdict, and policy_check() decides, so that a
 * "may" or "encrypt" delivery can still record whether it was verified.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "notifyd.h"
#include "tls.h"

static const char *const levels[] = { "none", "may", "encrypt", "verify",
    "secure", "fingerprint" };

int
policy_parse_level(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(s, levels[i]) == 0)
			return i;
	return -1;
}

const char *
policy_level_name(enum tls_level l)
{
	return levels[l];
}

static int
add_names(struct policy *p, char *list)
{
	char *n;

	while ((n = strsep(&list, ":")) != NULL) {
		if (*n == '\0')
			continue;
		if (p->nmatch == POLICY_MAXNAMES)
			return -1;
		for (char *c = n; *c != '\0'; c++)
			*c = tolower((unsigned char)*c);
		if ((p->match[p->nmatch++] = strdup(n)) == NULL)
			return -1;
	}
	return 0;
}

/* "DOMAIN LEVEL [match=NAME:NAME...] [fingerprint=HEX]..." */
static int
parse_line(struct policy_rule *r, char *line, char *why, size_t whysz)
{
	char *w, *dom, *lvl;
	int l;

	dom = strsep(&line, " \t");
	while (line != NULL && (*line == ' ' || *line == '\t'))
		line++;
	lvl = line != NULL ? strsep(&line, " \t") : NULL;
	if (lvl == NULL || (l = policy_parse_level(lvl)) == -1) {
		snprintf(why, whysz, "no or unknown policy");
		return -1;
	}
	memset(r, 0, sizeof(*r));
	r->pol.level = l;
	for (char *c = dom; *c != '\0'; c++)
		*c = tolower((unsigned char)*c);
	if ((r->domain = strdup(dom)) == NULL)
		return -1;
	while ((w = strsep(&line, " \t")) != NULL) {
		if (*w == '\0')
			continue;
		if (strncmp(w, "match=", 6) == 0 && l == TLS_SECURE) {
			if (add_names(&r->pol, w + 6) == -1) {
				snprintf(why, whysz, "too many names");
				return -1;
			}
		} else if (strncmp(w, "fingerprint=", 12) == 0 &&
		    l == TLS_FINGERPRINT && r->pol.nfpr < POLICY_MAXFPR) {
			if (tls_fingerprint_norm(w + 12,
			    r->pol.fpr[r->pol.nfpr++]) == -1) {
				snprintf(why, whysz, "not a SHA-256 fingerprint");
				return -1;
			}
		} else {
			snprintf(why, whysz, "unknown or misplaced %s", w);
			return -1;
		}
	}
	if (l == TLS_FINGERPRINT && r->pol.nfpr == 0) {
		snprintf(why, whysz, "fingerprint needs fingerprint=");
		return -1;
	}
	return 0;
}

static void
policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->nmatch; i++)
		free(p->match[i]);
	p->nmatch = 0;
}

int
policy_map_load(struct policy_map *m, const char *path, char *err,
    size_t errsz)
{
	char buf[2048], why[128];
	FILE *f;
	int line = 0, bad = 0;
	void *p;

	memset(m, 0, sizeof(*m));
	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s = buf, *hash;

		line++;
		if ((hash = strchr(s, '#')) != NULL)
			*hash = '\0';
		s[strcspn(s, "\r\n")] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			continue;
		if ((p = reallocarray(m->rule, m->n + 1, sizeof(*m->rule))) ==
		    NULL) {
			bad = 1;
			break;
		}
		m->rule = p;
		if (parse_line(&m->rule[m->n], s, why, sizeof(why)) == -1) {
			snprintf(err, errsz, "%s:%d: %s", path, line, why);
			free(m->rule[m->n].domain);
			policy_free(&m->rule[m->n].pol);
			bad = 1;
			break;
		}
		m->rule[m->n++].line = line;
	}
	fclose(f);
	if (bad) {
		policy_map_free(m);
		return -1;
	}
	return 0;
}

void
policy_map_free(struct policy_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->rule[i].domain);
		policy_free(&m->rule[i].pol);
	}
	free(m->rule);
	memset(m, 0, sizeof(*m));
}

/* an exact entry first, then ".parent" entries from the nearest up */
const struct policy *
policy_lookup(const struct notifyd *nd, const char *dest)
{
	const struct policy_map *m = &nd->map;
	const char *d;

	for (size_t i = 0; i < m->n; i++)
		if (strcasecmp(m->rule[i].domain, dest) == 0)
			return &m->rule[i].pol;
	for (d = strchr(dest, '.'); d != NULL; d = strchr(d + 1, '.'))
		for (size_t i = 0; i < m->n; i++)
			if (strcasecmp(m->rule[i].domain, d) == 0)
				return &m->rule[i].pol;
	return &nd->defpol;
}

static int
is_ip(const char *h)
{
	unsigned char a[16];

	return inet_pton(AF_INET, h, a) == 1 || inet_pton(AF_INET6, h, a) == 1;
}

/*
 * Before the handshake: SNI, and the names the certificate must carry.
 * verify: the MX host's name (or the relayhost's); secure: the names of
 * match=, by default the nexthop domain and its subdomains.  may and
 * encrypt check the MX name too, only to record the verdict.
 */
int
policy_prepare(SSL *ssl, const struct policy *p, const char *mxhost,
    const char *nexthop)
{
	X509_VERIFY_PARAM *vp = SSL_get0_param(ssl);
	char dot[300];

	SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
	if (!is_ip(mxhost) && !SSL_set_tlsext_host_name(ssl, mxhost))
		return -1;
	X509_VERIFY_PARAM_set_hostflags(vp,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (p->level != TLS_SECURE) {
		if (is_ip(mxhost))
			return X509_VERIFY_PARAM_set1_ip_asc(vp, mxhost) ? 0 : -1;
		return SSL_set1_host(ssl, mxhost) ? 0 : -1;
	}
	if (p->nmatch == 0) {
		snprintf(dot, sizeof(dot), ".%s", nexthop);
		return SSL_set1_host(ssl, nexthop) && SSL_add1_host(ssl, dot) ?
		    0 : -1;
	}
	for (size_t i = 0; i < p->nmatch; i++)
		if (!(i == 0 ? SSL_set1_host(ssl, p->match[i]) :
		    SSL_add1_host(ssl, p->match[i])))
			return -1;
	return 0;
}

static int
pubkey_fpr(SSL *ssl, char fpr[TLS_FPR_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[65];
	unsigned int len = 0;
	X509 *x;
	int rc;

	if ((x = SSL_get1_peer_certificate(ssl)) == NULL)
		return -1;
	rc = X509_pubkey_digest(x, EVP_sha256(), md, &len);
	X509_free(x);
	if (!rc || len != 32)
		return -1;
	for (unsigned int i = 0; i < 32; i++)
		snprintf(hex + i * 2, 3, "%02x", md[i]);
	return tls_fingerprint_norm(hex, fpr);
}

static int
pinned(SSL *ssl, const struct policy *p, char *why, size_t whysz)
{
	char cert[TLS_FPR_SIZE], key[TLS_FPR_SIZE];

	if (tls_peer_fingerprint(ssl, cert) == -1 ||
	    pubkey_fpr(ssl, key) == -1) {
		snprintf(why, whysz, "no server certificate");
		return 0;
	}
	for (size_t i = 0; i < p->nfpr; i++)
		if (strcmp(p->fpr[i], cert) == 0 || strcmp(p->fpr[i], key) == 0)
			return 1;
	snprintf(why, whysz, "certificate fingerprint %s is not pinned", cert);
	return 0;
}

/*
 * After the handshake: 0 if the policy is met, with "LEVEL yes|no" in
 * verified; -1 with the reason in why if the delivery must not go on.
 */
int
policy_check(SSL *ssl, const struct policy *p, char *verified, size_t vsz,
    char *why, size_t whysz)
{
	long vr = SSL_get_verify_result(ssl);
	X509 *x = SSL_get0_peer_certificate(ssl);
	int ok = x != NULL && vr == X509_V_OK;

	if (p->level == TLS_FINGERPRINT) {
		ok = pinned(ssl, p, why, whysz);
		snprintf(verified, vsz, "fingerprint %s", ok ? "yes" : "no");
		return ok ? 0 : -1;
	}
	snprintf(verified, vsz, "%s %s", levels[p->level], ok ? "yes" : "no");
	if (p->level < TLS_VERIFY || ok)
		return 0;
	snprintf(why, whysz, "certificate not verified: %s", x == NULL ?
	    "none sent" : X509_verify_cert_error_string(vr));
	return -1;
}
