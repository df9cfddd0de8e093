/* faxaddr-t: RFC 3192 address forms, bad forms refused, dial plan rules */
#include <string.h>

#include "faxaddr.h"
#include "tap.h"

static void
good(const char *addr, const char *e164, const char *sub, const char *dom)
{
	struct faxaddr fa;
	const char *why = NULL;
	int rc = faxaddr_parse(addr, &fa, &why);

	is_int(0, rc, "%s parses", addr);
	if (rc == -1) {
		diag("reason: %s", why);
		memset(&fa, 0, sizeof(fa));
	}
	is_string(e164, fa.e164, "%s: number %s", addr, e164);
	is_string(sub, fa.sub, "%s: sub-address '%s'", addr, sub);
	is_string(dom, fa.domain, "%s: domain %s", addr, dom);
}

static void
bad(const char *addr, const char *reason)
{
	struct faxaddr fa;
	const char *why = "";

	is_int(-1, faxaddr_parse(addr, &fa, &why), "'%s' is refused", addr);
	is_string(reason, why, "'%s': reason '%s'", addr, reason);
}

static void
dial(const struct dialplan *dp, const char *e164, const char *want)
{
	char buf[FAXADDR_DIAL_SIZE] = "";
	const char *why = "";
	int rc = dialplan_check(dp, e164, buf, sizeof(buf), &why);

	if (want == NULL) {
		is_int(-1, rc, "%s is not dialled", e164);
		return;
	}
	is_int(0, rc, "%s may be dialled", e164);
	is_string(want, buf, "%s is dialled as %s", e164, want);
}

int
main(void)
{
	struct dialplan dp = { "1", "1", "011", "", 0, "", "+1900 +1976" };
	char lng[300];
	const char *why = "";

	plan(80);
	good("FAX=+12224567654@fax.example", "+12224567654", "", "fax.example");
	good("fax=+1-222-456.7654@Fax.Example", "+12224567654", "", "fax.example");
	good("+12224567654@fax.example", "+12224567654", "", "fax.example");
	good("12224567654@fax.example", "+12224567654", "", "fax.example");
	good("FAX=+12224567654/T33S=6174@fax.example", "+12224567654", "6174",
	    "fax.example");
	good("+4930123456/t33s=1@f.example", "+4930123456", "1", "f.example");

	bad("john@fax.example", "local part is not a fax number");
	bad("FAX=@fax.example", "no fax number in local part");
	bad("+123@fax.example", "fax number shorter than 4 digits");
	bad("+1234567890123456@fax.example", "fax number longer than 15 digits");
	bad("02224567654@fax.example",
	    "fax number must be international (E.164), not 0...");
	bad("+12224567654/T33S=@fax.example", "empty T.33 sub-address");
	bad("+12224567654/T33S=12a@fax.example", "T.33 sub-address must be digits");
	bad("+12224567654/T33S=123456789012345678901@fax.example",
	    "T.33 sub-address longer than 20 digits");
	bad("+12224567654/X=1@fax.example",
	    "unsupported address parameter (only /T33S= is)");
	bad("+12224567654", "no domain in address");
	bad("@fax.example", "empty local part");
	bad("+12224567654@", "empty domain");
	bad("+12224567654@fax_example", "bad character in domain");
	bad("\"+1222 4567654\"@fax.example", "local part is not a fax number");
	memset(lng, '1', sizeof(lng));
	lng[65] = '@';
	lng[66] = 'x';
	lng[67] = '\0';
	bad(lng, "local part too long");

	ok(faxaddr_domain_ok("fax.example, FAX2.example", "fax2.example"),
	    "a listed domain is accepted, any case");
	ok(!faxaddr_domain_ok("fax.example fax2.example", "fax3.example"),
	    "an unlisted domain is refused");
	ok(!faxaddr_domain_ok("fax.example", "ax.example"),
	    "a suffix of a listed domain is refused");
	ok(faxaddr_match("*", "+12224567654"), "* matches all numbers");
	ok(faxaddr_match("+1212*,+1222*", "+12224567654"), "a prefix pattern matches");
	ok(!faxaddr_match("+1212*", "+12224567654"), "another prefix does not");
	ok(faxaddr_match("+12224567654", "+12224567654"), "an exact number matches");
	ok(!faxaddr_match("+1222456765", "+12224567654"), "exact means exact");
	ok(!faxaddr_match("", "+12224567654"), "an empty list matches nothing");

	dial(&dp, "+12224567654", "12224567654");
	dial(&dp, "+19005551234", NULL);
	dial(&dp, "+441234567890", NULL);
	is_int(-1, dialplan_check(&dp, "+441234567890", lng, 40, &why),
	    "international refused by default");
	is_string("international numbers are not allowed by the dial plan", why,
	    "the reason names international dialling");
	dp.allow = "+44";
	dial(&dp, "+441234567890", "011441234567890");
	dp.deny = "+1900 +1976 +4490";
	dial(&dp, "+449012345678", NULL);
	is_int(-1, dialplan_check(&dp, "+19005551234", lng, 40, &why),
	    "premium rate refused");
	is_string("number is denied by the dial plan", why,
	    "the reason names the dial plan");
	dp.international = 1;
	dp.allow = "";
	dp.country_code = "49";
	dp.national_prefix = "0";
	dp.international_prefix = "00";
	dp.prefix = "9";
	dial(&dp, "+4930123456", "9030123456");
	dial(&dp, "+12224567654", "90012224567654");
	dial(&dp, "+19005551234", NULL);
	is_int(-1, dialplan_check(&dp, "+12224567654", lng, 8, &why),
	    "a dial string that does not fit is refused");
	return 0;
}
