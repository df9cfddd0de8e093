/*
 * config: the rampart.conf parser and the start-up sequence every program
 * shares (-f, -s, -n).  Owns nothing but the struct conf it is handed; it
 * never logs (problems go back as "file:line: message" text).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "path.h"

#define LINE_MAX_CONF	1024

static void
errf(char *err, size_t errsz, const char *fmt, ...)
{
	size_t len = strnlen(err, errsz);
	va_list ap;

	if (len + 1 >= errsz)
		return;
	va_start(ap, fmt);
	vsnprintf(err + len, errsz - len, fmt, ap);
	va_end(ap);
	len = strnlen(err, errsz);
	if (len + 1 < errsz) {
		err[len] = '\n';
		err[len + 1] = '\0';
	}
}

const struct conf_key *
conf_lookup(const char *name)
{
	const struct conf_key *k;

	for (k = conf_keys; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static int
parse_number(const struct conf_key *k, const char *v, long *out)
{
	char *end;
	long n, mul = 1;

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
	if (!isdigit((unsigned char)*v) && *v != '-')
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v)
		return -1;
	if (k->type == CONF_SECONDS && *end != '\0') {
		switch (*end++) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		default: return -1;
		}
	} else if (k->type == CONF_BYTES && *end != '\0') {
		switch (*end++) {
		case 'k': case 'K': mul = 1024; break;
		case 'M': mul = 1024L * 1024; break;
		case 'G': mul = 1024L * 1024 * 1024; break;
		default: return -1;
		}
	}
	if (*end != '\0')
		return -1;
	if (n > LONG_MAX / mul || n < LONG_MIN / mul)
		return -1;
	*out = n * mul;
	return 0;
}

/* 1 if value is one of the '|'-separated words in choices */
static int
one_of(const char *choices, const char *value)
{
	size_t len = strlen(value);
	const char *p = choices;

	for (;;) {
		if (strncmp(p, value, len) == 0 && (p[len] == '|' ||
		    p[len] == '\0') && len > 0)
			return 1;
		if ((p = strchr(p, '|')) == NULL)
			return 0;
		p++;
	}
}

