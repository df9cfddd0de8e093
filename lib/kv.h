/*
 * kv: the "key = value" spool files of rampart-spool(5), read strictly and
 * written with values escaped.
 *
 * A file is lines "key = value\n": the key is 1 to 32 of [a-z0-9_], then
 * exactly " = ", then the value, printable ASCII (0x20 to 0x7e) only.
 * A value written with kvb_str() has every other byte, and the backslash,
 * as \xHH; kv_unescape() undoes it.  Keys may repeat (rcpt); kv_get()
 * returns the first, kv_next() walks the rest.
 */
#ifndef RAMPART_KV_H
#define RAMPART_KV_H

#include <stddef.h>
#include <time.h>

#define KV_KEYMAX	32

struct kv {
	const char	*key;
	const char	*val;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
	char		*buf;		/* owned: the parsed copy */
	int		 line;		/* the bad line, after an error */
};

/*
 * Parses len bytes of buf (a copy is kept).  On a bad line: -1, errno
 * EINVAL, l->line set and err (if not NULL) saying what is wrong.
 */
int	 kv_parse(struct kvlist *l, const char *buf, size_t len,
	    char *err, size_t errsz);
void	 kv_free(struct kvlist *l);

/* the first value of key, or NULL */
const char *kv_get(const struct kvlist *l, const char *key);
/* walk: *i = 0 first; returns the next value of key at or after *i */
const char *kv_next(const struct kvlist *l, const char *key, size_t *i);
/* key's value as a number in [min, max]; def if absent; -1 if bad */
int	 kv_num(const struct kvlist *l, const char *key, long long min,
	    long long max, long long def, long long *out);
/* copies key's value unescaped into dst; "" if absent; -1 if too long */
int	 kv_str(const struct kvlist *l, const char *key, char *dst,
	    size_t dstsz);

/* undoes kvb_str's escaping in place; -1 on a bad escape */
int	 kv_unescape(char *s);

/* a growing buffer of lines to write */
struct kvbuf {
	char	*buf;
	size_t	 len, cap;
	int	 err;		/* set on allocation failure; sticky */
};

void	 kvb_init(struct kvbuf *b);
void	 kvb_free(struct kvbuf *b);
/* key = value with value escaped */
void	 kvb_str(struct kvbuf *b, const char *key, const char *val);
/* key = formatted value, escaped as kvb_str does */
void	 kvb_fmt(struct kvbuf *b, const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 kvb_num(struct kvbuf *b, const char *key, long long n);
/* raw bytes appended as they are (a message after the envelope) */
void	 kvb_raw(struct kvbuf *b, const void *p, size_t len);
/* a copy of every line of l, except the keys in skip (NULL-terminated) */
void	 kvb_copy(struct kvbuf *b, const struct kvlist *l,
	    const char *const *skip);

#endif
