/*
 * faxaddr: fax addresses in mail (RFC 3192) and the dial plan.  Turns
 * "FAX=+12224567654/T33S=123@fax.example" into an E.164 number, a T.33
 * sub-address and a domain; decides whether a number may be dialled and
 * rewrites it into the dial string the modem gets.  Pure functions: no
 * I/O, no logging; reasons come back as static strings for SMTP replies.
 */
#ifndef RAMPART_FAXADDR_H
#define RAMPART_FAXADDR_H

#include <stddef.h>

#define FAXADDR_DIGITS_MAX	15	/* E.164 */
#define FAXADDR_DIGITS_MIN	4
#define FAXADDR_SUB_MAX		20	/* T.33 sub-address digits */
#define FAXADDR_E164_SIZE	(FAXADDR_DIGITS_MAX + 2)
#define FAXADDR_SUB_SIZE	(FAXADDR_SUB_MAX + 1)
#define FAXADDR_DOMAIN_SIZE	256
#define FAXADDR_DIAL_SIZE	48

struct faxaddr {
	char	e164[FAXADDR_E164_SIZE];	/* "+12224567654" */
	char	sub[FAXADDR_SUB_SIZE];		/* "" if none */
	char	domain[FAXADDR_DOMAIN_SIZE];	/* lowercased */
};

/*
 * Parses a mailbox (no angle brackets): local part "FAX=" (optional, any
 * case), then "+" (optional) and 4..15 digits with optional '-' or '.'
 * visual separators (RFC 3191), then an optional "/T33S=digits"; '@' and
 * a domain.  Digits without '+' are read as the international number.
 * Returns 0, or -1 with a short reason in *why.
 */
int	faxaddr_parse(const char *mailbox, struct faxaddr *fa, const char **why);

/* 1 if domain is in list (names separated by spaces or commas, any case) */
int	faxaddr_domain_ok(const char *list, const char *domain);

/*
 * 1 if e164 matches one of the patterns (separated by spaces or commas):
 * "*" matches all, "+1212*" a prefix, "+12125551234" exactly.
 */
int	faxaddr_match(const char *patterns, const char *e164);

struct dialplan {
	const char	*country_code;	/* home country, digits: "1", "49" */
	const char	*national_prefix;	/* trunk prefix: "1", "0", "" */
	const char	*international_prefix;	/* "011", "00" */
	const char	*prefix;	/* outside line, e.g. "9", or "" */
	int		 international;	/* other countries allowed */
	const char	*allow;		/* E.164 prefixes, e.g. "+44 +33" */
	const char	*deny;		/* E.164 prefixes, e.g. "+1900 +1976" */
};

/*
 * Checks e164 against the plan: the longest matching prefix among allow,
 * deny, "+<country_code>" (allowed) and "+" (allowed only if international)
 * decides; on a tie deny wins.  If allowed, writes the dial string (home
 * country: prefix + national prefix + national number; elsewhere: prefix
 * + international prefix + digits) and returns 0; otherwise -1 with a
 * reason in *why (ENAMETOOLONG-like overflow also gives -1).
 */
int	dialplan_check(const struct dialplan *dp, const char *e164,
	    char *dial, size_t dialsz, const char **why);

#endif
