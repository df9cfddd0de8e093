/*
 * kv: strict reader and escaping writer of "key = value" spool files.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

static int
key_ok(const char *k, size_t n)
{
	size_t i;

	if (n == 0 || n > KV_KEYMAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		    (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

static int
bad(struct kvlist *l, int line, char *err, size_t errsz, const char *why)
{
	l->line = line;
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "line %d: %s", line, why);
	free(l->v);
	free(l->buf);
	l->v = NULL;
	l->buf = NULL;
	l->n = 0;
	errno = EINVAL;
	return -1;
}

int
kv_parse(struct kvlist *l, const char *buf, size_t len, char *err,
    size_t errsz)
{
	char *p, *end, *nl, *eq;
	size_t lines = 0, i;
	int line = 0;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	if ((l->buf = malloc(len + 1)) == NULL ||
	    (l->v = calloc(lines + 1, sizeof(*l->v))) == NULL) {
		free(l->buf);
		l->buf = NULL;
		return -1;
	}
	memcpy(l->buf, buf, len);
	l->buf[len] = '\0';
	end = l->buf + len;
	for (p = l->buf; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			return bad(l, line, err, errsz, "no newline at end");
		*nl = '\0';
		for (char *c = p; c < nl; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
				return bad(l, line, err, errsz,
				    "byte outside printable ASCII");
		if ((eq = strstr(p, " = ")) == NULL)
			return bad(l, line, err, errsz, "not key = value");
		if (!key_ok(p, eq - p))
			return bad(l, line, err, errsz, "bad key");
		*eq = '\0';
		l->v[l->n].key = p;
		l->v[l->n].val = eq + 3;
		l->n++;
	}
	return 0;
}

void
kv_free(struct kvlist *l)
{
	free(l->v);
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

const char *
kv_next(const struct kvlist *l, const char *key, size_t *i)
{
	for (; *i < l->n; (*i)++)
		if (strcmp(l->v[*i].key, key) == 0)
			return l->v[(*i)++].val;
	return NULL;
}

const char *
kv_get(const struct kvlist *l, const char *key)
{
	size_t i = 0;

	return kv_next(l, key, &i);
}

int
kv_num(const struct kvlist *l, const char *key, long long min,
    long long max, long long def, long long *out)
{
	const char *v = kv_get(l, key);
	char *e;
	long long n;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (*v == '\0' || *v == ' ' || *v == '+')
		return -1;
	errno = 0;
	n = strtoll(v, &e, 10);
	if (errno != 0 || *e != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
kv_unescape(char *s)
{
	char *o = s;
	int h, lo;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		if (s[1] != 'x' || (h = hexval(s[2])) < 0 ||
		    (lo = hexval(s[3])) < 0 || (h == 0 && lo == 0))
			return -1;
		*o++ = (char)(h << 4 | lo);
		s += 3;
	}
	*o = '\0';
	return 0;
}

int
kv_str(const struct kvlist *l, const char *key, char *dst, size_t dstsz)
{
	const char *v = kv_get(l, key);

	if (dstsz == 0)
		return -1;
	if (v == NULL)
		v = "";
	if (strlen(v) >= dstsz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(dst, v);
	return kv_unescape(dst);
}

void
kvb_init(struct kvbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
kvb_free(struct kvbuf *b)
{
	free(b->buf);
	memset(b, 0, sizeof(*b));
}

static int
grow(struct kvbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->err)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	if ((p = realloc(b->buf, cap)) == NULL)
		goto fail;
	b->buf = p;
	b->cap = cap;
	return 0;
fail:
	b->err = 1;
	return -1;
}

void
kvb_raw(struct kvbuf *b, const void *p, size_t len)
{
	if (grow(b, len) == -1)
		return;
	memcpy(b->buf + b->len, p, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

static void
put_key(struct kvbuf *b, const char *key)
{
	if (!key_ok(key, strlen(key)))
		abort();	/* keys are ours, never outside text */
	kvb_raw(b, key, strlen(key));
	kvb_raw(b, " = ", 3);
}

void
kvb_str(struct kvbuf *b, const char *key, const char *val)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	char esc[4];

	put_key(b, key);
	for (; (c = (unsigned char)*val) != '\0'; val++) {
		if (c >= 0x20 && c <= 0x7e && c != '\\') {
			kvb_raw(b, val, 1);
			continue;
		}
		esc[0] = '\\';
		esc[1] = 'x';
		esc[2] = hex[c >> 4];
		esc[3] = hex[c & 15];
		kvb_raw(b, esc, 4);
	}
	kvb_raw(b, "\n", 1);
}

void
kvb_fmt(struct kvbuf *b, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = 1;
		return;
	}
	kvb_str(b, key, s);
	free(s);
}

void
kvb_num(struct kvbuf *b, const char *key, long long n)
{
	kvb_fmt(b, key, "%lld", n);
}

void
kvb_copy(struct kvbuf *b, const struct kvlist *l, const char *const *skip)
{
	size_t i;
	const char *const *s;

	for (i = 0; i < l->n; i++) {
		for (s = skip; s != NULL && *s != NULL; s++)
			if (strcmp(*s, l->v[i].key) == 0)
				break;
		if (s != NULL && *s != NULL)
			continue;
		put_key(b, l->v[i].key);
		kvb_raw(b, l->v[i].val, strlen(l->v[i].val));
		kvb_raw(b, "\n", 1);
	}
}
