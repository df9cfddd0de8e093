/*
 * fgconf: faxgetty's own settings, with their defaults in one table.
 * They are "key = value" lines like rampart.conf; until the lead merges
 * these keys into rampart.conf(5), faxgetty reads them from -c FILE and
 * -o key=value.  A key not in the table is an error.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxgetty.h"
#include "path.h"

enum kt { KSTR, KNUM };

struct key {
	const char	*name;
	enum kt		 type;
	size_t		 off, size;
	const char	*def;
	long		 min, max;
};

#define S(k, d)	{ #k, KSTR, offsetof(struct fgconf, k), \
	sizeof(((struct fgconf *)0)->k), d, 0, 0 }
#define N(k, d, lo, hi) { #k, KNUM, offsetof(struct fgconf, k), 0, d, lo, hi }

static const struct key keys[] = {
	{ "modem_init", KSTR, offsetof(struct fgconf, modem_init[0]),
	    FG_STRMAX, "ATE0V1Q0S0=0", 0, 0 },
	{ "modem_init2", KSTR, offsetof(struct fgconf, modem_init[1]),
	    FG_STRMAX, "AT+VCID=1", 0, 0 },
	{ "modem_init3", KSTR, offsetof(struct fgconf, modem_init[2]),
	    FG_STRMAX, "", 0, 0 },
	S(modem_reset, "ATH0"),
	S(modem_flow, "AT+IFC=2,2"),
	S(dial_command, "ATDT"),
	S(dial_prefix, ""),
	S(station_id, ""),
	S(page_header, ""),
	S(lock_dir, "/var/lock"),
	S(dtmf_dids, ""),
	N(rings_before_answer, "1", 0, 20),
	N(dial_timeout, "90", 5, 600),
	N(call_timeout, "3600", 30, 86400),
	N(fax_ecm, "1", 0, 1),
	N(fax_max_rate, "14400", 2400, 14400),
	N(modem_retry_max, "300", 1, 3600),
	N(dtmf_digits, "8", 1, 32),
	N(dtmf_timeout, "10", 1, 60),
	{ NULL, KSTR, 0, 0, NULL, 0, 0 }
};

static int
set(struct fgconf *fc, const struct key *k, const char *v, char *err,
    size_t errsz)
{
	char *end;
	long n;

	if (k->type == KSTR) {
		if (str_copy((char *)fc + k->off, v, k->size) == -1) {
			(void)path_fmt(err, errsz, "%s: value too long", k->name);
			return -1;
		}
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (!strcmp(v, "yes") || !strcmp(v, "on"))
		n = 1, end = "";
	else if (!strcmp(v, "no") || !strcmp(v, "off"))
		n = 0, end = "";
	if (*v == '\0' || *end != '\0' || errno != 0 || n < k->min ||
	    n > k->max) {
		(void)path_fmt(err, errsz, "%s: bad value '%s' (%ld..%ld)",
		    k->name, v, k->min, k->max);
		return -1;
	}
	*(long *)((char *)fc + k->off) = n;
	return 0;
}

void
fgconf_defaults(struct fgconf *fc)
{
	char err[128];

	memset(fc, 0, sizeof(*fc));
	for (const struct key *k = keys; k->name != NULL; k++)
		if (set(fc, k, k->def, err, sizeof(err)) == -1)
			abort();	/* the table itself is wrong */
}

/* "key = value" or "key=value"; blanks around both are dropped */
int
fgconf_set(struct fgconf *fc, const char *kv, char *err, size_t errsz)
{
	char buf[512], *eq, *k, *v, *e;

	if (str_copy(buf, kv, sizeof(buf)) == -1 ||
	    (eq = strchr(buf, '=')) == NULL) {
		(void)path_fmt(err, errsz, "expected key = value");
		return -1;
	}
	*eq = '\0';
	for (k = buf; isspace((unsigned char)*k); k++)
		;
	for (e = eq; e > k && isspace((unsigned char)e[-1]); e--)
		e[-1] = '\0';
	for (v = eq + 1; isspace((unsigned char)*v); v++)
		;
	for (e = v + strlen(v); e > v && isspace((unsigned char)e[-1]); e--)
		e[-1] = '\0';
	for (const struct key *kp = keys; kp->name != NULL; kp++)
		if (strcmp(kp->name, k) == 0)
			return set(fc, kp, v, err, errsz);
	(void)path_fmt(err, errsz, "unknown key '%s'", k);
	return -1;
}

int
fgconf_load(struct fgconf *fc, const char *path, char *err, size_t errsz)
{
	char line[512], msg[256];
	FILE *fp;
	int n = 0, bad = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		(void)path_fmt(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		n++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '#' ||
		    line[strspn(line, " \t")] == '\0')
			continue;
		if (fgconf_set(fc, line, msg, sizeof(msg)) == -1) {
			(void)path_fmt(err, errsz, "%s:%d: %s", path, n, msg);
			bad = 1;
			break;
		}
	}
	(void)fclose(fp);
	return bad ? -1 : 0;
}
