/*
 * faxrules: the onramp's table, read strictly and matched.  The format
 * is in rampart-routes(5).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "faxrules.h"

#define FR_LINEMAX	2048
#define FR_PATMAX	64
#define FR_MAXTO	32
#define FR_MAXRULES	10000

static const char *const fieldname[FR_NFIELD] = { "did", "cid", "tsi",
    "sub", "dtmf" };

static void
errf(char *err, size_t errsz, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	used = strnlen(err, errsz);
	if (used + 1 >= errsz)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err + used, errsz - used, fmt, ap);
	va_end(ap);
}

static void
rule_free(struct fr_rule *r)
{
	size_t i;

	for (i = 0; i < FR_NFIELD; i++)
		free(r->pat[i]);
	for (i = 0; i < r->nto; i++)
		free(r->to[i]);
	free(r->to);
	free(r->encrypt);
	memset(r, 0, sizeof(*r));
}

void
faxrules_free(struct faxrules *t)
{
	size_t i;

	for (i = 0; i < t->nrules; i++)
		rule_free(&t->rules[i]);
	free(t->rules);
	if (t->route_default != NULL) {
		rule_free(t->route_default);
		free(t->route_default);
	}
	memset(t, 0, sizeof(*t));
	t->auth_default = FR_ALLOW;
}

/* printable ASCII, no space, no quote or backslash */
static int
token_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~' || *s == '"' || *s == '\\')
			return 0;
	return 1;
}

static int
dtmf_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 32)
		return 0;
	return strspn(s, "0123456789*#ABCD") == strlen(s);
}

/* an addr-spec, plainly: local@domain, no specials, no spaces */
static int
addr_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (!token_ok(s, 254) || at == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return 0;
	return strpbrk(s, "<>()[],;:") == NULL;
}

static int
field_of(const char *key, size_t len)
{
	int i;

	for (i = 0; i < FR_NFIELD; i++)
		if (strlen(fieldname[i]) == len &&
		    strncmp(fieldname[i], key, len) == 0)
			return i;
	return -1;
}

