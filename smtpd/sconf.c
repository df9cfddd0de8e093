/*
 * sconf: the interim reader of smtpd's rampart.conf keys (see sconf.h).
 * Same syntax and value types as lib/config; the table below is the one
 * to move into lib/config_keys.c.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "sconf.h"
#include "tls.h"

#define S(k, d)		{ #k, CONF_STR, offsetof(struct sconf, k), d, 0, 0, NULL }
#define N(k, t, d, lo, hi) { #k, t, offsetof(struct sconf, k), d, lo, hi, NULL }

static const struct conf_key skeys[] = {
	S(smtpd_listen_starttls, "0.0.0.0:587"),
	S(smtpd_listen_tls, "0.0.0.0:465"),
	S(tls_cert_file, SYSCONFDIR "/rampart/smtpd.crt"),
	S(tls_key_file, SYSCONFDIR "/rampart/smtpd.key"),
	S(tls_min_version, "1.2"),
	S(tls_ciphers, TLS_DEFAULT_CIPHERS),
	S(tls_verify_client, "none"),
	S(tls_ca_file, ""),
	S(tls_client_map, ""),
	S(accounts_file, SYSCONFDIR "/rampart/accounts"),
	S(fax_domains, ""),
	S(dial_country_code, "1"),
	S(dial_national_prefix, "1"),
	S(dial_international_prefix, "011"),
	S(dial_prefix, ""),
	N(dial_international, CONF_BOOL, "no", 0, 1),
	S(dial_allow, ""),
	S(dial_deny, "+1900 +1976"),
	N(max_message_size, CONF_BYTES, "25M", 1024, 1024L * 1024 * 1024),
	N(max_recipients, CONF_INT, "50", 1, 1000),
	N(smtpd_timeout, CONF_SECONDS, "5m", 1, 3600),
	N(smtpd_starttls_timeout, CONF_SECONDS, "30s", 1, 600),
	N(smtpd_max_connections, CONF_INT, "1000", 1, 100000),
	N(smtpd_max_connections_per_client, CONF_INT, "20", 1, 100000),
	N(smtpd_max_errors, CONF_INT, "3", 1, 100),
	N(auth_max_failures, CONF_INT, "5", 1, 1000),
	N(auth_lockout, CONF_SECONDS, "15m", 1, 86400),
	N(auth_fail_delay, CONF_SECONDS, "1s", 0, 60),
	{ NULL, CONF_STR, 0, NULL, 0, 0, NULL }
};

static int
number(const struct conf_key *k, const char *v, long *out)
{
	long n, mul = 1;
	char *end;

	if (k->type == CONF_BOOL) {
		if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
		    !strcasecmp(v, "on") || !strcmp(v, "1"))
			*out = 1;
		else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") ||
		    !strcasecmp(v, "off") || !strcmp(v, "0"))
			*out = 0;
		else
			return -1;
		return 0;
	}
	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0' && end[1] == '\0' && k->type == CONF_SECONDS)
		mul = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 :
		    *end == 'd' ? 86400 : 0;
	else if (*end != '\0' && end[1] == '\0' && k->type == CONF_BYTES)
		mul = *end == 'k' || *end == 'K' ? 1024 : *end == 'M' ?
		    1024L * 1024 : *end == 'G' ? 1024L * 1024 * 1024 : 0;
	else if (*end != '\0')
		return -1;
	if (mul == 0 || n > LONG_MAX / mul)
		return -1;
	*out = n * mul;
	return n * mul < k->min || n * mul > k->max ? -1 : 0;
}

static int
set(struct sconf *sc, const char *key, const char *val)
{
	const struct conf_key *k;
	char *field;
	long n;

	for (k = skeys; k->name != NULL; k++)
		if (strcmp(k->name, key) == 0)
			break;
	if (k->name == NULL)
		return -1;
	field = (char *)sc + k->offset;
	if (k->type == CONF_STR) {
		if (strlen(val) >= CONF_STRMAX)
			return -1;
		memcpy(field, val, strlen(val) + 1);
		return 0;
	}
	if (number(k, val, &n) == -1)
		return -1;
	memcpy(field, &n, sizeof(n));
	return 0;
}

void
sconf_defaults(struct sconf *sc)
{
	const struct conf_key *k;

	memset(sc, 0, sizeof(*sc));
	for (k = skeys; k->name != NULL; k++)
		if (set(sc, k->name, k->defval) == -1)
			abort();
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void
errline(char *err, size_t errsz, const char *path, int ln, const char *key)
{
	size_t len = strnlen(err, errsz);

	if (len + 1 < errsz)
		snprintf(err + len, errsz - len, "%s:%d: bad key or value \"%s\"\n",
		    path, ln, key);
}

int
sconf_load(struct sconf *sc, const char *path, char *err, size_t errsz)
{
	char line[1024], *p, *eq;
	int ln = 0, bad = 0;
	FILE *fp;

	err[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		ln++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		p = trim(line);
		if (*p == '\0')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			errline(err, errsz, path, ln, p);
			bad = 1;
			continue;
		}
		*eq = '\0';
		if (set(sc, trim(p), trim(eq + 1)) == -1) {
			errline(err, errsz, path, ln, trim(p));
			bad = 1;
		}
	}
	fclose(fp);
	return bad ? -1 : 0;
}
