/*
 * dns-t: notifyd's MX answer parsing on DNS messages built here byte by
 * byte (compressed names, preferences out of order, a null MX, a message
 * cut short), so the order of mail hosts is checked without a resolver.
 */
#include <string.h>

#include "notifyd.h"
#include "tap.h"

static size_t
put(unsigned char *p, size_t off, const void *b, size_t n)
{
	memcpy(p + off, b, n);
	return off + n;
}

/* header and question for example.test MX; returns the offset after it */
static size_t
head(unsigned char *p, int ancount)
{
	static const unsigned char h[12] = { 0x12, 0x34, 0x81, 0x80, 0, 1, 0,
	    0, 0, 0, 0, 0 };
	size_t off = put(p, 0, h, 12);

	p[7] = ancount;
	off = put(p, off, "\7example\4test\0", 14);
	return put(p, off, "\0\17\0\1", 4);
}

/* an MX record for the owner at offset 12, rdata given */
static size_t
mx(unsigned char *p, size_t off, int pref, const void *name, size_t nlen)
{
	unsigned char rr[12] = { 0xc0, 12, 0, 15, 0, 1, 0, 0, 1, 0x2c, 0, 0 };

	rr[11] = 2 + nlen;
	off = put(p, off, rr, 12);
	p[off++] = pref >> 8;
	p[off++] = pref & 255;
	return put(p, off, name, nlen);
}

int
main(void)
{
	unsigned char p[512];
	struct mxhost h[DNS_MAXHOSTS];
	size_t off, n = 99;

	plan(9);
	off = head(p, 3);
	off = mx(p, off, 20, "\3mx2\300\14", 6);	/* mx2 + pointer */
	off = mx(p, off, 10, "\3mx1\300\14", 6);
	off = mx(p, off, 10, "\4mx1b\7example\4test\0", 20);
	is_int(0, dns_parse_mx(p, (int)off, h, &n), "a three-MX answer parses");
	is_int(3, (long)n, "three hosts");
	is_string("mx1.example.test", h[0].name,
	    "the lowest preference first, its compressed name expanded");
	is_string("mx1b.example.test", h[1].name,
	    "an equal preference keeps the answer's order");
	is_string("mx2.example.test", h[2].name, "the highest preference last");
	is_int(-1, dns_parse_mx(p, (int)off - 5, h, &n),
	    "a message cut short is refused");

	off = head(p, 1);
	off = mx(p, off, 0, "\0", 1);
	is_int(0, dns_parse_mx(p, (int)off, h, &n), "a null MX parses");
	ok(n == 1 && h[0].name[0] == '\0', "as one host with the root name");

	off = head(p, 0);
	is_int(0, dns_parse_mx(p, (int)off, h, &n) == 0 ? (long)n : -1,
	    "an answer without MX records gives no hosts");
	return 0;
}
