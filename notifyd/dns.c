/*
 * dns: a domain's mail hosts in preference order, from the libc resolver
 * (res_query), as RFC 5321 5.1 says: the MX records, or the domain itself
 * when it has none (its A/AAAA records are then looked up by the caller);
 * a null MX (RFC 7505) or a domain that does not exist means no mail.
 * Runs in the delivery child; nothing here touches the spool.
 */
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/nameser.h>

#include <netdb.h>
#include <resolv.h>
#include <stdio.h>
#include <string.h>

#include "notifyd.h"

/* the MX records of an answer, sorted by preference (stable); -1 if bad */
int
dns_parse_mx(const unsigned char *msg, int len, struct mxhost *mx, size_t *n)
{
	ns_msg h;
	ns_rr rr;
	size_t k = 0;
	int count;

	if (ns_initparse(msg, len, &h) == -1)
		return -1;
	count = ns_msg_count(h, ns_s_an);
	for (int i = 0; i < count && k < DNS_MAXHOSTS; i++) {
		const unsigned char *rd;
		struct mxhost m;

		if (ns_parserr(&h, ns_s_an, i, &rr) == -1)
			return -1;
		if (ns_rr_type(rr) != ns_t_mx || ns_rr_class(rr) != ns_c_in)
			continue;
		if (ns_rr_rdlen(rr) < 3)
			return -1;
		rd = ns_rr_rdata(rr);
		m.pref = rd[0] << 8 | rd[1];
		if (dn_expand(ns_msg_base(h), ns_msg_end(h), rd + 2, m.name,
		    sizeof(m.name)) == -1)
			return -1;
		/* insertion keeps equal preferences in answer order */
		size_t j = k++;
		for (; j > 0 && mx[j - 1].pref > m.pref; j--)
			mx[j] = mx[j - 1];
		mx[j] = m;
	}
	*n = k;
	return 0;
}

int
dns_mx(const char *domain, struct mxhost *mx, size_t *n, int *perm,
    char *why, size_t whysz)
{
	unsigned char ans[8192];
	int len;

	*perm = 0;
	*n = 0;
	len = res_query(domain, ns_c_in, ns_t_mx, ans, sizeof(ans));
	if (len == -1) {
		switch (h_errno) {
		case HOST_NOT_FOUND:
			*perm = 1;
			snprintf(why, whysz, "DNS: domain %s does not exist",
			    domain);
			return -1;
		case NO_DATA:	/* no MX: the domain is its own mail host */
			snprintf(mx[0].name, sizeof(mx[0].name), "%s", domain);
			mx[0].pref = 0;
			*n = 1;
			return 0;
		default:
			snprintf(why, whysz, "DNS: MX lookup for %s failed, "
			    "will retry", domain);
			return -1;
		}
	}
	if (dns_parse_mx(ans, len, mx, n) == -1) {
		snprintf(why, whysz, "DNS: bad MX answer for %s", domain);
		return -1;
	}
	if (*n == 0) {
		snprintf(mx[0].name, sizeof(mx[0].name), "%s", domain);
		mx[0].pref = 0;
		*n = 1;
	} else if (*n == 1 && mx[0].name[0] == '\0') {
		*perm = 1;
		snprintf(why, whysz, "DNS: %s accepts no mail (null MX)",
		    domain);
		return -1;
	}
	return 0;
}