static int
parse_to(struct fr_rule *r, const char *list, const char *where,
    char *err, size_t errsz)
{
	char buf[FR_LINEMAX], *p, *save = NULL;

	if (r->to != NULL) {
		errf(err, errsz, "%s: to= given twice\n", where);
		return -1;
	}
	(void)snprintf(buf, sizeof(buf), "%s", list);
	if ((r->to = calloc(FR_MAXTO, sizeof(*r->to))) == NULL)
		return -1;
	for (p = strtok_r(buf, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (!addr_ok(p)) {
			errf(err, errsz, "%s: bad address \"%s\"\n", where, p);
			return -1;
		}
		if (r->nto == FR_MAXTO) {
			errf(err, errsz, "%s: more than %d addresses\n", where,
			    FR_MAXTO);
			return -1;
		}
		if ((r->to[r->nto++] = strdup(p)) == NULL)
			return -1;
	}
	if (r->nto == 0) {
		errf(err, errsz, "%s: to= names no address\n", where);
		return -1;
	}
	return 0;
}

/* one "key=value" word of a rule */
static int
parse_word(struct fr_rule *r, char *w, const char *where, char *err,
    size_t errsz)
{
	char *eq = strchr(w, '='), *v;
	int f;

	if (eq == NULL || eq == w) {
		errf(err, errsz, "%s: \"%s\" is not key=value\n", where, w);
		return -1;
	}
	v = eq + 1;
	if ((f = field_of(w, (size_t)(eq - w))) != -1) {
		if (r->pat[f] != NULL) {
			errf(err, errsz, "%s: %s= given twice\n", where,
			    fieldname[f]);
			return -1;
		}
		if (f == FR_DTMF ? !dtmf_ok(v) : !token_ok(v, FR_PATMAX)) {
			errf(err, errsz, "%s: bad %s pattern\n", where,
			    fieldname[f]);
			return -1;
		}
		if (f == FR_DTMF && r->kind == FR_ROUTE) {
			errf(err, errsz, "%s: a route cannot look at DTMF "
			    "digits\n", where);
			return -1;
		}
		if ((r->pat[f] = strdup(strcmp(v, "-") == 0 ? "" : v)) == NULL)
			return -1;
		return 0;
	}
	*eq = '\0';
	if (r->kind != FR_ROUTE) {
		errf(err, errsz, "%s: unknown condition \"%s\"\n", where, w);
		return -1;
	}
	if (strcmp(w, "to") == 0)
		return parse_to(r, v, where, err, errsz);
	if (strcmp(w, "attach") == 0) {
		r->attach = strcmp(v, "pdf") == 0 ? FR_ATTACH_PDF :
		    strcmp(v, "tiff") == 0 ? FR_ATTACH_TIFF :
		    strcmp(v, "both") == 0 ? FR_ATTACH_BOTH : -1;
		if (r->attach == -1) {
			errf(err, errsz, "%s: attach= is pdf, tiff or both\n",
			    where);
			return -1;
		}
		return 0;
	}
	if (strcmp(w, "encrypt") == 0) {
		if (r->encrypt != NULL || v[0] != '/' || !token_ok(v, 255)) {
			errf(err, errsz, "%s: encrypt= needs one absolute "
			    "path of a certificate file\n", where);
			return -1;
		}
		if ((r->encrypt = strdup(v)) == NULL)
			return -1;
		return 0;
	}
	errf(err, errsz, "%s: unknown route key \"%s\"\n", where, w);
	return -1;
}

static int
has_cond(const struct fr_rule *r)
{
	int i;

	for (i = 0; i < FR_NFIELD; i++)
		if (r->pat[i] != NULL)
			return 1;
	return 0;
}

/* one line; 0, or -1 with the problem in err (r is freed by the caller) */
static int
parse_line(struct faxrules *t, char *line, const char *where, int lineno,
    struct fr_rule *r, int *keep, char *err, size_t errsz)
{
	char *w[64], *p, *save = NULL;
	int n = 0, i, isdef = 0;

	*keep = 0;
	for (p = strtok_r(line, " \t", &save); p != NULL && *p != '#';
	    p = strtok_r(NULL, " \t", &save)) {
		if (n == 64) {
			errf(err, errsz, "%s: too many words\n", where);
			return -1;
		}
		w[n++] = p;
	}
	if (n == 0)
		return 0;
	r->line = lineno;
	if (strcmp(w[0], "default") == 0) {
		if (n != 2 || (strcmp(w[1], "allow") != 0 &&
		    strcmp(w[1], "deny") != 0)) {
			errf(err, errsz, "%s: default is \"default allow\" or "
			    "\"default deny\"\n", where);
			return -1;
		}
		if (t->auth_default_line != 0) {
			errf(err, errsz, "%s: a second default (the first is "
			    "line %d)\n", where, t->auth_default_line);
			return -1;
		}
		t->auth_default = strcmp(w[1], "allow") == 0 ? FR_ALLOW :
		    FR_DENY;
		t->auth_default_line = lineno;
		return 0;
	}
	if (strcmp(w[0], "allow") == 0)
		r->kind = FR_ALLOW;
	else if (strcmp(w[0], "deny") == 0)
		r->kind = FR_DENY;
	else if (strcmp(w[0], "route") == 0)
		r->kind = FR_ROUTE;
	else {
		errf(err, errsz, "%s: unknown rule \"%s\" (allow, deny, "
		    "default or route)\n", where, w[0]);
		return -1;
	}
	i = 1;
	if (r->kind == FR_ROUTE && n > 1 && strcmp(w[1], "default") == 0) {
		isdef = 1;
		i = 2;
	}
	for (; i < n; i++)
		if (parse_word(r, w[i], where, err, errsz) == -1)
			return -1;
	if (r->kind != FR_ROUTE) {
		if (!has_cond(r)) {
			errf(err, errsz, "%s: %s needs a condition (did=, "
			    "cid=, tsi=, sub= or dtmf=); for all calls write "
			    "\"default %s\"\n", where, w[0], w[0]);
			return -1;
		}
		*keep = 1;
		return 0;
	}
	if (r->to == NULL) {
		errf(err, errsz, "%s: a route needs to=\n", where);
		return -1;
	}
	if (r->attach == 0)
		r->attach = FR_ATTACH_PDF;
	if (isdef) {
		if (has_cond(r)) {
			errf(err, errsz, "%s: the default route has no "
			    "conditions\n", where);
			return -1;
		}
		if (t->route_default != NULL) {
			errf(err, errsz, "%s: a second default route (the "
			    "first is line %d)\n", where,
			    t->route_default->line);
			return -1;
		}
		if ((t->route_default = malloc(sizeof(*r))) == NULL)
			return -1;
		*t->route_default = *r;
		memset(r, 0, sizeof(*r));
		return 0;
	}
	if (!has_cond(r)) {
		errf(err, errsz, "%s: a route needs a condition (did=, cid=, "
		    "tsi= or sub=); for all faxes write \"route default\"\n",
		    where);
		return -1;
	}
	*keep = 1;
	return 0;
}

int
faxrules_load(struct faxrules *t, const char *path, char *err, size_t errsz)
{
	char line[FR_LINEMAX + 2], where[300];
	struct fr_rule r, *nr;
	size_t cap = 0, len;
	int lineno = 0, bad = 0, keep;
	FILE *f;

	memset(t, 0, sizeof(*t));
	t->auth_default = FR_ALLOW;
	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (path == NULL || path[0] == '\0')
		return 0;
	(void)snprintf(t->file, sizeof(t->file), "%s", path);
	if ((f = fopen(path, "re")) == NULL) {
		errf(err, errsz, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		(void)snprintf(where, sizeof(where), "%s:%d", path, lineno);
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			errf(err, errsz, "%s: line too long\n", where);
			bad = 1;
			while (fgets(line, sizeof(line), f) != NULL &&
			    strchr(line, '\n') == NULL)
				;
			continue;
		}
		if (strlen(line) != len) {
			errf(err, errsz, "%s: NUL byte\n", where);
			bad = 1;
			continue;
		}
		memset(&r, 0, sizeof(r));
		if (parse_line(t, line, where, lineno, &r, &keep, err,
		    errsz) == -1) {
			rule_free(&r);
			bad = 1;
			continue;
		}
		if (!keep) {
			rule_free(&r);
			continue;
		}
		if (t->nrules == FR_MAXRULES) {
			errf(err, errsz, "%s: more than %d rules\n", where,
			    FR_MAXRULES);
			rule_free(&r);
			bad = 1;
			break;
		}
		if (t->nrules == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nr = reallocarray(t->rules, cap,
			    sizeof(*nr))) == NULL) {
				rule_free(&r);
				bad = 1;
				errf(err, errsz, "%s: out of memory\n", where);
				break;
			}
			t->rules = nr;
		}
		t->rules[t->nrules++] = r;
	}
	if (ferror(f)) {
		errf(err, errsz, "%s: %s\n", path, strerror(errno));
		bad = 1;
	}
	(void)fclose(f);
	if (bad) {
		faxrules_free(t);
		return -1;
	}
	return 0;
}

