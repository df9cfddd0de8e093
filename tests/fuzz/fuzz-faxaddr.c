/*
 * fuzz-faxaddr: RFC 3192 fax addresses (faxaddr_parse) and the dial plan
 * (dialplan_check, faxaddr_match, faxaddr_domain_ok), what every
 * authenticated MFP's RCPT TO reaches.  Input: lines; the first is the
 * mailbox, the next ones (if any) the plan's country code, national,
 * international and outside-line prefixes, allow and deny lists, the
 * account's number patterns and the fax domains; a last byte's low bit
 * allows international calls.  Aborts when
 *  - a parsed address is not "+" and 4..15 digits (no leading 0), a
 *    sub-address of 1..20 digits or none, a lowercase domain of
 *    [a-z0-9.-]; or its digits are not the mailbox's; or, written back
 *    as "FAX=+NUMBER/T33S=SUB@domain", it does not parse the same;
 *  - the plan allows a number one of its deny prefixes covers and no
 *    longer allow prefix (nor the home country code) outweighs, or an
 *    international one while international calls are off; or the dial
 *    string is not the outside-line prefix, then the national or
 *    international prefix, then the number's digits;
 *  - a number does not match itself or "*", or a domain its own name.
 * Built by `make fuzz` (tests/fuzz/local.mk).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faxaddr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NF	9

static void
check_parsed(const char *mbox, const struct faxaddr *fa)
{
	struct faxaddr fb;
	char again[512], digits[64];
	const char *why, *at = strrchr(mbox, '@'), *p;
	size_t n = strlen(fa->e164), i, d = 0;

	if (at == NULL || fa->e164[0] != '+' || n < 5 || n > 16 ||
	    fa->e164[1] == '0' ||
	    strspn(fa->e164 + 1, "0123456789") != n - 1 ||
	    strspn(fa->sub, "0123456789") != strlen(fa->sub) ||
	    strlen(fa->sub) > 20 || fa->domain[0] == '\0' ||
	    strspn(fa->domain, "abcdefghijklmnopqrstuvwxyz0123456789.-") !=
	    strlen(fa->domain) || strcasecmp(fa->domain, at + 1) != 0)
		abort();
	/* the local part's digits, up to the '/', are the number */
	p = mbox;
	if (strncasecmp(p, "FAX=", 4) == 0)
		p += 4;
	for (; p < at && *p != '/'; p++)
		if (isdigit((unsigned char)*p) && d + 1 < sizeof(digits))
			digits[d++] = *p;
	digits[d] = '\0';
	if (strcmp(digits, fa->e164 + 1) != 0)
		abort();
	snprintf(again, sizeof(again), "FAX=%s%s%s@%s", fa->e164,
	    fa->sub[0] ? "/T33S=" : "", fa->sub, fa->domain);
	if (faxaddr_parse(again, &fb, &why) == -1 ||
	    memcmp(fa, &fb, sizeof(fb)) != 0)
		abort();
	if (!faxaddr_match(fa->e164, fa->e164) || !faxaddr_match("*", fa->e164) ||
	    !faxaddr_domain_ok(fa->domain, fa->domain))
		abort();
	for (i = 0; fa->domain[i] != '\0'; i++)
		if (isupper((unsigned char)fa->domain[i]))
			abort();
}

/* the longest item of list that e164 starts with, or -1 */
static long
longest(const char *list, const char *e164)
{
	char buf[4096], *p, *save = NULL;
	long best = -1;

	snprintf(buf, sizeof(buf), "%s", list);
	for (p = strtok_r(buf, " \t,", &save); p != NULL;
	    p = strtok_r(NULL, " \t,", &save))
		if (strncmp(p, e164, strlen(p)) == 0 && (long)strlen(p) > best)
			best = strlen(p);
	return best;
}

static void
check_plan(const struct dialplan *dp, const char *e164)
{
	char dial[FAXADDR_DIAL_SIZE], want[256];
	const char *why = NULL;
	size_t cc = strlen(dp->country_code);
	long allow, deny;
	int home = cc > 0 && strncmp(e164 + 1, dp->country_code, cc) == 0;

	if (dialplan_check(dp, e164, dial, sizeof(dial), &why) == -1) {
		if (why == NULL || *why == '\0')
			abort();
		return;
	}
	allow = longest(dp->allow, e164);
	if (home && (long)cc + 1 > allow)
		allow = cc + 1;
	if (dp->international && allow < 1)
		allow = 1;
	deny = longest(dp->deny, e164);
	if (!dp->international && deny < 1)
		deny = 1;
	if (deny >= allow)
		abort();
	snprintf(want, sizeof(want), "%s%s%s", dp->prefix,
	    home ? dp->national_prefix : dp->international_prefix,
	    e164 + 1 + (home ? cc : 0));
	if (strcmp(want, dial) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[4096], *f[NF], *p;
	struct faxaddr fa;
	struct dialplan dp;
	const char *why;
	int i, intl;

	if (size == 0 || size >= sizeof(buf))
		return 0;
	intl = data[size - 1] & 1;
	memcpy(buf, data, size - 1);
	buf[size - 1] = '\0';
	p = buf;
	for (i = 0; i < NF; i++)
		f[i] = p != NULL ? strsep(&p, "\n") : (char *)"";
	if (faxaddr_parse(f[0], &fa, &why) == -1) {
		if (why == NULL || *why == '\0')
			abort();
		return 0;
	}
	check_parsed(f[0], &fa);
	dp = (struct dialplan){ f[1], f[2], f[3], f[4], intl, f[5], f[6] };
	check_plan(&dp, fa.e164);
	(void)faxaddr_match(f[7], fa.e164);
	(void)faxaddr_domain_ok(f[8], fa.domain);
	return 0;
}
