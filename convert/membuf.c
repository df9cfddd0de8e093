/*
 * membuf: TIFF files in memory for libtiff (membuf.h).  A written file
 * lives in an anonymous mapping grown with mremap: nothing is copied as
 * it grows, and a page of it costs a fault only once something is
 * written there.  A copied write fills in the pages it reaches past the
 * last filled one with one madvise, not one fault per page; the holes
 * where references stand are never touched.  A write or read that meets
 * a reference works on the bytes it refers to, so libtiff sees an
 * ordinary file.  tiff_open_mem caps libtiff's single allocations and
 * keeps its last error for the reason line instead of printing it.
 */
#include <sys/mman.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <unistd.h>

#include "convert.h"

#define PAGE		4096
#define IOV_BATCH	1024

void
membuf_init_write(struct membuf *m, size_t max, const unsigned char *lend,
    size_t lend_len)
{
	memset(m, 0, sizeof(*m));
	m->writable = 1;
	m->max = max;
	m->lend = lend;
	m->lend_len = lend_len;
}

void
membuf_free(struct membuf *m)
{
	if (m->cap > 0)
		munmap(m->buf, m->cap);
	free(m->refs);
	m->buf = NULL;
	m->refs = NULL;
	m->cap = m->len = m->nrefs = m->refcap = 0;
}

/* room for end bytes; the new part of the mapping is zero, untouched */
static int
grow(struct membuf *m, size_t end)
{
	size_t cap;
	void *p;

	if (end <= m->cap)
		return 0;
	cap = m->cap < 65536 ? 65536 : m->cap;
	while (cap < end)
		cap = cap > m->max / 2 ? m->max : cap * 2;
	cap = (cap + PAGE - 1) & ~(size_t)(PAGE - 1);
	p = m->cap == 0 ? mmap(NULL, cap, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) :
	    mremap(m->buf, m->cap, cap, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return -1;
	m->buf = p;
	m->cap = cap;
	return 0;
}

/* fills in the pages of [from, to) past m->filled with one call */
static void
fill(struct membuf *m, size_t from, size_t to)
{
	uintptr_t a, e;

	if (to <= m->filled)
		return;
	if (from < m->filled)
		from = m->filled;
	a = ((uintptr_t)m->buf + from) & ~(uintptr_t)(PAGE - 1);
	e = ((uintptr_t)m->buf + to + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
	m->filled = e - (uintptr_t)m->buf;
}

static int
lent(const struct membuf *m, const unsigned char *p, size_t n)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)m->lend;

	return m->lend != NULL && n >= MEMBUF_REF_MIN && a >= b &&
	    a - b <= m->lend_len && n <= m->lend_len - (a - b);
}

static int
add_ref(struct membuf *m, size_t off, const unsigned char *src, size_t n)
{
	struct membuf_ref *r;
	size_t cap;

	if (m->nrefs == m->refcap) {
		cap = m->refcap == 0 ? 64 : m->refcap * 2;
		if ((r = realloc(m->refs, cap * sizeof(*r))) == NULL)
			return -1;
		m->refs = r;
		m->refcap = cap;
	}
	r = &m->refs[m->nrefs++];
	r->off = off;
	r->len = n;
	r->src = src;
	return 0;
}

/* copies the referenced bytes of every ref meeting [off, end) into buf */
static void
unref(struct membuf *m, size_t off, size_t end)
{
	size_t i = 0, j = 0;
	struct membuf_ref *r;

	for (; i < m->nrefs; i++) {
		r = &m->refs[i];
		if (r->off < end && off < r->off + r->len) {
			memcpy(m->buf + r->off, r->src, r->len);
			continue;
		}
		m->refs[j++] = *r;
	}
	m->nrefs = j;
}

