/*
 * faxaddr: RFC 3192 fax mailboxes and the dial plan.  Owns the parsing
 * of RCPT TO local parts into E.164 numbers and the decision whether a
 * number may be dialled.  Never does I/O or logging; every byte of the
 * address is checked against a length before it is copied.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "faxaddr.h"

#define LOCAL_MAX	64	/* RFC 5321 4.5.3.1.1 */

/* "/T33S=digits" (RFC 3192 section 3); p points after the '/' */
static int
parse_sub(const char *p, const char *end, struct faxaddr *fa,
    const char **why)
{
	size_t n = 0;

	if (end - p < 5 || strncasecmp(p, "T33S=", 5) != 0) {
		*why = "unsupported address parameter (only /T33S= is)";
		return -1;
	}
	for (p += 5; p < end; p++) {
		if (!isdigit((unsigned char)*p)) {
			*why = "T.33 sub-address must be digits";
			return -1;
		}
		if (n == FAXADDR_SUB_MAX) {
			*why = "T.33 sub-address longer than 20 digits";
			return -1;
		}
		fa->sub[n++] = *p;
	}
	if (n == 0) {
		*why = "empty T.33 sub-address";
		return -1;
	}
	fa->sub[n] = '\0';
	return 0;
}

/* [FAX=][+]digits with '-' or '.' separators, up to end or '/' */
static int
parse_number(const char *p, const char *end, struct faxaddr *fa,
    const char **why)
{
	size_t n = 1;

	if (end - p >= 4 && strncasecmp(p, "FAX=", 4) == 0)
		p += 4;
	if (p < end && *p == '+')
		p++;
	fa->e164[0] = '+';
	for (; p < end && *p != '/'; p++) {
		if (*p == '-' || *p == '.')
			continue;
		if (!isdigit((unsigned char)*p)) {
			*why = "local part is not a fax number";
			return -1;
		}
		if (n > FAXADDR_DIGITS_MAX) {
			*why = "fax number longer than 15 digits";
			return -1;
		}
		fa->e164[n++] = *p;
	}
	fa->e164[n] = '\0';
	if (n - 1 < FAXADDR_DIGITS_MIN) {
		*why = n == 1 ? "no fax number in local part" :
		    "fax number shorter than 4 digits";
		return -1;
	}
	if (fa->e164[1] == '0') {
		*why = "fax number must be international (E.164), not 0...";
		return -1;
	}
	if (p < end)
		return parse_sub(p + 1, end, fa, why);
	return 0;
}

static int
parse_domain(const char *d, struct faxaddr *fa, const char **why)
{
	size_t i, len = strlen(d);

	if (len == 0 || len >= sizeof(fa->domain)) {
		*why = len == 0 ? "empty domain" : "domain too long";
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = d[i];

		if (!isalnum(c) && c != '-' && c != '.') {
			*why = "bad character in domain";
			return -1;
		}
		fa->domain[i] = tolower(c);
	}
	fa->domain[len] = '\0';
	return 0;
}

int
faxaddr_parse(const char *mailbox, struct faxaddr *fa, const char **why)
{
	const char *at;

	memset(fa, 0, sizeof(*fa));
	*why = "not a fax address";
	if ((at = strrchr(mailbox, '@')) == NULL) {
		*why = "no domain in address";
		return -1;
	}
	if (at == mailbox || at - mailbox > LOCAL_MAX) {
		*why = at == mailbox ? "empty local part" : "local part too long";
		return -1;
	}
	if (parse_number(mailbox, at, fa, why) == -1)
		return -1;
	return parse_domain(at + 1, fa, why);
}

/* calls match(item, len, arg) for each item of a space/comma list */
static int
list_any(const char *list, int (*match)(const char *, size_t, const void *),
    const void *arg)
{
	const char *p = list;
	size_t len;

	while (*p != '\0') {
		p += strspn(p, " \t,");
		len = strcspn(p, " \t,");
		if (len > 0 && match(p, len, arg))
			return 1;
		p += len;
	}
	return 0;
}

static int
domain_eq(const char *item, size_t len, const void *arg)
{
	const char *domain = arg;

	return strlen(domain) == len && strncasecmp(item, domain, len) == 0;
}

int
faxaddr_domain_ok(const char *list, const char *domain)
{
	return list_any(list, domain_eq, domain);
}

static int
pattern_eq(const char *item, size_t len, const void *arg)
{
	const char *e164 = arg;

	if (item[len - 1] == '*')
		return strncmp(item, e164, len - 1) == 0;
	return strlen(e164) == len && strncmp(item, e164, len) == 0;
}

int
faxaddr_match(const char *patterns, const char *e164)
{
	return list_any(patterns, pattern_eq, e164);
}

/* length of the longest prefix in list that e164 starts with, or -1 */
static long
longest_prefix(const char *list, const char *e164)
{
	const char *p = list;
	long best = -1;
	size_t len;

	while (*p != '\0') {
		p += strspn(p, " \t,");
		len = strcspn(p, " \t,");
		if (len > 0 && strncmp(p, e164, len) == 0 && (long)len > best)
			best = len;
		p += len;
	}
	return best;
}

static int
allowed(const struct dialplan *dp, const char *e164, const char **why)
{
	long home = -1, allow, deny;
	size_t cc = strlen(dp->country_code);

	if (cc > 0 && strncmp(e164 + 1, dp->country_code, cc) == 0)
		home = cc + 1;
	allow = longest_prefix(dp->allow, e164);
	if (home > allow)
		allow = home;
	if (dp->international && allow < 1)
		allow = 1;
	deny = longest_prefix(dp->deny, e164);
	if (!dp->international && deny < 1)
		deny = 1;	/* the implicit "+": international is off */
	if (deny >= allow) {
		*why = deny == 1 ?
		    "international numbers are not allowed by the dial plan" :
		    "number is denied by the dial plan";
		return 0;
	}
	return 1;
}

int
dialplan_check(const struct dialplan *dp, const char *e164, char *dial,
    size_t dialsz, const char **why)
{
	size_t cc = strlen(dp->country_code);
	int n;

	if (e164[0] != '+' || !allowed(dp, e164, why)) {
		if (e164[0] != '+')
			*why = "not an E.164 number";
		return -1;
	}
	if (cc > 0 && strncmp(e164 + 1, dp->country_code, cc) == 0)
		n = snprintf(dial, dialsz, "%s%s%s", dp->prefix,
		    dp->national_prefix, e164 + 1 + cc);
	else
		n = snprintf(dial, dialsz, "%s%s%s", dp->prefix,
		    dp->international_prefix, e164 + 1);
	if (n < 0 || (size_t)n >= dialsz) {
		*why = "dial string too long";
		return -1;
	}
	return 0;
}