int
conf_set(struct conf *c, const char *key, const char *value, char *err,
    size_t errsz)
{
	const struct conf_key *k;
	char *field;
	long n;

	if ((k = conf_lookup(key)) == NULL) {
		snprintf(err, errsz, "unknown key \"%s\"", key);
		return -1;
	}
	field = (char *)c + k->offset;
	if (k->type == CONF_STR) {
		long max = k->max > 0 ? k->max : CONF_STRMAX - 1;

		if ((long)strlen(value) > max) {
			snprintf(err, errsz, "%s: value longer than %ld bytes",
			    key, max);
			return -1;
		}
		if (k->choices != NULL && !one_of(k->choices, value)) {
			snprintf(err, errsz, "%s: \"%s\" is not one of %s", key,
			    value, k->choices);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	}
	if (parse_number(k, value, &n) == -1) {
		snprintf(err, errsz, "%s: bad value \"%s\"", key, value);
		return -1;
	}
	if (k->type != CONF_BOOL && (n < k->min || n > k->max)) {
		snprintf(err, errsz, "%s: %ld is out of range %ld..%ld", key, n,
		    k->min, k->max);
		return -1;
	}
	memcpy(field, &n, sizeof(n));
	return 0;
}

void
conf_defaults(struct conf *c)
{
	const struct conf_key *k;
	char err[256];

	memset(c, 0, sizeof(*c));
	for (k = conf_keys; k->name != NULL; k++)
		if (conf_set(c, k->name, k->defval, err, sizeof(err)) == -1)
			abort();	/* a bad default is a bug in the table */
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

/* one "key = value" line; returns 0 or -1 with the message in msg */
static int
parse_line(struct conf *c, char *line, char *msg, size_t msgsz)
{
	char *eq, *key, *val, *hash;

	if ((hash = strchr(line, '#')) != NULL)
		*hash = '\0';
	line = trim(line);
	if (*line == '\0')
		return 0;
	if ((eq = strchr(line, '=')) == NULL) {
		snprintf(msg, msgsz, "expected \"key = value\"");
		return -1;
	}
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	return conf_set(c, key, val, msg, msgsz);
}

int
conf_load(struct conf *c, const char *path, char *err, size_t errsz)
{
	char line[LINE_MAX_CONF], msg[512];
	FILE *fp;
	int lineno = 0, bad = 0;
	size_t len;

	if (errsz > 0)
		err[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL) {
		errf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			errf(err, errsz, "%s:%d: line too long", path, lineno);
			bad++;
			while (fgets(line, sizeof(line), fp) != NULL &&
			    strchr(line, '\n') == NULL)
				;
			continue;
		}
		if (parse_line(c, line, msg, sizeof(msg)) == -1) {
			errf(err, errsz, "%s:%d: %s", path, lineno, msg);
			bad++;
		}
	}
	if (ferror(fp)) {
		errf(err, errsz, "%s: %s", path, strerror(errno));
		bad++;
	}
	fclose(fp);
	return bad ? -1 : 0;
}

const char *
conf_get_str(const struct conf *c, const char *name)
{
	const struct conf_key *k = conf_lookup(name);

	if (k == NULL || k->type != CONF_STR)
		abort();	/* asking for a key that is not one is a bug */
	return (const char *)c + k->offset;
}

long
conf_get_int(const struct conf *c, const char *name)
{
	const struct conf_key *k = conf_lookup(name);
	long n;

	if (k == NULL || k->type == CONF_STR)
		abort();
	memcpy(&n, (const char *)c + k->offset, sizeof(n));
	return n;
}

int
conf_opt(struct conf_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'f': o->conf_file = arg; break;
	case 's': o->spool = arg; break;
	case 'n': o->check_only = 1; break;
	case 'd': o->foreground = 1; break;
	case 'v': o->verbose++; break;
	case 'o':
		if (o->noverride == CONF_MAXOVERRIDE)
			return -1;
		o->override[o->noverride++] = arg;
		break;
	default: return -1;
	}
	return 0;
}

/* "key=value" from -o, blanks around '=' allowed */
static int
override(struct conf *c, const char *kv, char *msg, size_t msgsz)
{
	char buf[LINE_MAX_CONF];

	if (strlen(kv) >= sizeof(buf)) {
		snprintf(msg, msgsz, "too long");
		return -1;
	}
	memcpy(buf, kv, strlen(kv) + 1);
	return parse_line(c, buf, msg, msgsz);
}

static int (*check_fn)(const struct conf *, char *, size_t);

void
conf_set_check(int (*fn)(const struct conf *, char *, size_t))
{
	check_fn = fn;
}

void
conf_startup(struct conf *c, const struct conf_opts *o, const char *progname)
{
	char err[4096] = "", msg[256];
	const char *path = o->conf_file;
	int bad = 0, i;

	conf_defaults(c);
	if (path == NULL && access(CONF_DEFAULT_PATH, F_OK) == 0)
		path = CONF_DEFAULT_PATH;
	if (path != NULL && conf_load(c, path, err, sizeof(err)) == -1)
		bad = 1;
	if (o->spool != NULL && conf_set(c, "spool", o->spool, msg,
	    sizeof(msg)) == -1) {
		errf(err, sizeof(err), "-s: %s", msg);
		bad = 1;
	}
	for (i = 0; i < o->noverride; i++)
		if (override(c, o->override[i], msg, sizeof(msg)) == -1) {
			errf(err, sizeof(err), "-o %s: %s", o->override[i], msg);
			bad = 1;
		}
	if (!bad && check_fn != NULL && check_fn(c, err + strlen(err),
	    sizeof(err) - strlen(err)) == -1)
		bad = 1;
	if (bad)
		fprintf(stderr, "%s", err);
	if (o->check_only) {
		if (!bad)
			printf("%s: configuration %s OK\n", progname,
			    path ? path : "(defaults)");
		exit(bad ? EXIT_CONFIG : 0);
	}
	if (bad) {
		fprintf(stderr, "%s: bad configuration, exiting\n", progname);
		exit(EXIT_CONFIG);
	}
}