static tmsize_t
mem_read(thandle_t h, void *buf, tmsize_t n)
{
	struct membuf *m = h;
	unsigned char *d = buf;
	size_t i, off, end, a, b;

	if (n < 0 || m->off >= m->len)
		return n < 0 ? -1 : 0;
	if ((size_t)n > m->len - m->off)
		n = m->len - m->off;
	off = m->off;
	end = off + n;
	memcpy(d, m->buf + off, n);
	for (i = 0; i < m->nrefs; i++) {
		a = m->refs[i].off > off ? m->refs[i].off : off;
		b = m->refs[i].off + m->refs[i].len;
		if (b > end)
			b = end;
		if (a < b)
			memcpy(d + (a - off), m->refs[i].src +
			    (a - m->refs[i].off), b - a);
	}
	m->off = end;
	return n;
}

static tmsize_t
mem_write(thandle_t h, void *buf, tmsize_t n)
{
	struct membuf *m = h;
	size_t end;

	if (!m->writable || n < 0 || (size_t)n > m->max ||
	    m->off > m->max - n) {
		m->full = m->writable;
		return -1;
	}
	end = m->off + n;
	if (grow(m, end) == -1) {
		m->full = 1;
		return -1;
	}
	/* an appended run of borrowed bytes (a coded strip) stays where it is */
	if (!(m->off >= m->len && lent(m, buf, n) &&
	    add_ref(m, m->off, buf, n) == 0)) {
		unref(m, m->off, end);
		fill(m, m->off, end);
		memcpy(m->buf + m->off, buf, n);
	}
	m->off = end;
	if (end > m->len)
		m->len = end;
	return n;
}

static toff_t
mem_seek(thandle_t h, toff_t off, int whence)
{
	struct membuf *m = h;
	toff_t base = whence == SEEK_CUR ? m->off :
	    whence == SEEK_END ? m->len : 0;
	toff_t lim = m->writable ? m->max : m->len;

	if (off > lim || base + off > lim)
		return (toff_t)-1;
	m->off = base + off;
	return m->off;
}

static int
mem_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t
mem_size(thandle_t h)
{
	return ((struct membuf *)h)->len;
}

/* writes the iovecs, resuming after a short write */
static int
writev_all(int fd, struct iovec *iov, int n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = writev(fd, iov, n)) == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= w;
		}
	}
	return 0;
}

int
membuf_write(const struct membuf *m, int fd)
{
	struct iovec iov[IOV_BATCH];
	size_t pos = 0, i = 0;
	int n = 0;

	while (pos < m->len) {
		if (i < m->nrefs && m->refs[i].off == pos) {
			iov[n].iov_base = (void *)(uintptr_t)m->refs[i].src;
			iov[n].iov_len = m->refs[i].len;
			pos += m->refs[i++].len;
		} else {
			iov[n].iov_base = m->buf + pos;
			iov[n].iov_len = (i < m->nrefs ? m->refs[i].off :
			    m->len) - pos;
			pos += iov[n].iov_len;
		}
		if (++n == IOV_BATCH) {
			if (writev_all(fd, iov, n) == -1)
				return -1;
			n = 0;
		}
	}
	return writev_all(fd, iov, n);
}

static int
keep_error(TIFF *t, void *user, const char *module, const char *fmt,
    va_list ap)
{
	struct conv *c = user;

	(void)t;
	(void)module;
	vsnprintf(c->tiff_err, sizeof(c->tiff_err), fmt, ap);
	return 1;
}

static int
drop_warning(TIFF *t, void *user, const char *module, const char *fmt,
    va_list ap)
{
	(void)t;
	(void)user;
	(void)module;
	(void)fmt;
	(void)ap;
	return 1;
}

void *
tiff_open_mem(struct conv *c, struct membuf *mb, const char *name,
    const char *mode)
{
	TIFFOpenOptions *oo;
	TIFF *t;

	if ((oo = TIFFOpenOptionsAlloc()) == NULL)
		return NULL;
	TIFFOpenOptionsSetMaxSingleMemAlloc(oo, c->opts->max_pixels * 4 +
	    (1 << 20));
	TIFFOpenOptionsSetErrorHandlerExtR(oo, keep_error, c);
	TIFFOpenOptionsSetWarningHandlerExtR(oo, drop_warning, c);
	mb->off = 0;
	t = TIFFClientOpenExt(name, mode, mb, mem_read, mem_write, mem_seek,
	    mem_close, mem_size, NULL, NULL, oo);
	TIFFOpenOptionsFree(oo);
	return t;
}