/* a value against a pattern: "" (from "-") matches only an empty value */
static int
match(int field, const char *pat, const char *val)
{
	size_t i, n;
	unsigned char d = 0;

	if (val == NULL)
		val = "";
	if (pat[0] == '\0' || val[0] == '\0')
		return pat[0] == '\0' && val[0] == '\0';
	if (field != FR_DTMF)
		return fnmatch(pat, val, FNM_NOESCAPE) == 0;
	/* DTMF digits are a secret: exact, without an early exit */
	if ((n = strlen(pat)) != strlen(val))
		return 0;
	for (i = 0; i < n; i++)
		d |= (unsigned char)(pat[i] ^ val[i]);
	return d == 0;
}

static int
rule_matches(const struct fr_rule *r, const struct fr_call *c)
{
	int i;

	for (i = 0; i < FR_NFIELD; i++)
		if (r->pat[i] != NULL && !match(i, r->pat[i], c->f[i]))
			return 0;
	return 1;
}

int
faxrules_authorize(const struct faxrules *t, const struct fr_call *c,
    const struct fr_rule **rule)
{
	size_t i;

	for (i = 0; i < t->nrules; i++) {
		const struct fr_rule *r = &t->rules[i];

		if (r->kind == FR_ROUTE || !rule_matches(r, c))
			continue;
		*rule = r;
		return r->kind == FR_ALLOW;
	}
	*rule = NULL;
	return t->auth_default == FR_ALLOW;
}

const struct fr_rule *
faxrules_refuse(const struct faxrules *t, const char *did, const char *cid)
{
	size_t i;

	for (i = 0; i < t->nrules; i++) {
		const struct fr_rule *r = &t->rules[i];
		int later;

		if (r->kind == FR_ROUTE)
			continue;
		if ((r->pat[FR_DID] != NULL &&
		    !match(FR_DID, r->pat[FR_DID], did)) ||
		    (r->pat[FR_CID] != NULL &&
		    !match(FR_CID, r->pat[FR_CID], cid)))
			continue;
		later = r->pat[FR_TSI] != NULL || r->pat[FR_SUB] != NULL ||
		    r->pat[FR_DTMF] != NULL;
		if (r->kind == FR_ALLOW)
			return NULL;
		if (!later)
			return r;
	}
	return NULL;
}

const struct fr_rule *
faxrules_route(const struct faxrules *t, const struct fr_call *c)
{
	size_t i;

	for (i = 0; i < t->nrules; i++)
		if (t->rules[i].kind == FR_ROUTE &&
		    rule_matches(&t->rules[i], c))
			return &t->rules[i];
	return t->route_default;
}

void
faxrules_where(const struct faxrules *t, const struct fr_rule *r,
    char *buf, size_t sz)
{
	if (r == NULL || r == t->route_default)
		(void)snprintf(buf, sz, "default");
	else
		(void)snprintf(buf, sz, "%s:%d", t->file, r->line);
}

const char *
faxrules_attach_name(int attach)
{
	switch (attach) {
	case FR_ATTACH_TIFF:
		return "tiff";
	case FR_ATTACH_BOTH:
		return "both";
	default:
		return "pdf";
	}
}

int
faxrules_conf_check(const struct conf *c, char *err, size_t errsz)
{
	struct faxrules t;

	if (faxrules_load(&t, c->route_file, err, errsz) == -1)
		return -1;
	faxrules_free(&t);
	return 0;
}
