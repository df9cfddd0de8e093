/*
 * faxrules-t: the onramp table's matching (lib/faxrules): first match
 * wins, wildcards, "-" for a missing value, DTMF codes exact, the
 * default; routes and the default route; what faxgetty may refuse before
 * answering; and the loader's file:line errors.
 */
#include <stdio.h>
#include <string.h>

#include "faxrules.h"
#include "tap.h"

static char path[512];

static int
load(struct faxrules *t, const char *text, char *err, size_t errsz)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) == EOF)
		bail("cannot write %s", path);
	return faxrules_load(t, path, err, errsz);
}

static struct fr_call
call(const char *did, const char *cid, const char *tsi, const char *sub,
    const char *dtmf)
{
	struct fr_call c;

	memset(&c, 0, sizeof(c));
	c.f[FR_DID] = did;
	c.f[FR_CID] = cid;
	c.f[FR_TSI] = tsi;
	c.f[FR_SUB] = sub;
	c.f[FR_DTMF] = dtmf;
	return c;
}

static const char *
where(const struct faxrules *t, const struct fr_rule *r)
{
	static char buf[600];
	const char *s;

	faxrules_where(t, r, buf, sizeof(buf));
	s = strrchr(buf, ':');
	return s != NULL ? s + 1 : buf;
}

int
main(void)
{
	struct faxrules t;
	const struct fr_rule *r;
	struct fr_call c;
	char err[2048];

	plan(32);
	(void)snprintf(path, sizeof(path), "%s/routes", test_tmpdir());
	ok(load(&t, "# junk\n"
	    "deny cid=+1900*\n"			/* 2 */
	    "allow did=7003 dtmf=4711#\n"	/* 3 */
	    "deny did=7003\n"			/* 4 */
	    "deny tsi=*PROMO*\n"		/* 5 */
	    "allow did=7010 tsi=FRIEND\n"	/* 6 */
	    "deny did=7010 cid=555*\n"		/* 7 */
	    "deny cid=-\n"			/* 8 */
	    "default allow\n"
	    "route did=7001 to=a@x.test,b@x.test attach=both\n"	/* 10 */
	    "route sub=4? to=sub@x.test\n"	/* 11 */
	    "route tsi=ACME* to=acme@x.test attach=tiff\n"	/* 12 */
	    "route default to=desk@x.test   # the rest\n",
	    err, sizeof(err)) == 0, "a good table loads");
	if (err[0] != '\0')
		diag("%s", err);

	c = call("7001", "+19005551234", "X", "", "");
	ok(!faxrules_authorize(&t, &c, &r), "denied by a caller id wildcard");
	is_string("2", where(&t, r), "... by line 2");
	c = call("7003", "5551111", "X", "", "4711#");
	ok(faxrules_authorize(&t, &c, &r), "the right DTMF code allows");
	is_string("3", where(&t, r), "... by line 3");
	c = call("7003", "5551111", "X", "", "4711");
	ok(!faxrules_authorize(&t, &c, &r), "a code that is a prefix does not");
	is_string("4", where(&t, r), "... the deny for 7003 decides");
	c = call("7001", "5551111", "BIG PROMO FAX", "", "");
	ok(!faxrules_authorize(&t, &c, &r), "denied by TSI");
	c = call("7001", "", "X", "", "");
	ok(!faxrules_authorize(&t, &c, &r), "\"-\": no caller id is denied");
	is_string("8", where(&t, r), "... by line 8");
	c = call("7001", "5551111", "X", "", "");
	ok(faxrules_authorize(&t, &c, &r) && r == NULL, "else the default");
	is_string("default", where(&t, r), "... named default");

	c = call("7001", "5551111", "ACME", "42", "");
	r = faxrules_route(&t, &c);
	ok(r != NULL && r->nto == 2 && strcmp(r->to[1], "b@x.test") == 0 &&
	    r->attach == FR_ATTACH_BOTH, "route by DID first: two addresses, both");
	c = call("7002", "5551111", "ACME", "42", "");
	r = faxrules_route(&t, &c);
	ok(r != NULL && strcmp(r->to[0], "sub@x.test") == 0,
	    "then by sub-address (?)");
	c = call("7002", "5551111", "ACME Inc", "", "");
	r = faxrules_route(&t, &c);
	ok(r != NULL && strcmp(r->to[0], "acme@x.test") == 0 &&
	    r->attach == FR_ATTACH_TIFF, "then by TSI (*)");
	c = call("7002", "5551111", "OTHER", "", "");
	r = faxrules_route(&t, &c);
	ok(r != NULL && strcmp(r->to[0], "desk@x.test") == 0 &&
	    r->attach == FR_ATTACH_PDF, "else the default route, PDF");
	is_string("default", where(&t, r), "... named default");

	r = faxrules_refuse(&t, "7001", "+19005550000");
	ok(r != NULL && r->line == 2, "before answering: a junk caller id");
	ok(faxrules_refuse(&t, "7003", "5551111") == NULL,
	    "before answering: an allow that needs DTMF answers");
	ok(faxrules_refuse(&t, "7001", "5551111") == NULL,
	    "before answering: a deny by TSI cannot decide; the default never "
	    "refuses");
	ok(faxrules_refuse(&t, "7010", "5552222") == NULL,
	    "before answering: an allow by TSI for the DID comes first");
	r = faxrules_refuse(&t, "7001", "");
	ok(r != NULL && r->line == 8, "before answering: no caller id refused "
	    "by \"cid=-\"");
	faxrules_free(&t);

	ok(load(&t, "default deny\nroute did=1 to=a@x.test\n", err,
	    sizeof(err)) == 0, "a default-deny table loads");
	c = call("1", "5551111", "X", "", "");
	ok(!faxrules_authorize(&t, &c, &r) && r == NULL, "default deny");
	ok(faxrules_refuse(&t, "1", "5551111") == NULL,
	    "default deny does not refuse before answering");
	c = call("2", "5551111", "X", "", "");
	ok(faxrules_route(&t, &c) == NULL, "no route, no default: unroutable");
	faxrules_free(&t);

	ok(load(&t, "allow\nroute did=1 to=a@b.test dtmf=1\n"
	    "route default to=x@y.test\nroute default to=z@y.test\n"
	    "deny cid=+1 cid=+2\nroute did=1 to=a@b.test attach=jpeg\n"
	    "route did=1 to=a@b.test encrypt=rel.pem\n", err,
	    sizeof(err)) == -1, "a bad table does not load");
	ok(strstr(err, ":1: allow needs a condition") != NULL,
	    "a rule without a condition, by line");
	ok(strstr(err, ":2: a route cannot look at DTMF") != NULL,
	    "a route by DTMF");
	ok(strstr(err, ":4: a second default route (the first is line 3)") !=
	    NULL, "a second default route");
	ok(strstr(err, ":5: cid= given twice") != NULL &&
	    strstr(err, ":6: attach= is pdf, tiff or both") != NULL &&
	    strstr(err, ":7: encrypt= needs one absolute path") != NULL,
	    "every bad line is named, not just the first");
	if (t.nrules != 0)
		diag("%s", err);
	ok(faxrules_load(&t, "", err, sizeof(err)) == 0 && t.nrules == 0 &&
	    t.auth_default == FR_ALLOW, "no file: allow all, route none");
	faxrules_free(&t);
	return 0;
}
