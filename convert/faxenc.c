/*
 * faxenc: T.4 and T.6 encoding of bilevel pages.  A row is first turned
 * into its changing elements, the pixel positions where the colour
 * changes, found 64 pixels at a time (a word xor its own shift marks
 * every change; the leading-zero count walks them); then coded from
 * those lists, never pixel by pixel.  Bits gather in a 64-bit word and
 * leave 32 at a time; room for a whole row is made before each row.
 */
#include <stdlib.h>
#include <string.h>

#include "faxenc.h"
#include "faxenc_codes.h"

#define TOP	0x8000000000000000ULL

static inline void
put(struct faxenc *f, struct faxcode c)
{
	uint32_t v;

	f->acc |= (uint64_t)c.code << (64 - f->nacc - c.len);
	f->nacc += c.len;
	if (f->nacc >= 32) {
		v = (uint32_t)(f->acc >> 32);
		f->buf[f->len] = v >> 24;
		f->buf[f->len + 1] = v >> 16;
		f->buf[f->len + 2] = v >> 8;
		f->buf[f->len + 3] = v;
		f->len += 4;
		f->acc <<= 32;
		f->nacc -= 32;
	}
}

/* the partial byte, padded with 0 bits */
static void
flush_bits(struct faxenc *f)
{
	while (f->nacc > 0) {
		f->buf[f->len++] = (unsigned char)(f->acc >> 56);
		f->acc <<= 8;
		f->nacc -= 8;
	}
	f->acc = 0;
	f->nacc = 0;
}

/* a run of r pixels of colour c (0 white, 1 black) */
static inline void
put_run(struct faxenc *f, int c, int r)
{
	const struct faxrun *t = &faxcodes.run[c];

	while (r >= 2624) {
		put(f, t->makeup[40]);
		r -= 2560;
	}
	if (r >= 64) {
		put(f, t->makeup[r >> 6]);
		r &= 63;
	}
	put(f, t->term[r]);
}

static inline uint64_t
load64(const unsigned char *p, size_t n)
{
	unsigned char b[8] = { 0 };
	uint64_t v;

	if (n >= 8)
		memcpy(&v, p, 8);
	else {
		memcpy(b, p, n);
		memcpy(&v, b, 8);
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* a row's changing elements into ch, then 3 sentinels (w); how many */
static int
row_changes(const unsigned char *row, int w, int *ch)
{
	uint64_t v, t, last = 0;
	size_t rb = ((size_t)w + 7) / 8;
	int n = 0, x, j;

	for (x = 0; x < w; x += 64) {
		v = load64(row + x / 8, rb - x / 8);
		if (w - x < 64)
			v &= ~(~0ULL >> (w - x));
		t = v ^ (v >> 1 | last << 63);
		last = v & 1;
		while (t != 0) {
			j = __builtin_clzll(t);
			if (x + j >= w)
				break;
			ch[n++] = x + j;
			t ^= TOP >> j;
		}
	}
	ch[n] = ch[n + 1] = ch[n + 2] = w;
	return n;
}

/* T.4 one-dimensional: alternating white and black runs */
static void
code_1d(struct faxenc *f, const int *cur, int n, int w)
{
	int i, pos = 0, end;

	for (i = 0; i <= n; i++) {
		end = i < n ? cur[i] : w;
		put_run(f, i & 1, end - pos);
		pos = end;
	}
}

/*
 * T.4 two-dimensional, T.6: each step codes a1 against b1 and b2 of the
 * reference row.  j indexes a1 in cur (its parity is the colour of a0),
 * k indexes b1 in ref: the first change right of a0 to the colour
 * opposite a0's, which is the parity of j again.
 */
static void
code_2d(struct faxenc *f, const int *ref, const int *cur, int w)
{
	int a0 = -1, a1, a2, b1, b2, d, j = 0, k = 0;

	while (a0 < w) {
		a1 = cur[j];
		while (k > 0 && ref[k - 1] > a0)
			k--;
		while (ref[k] <= a0)
			k++;
		k += (k ^ j) & 1;
		b1 = ref[k];
		b2 = ref[k + 1];
		if (b2 < a1) {
			put(f, faxcodes.pass);
			a0 = b2;
			continue;
		}
		d = a1 - b1;
		if (d >= -3 && d <= 3) {
			put(f, faxcodes.vert[d + 3]);
			a0 = a1;
			j++;
			continue;
		}
		a2 = cur[j + 1];
		put(f, faxcodes.horiz);
		put_run(f, j & 1, a1 - (a0 < 0 ? 0 : a0));
		put_run(f, !(j & 1), a2 - a1);
		a0 = a2;
		j += 2;
	}
}

/* room for one more row, at most 32 bits a pixel, and the page's end */
static int
reserve(struct faxenc *f, int w)
{
	size_t need = (size_t)w * 4 + 64;
	unsigned char *nb;
	size_t cap;

	if (f->cap - f->len >= need)
		return 0;
	cap = f->cap < 65536 ? 65536 : f->cap;
	while (cap - f->len < need)
		cap *= 2;
	if ((nb = realloc(f->buf, cap)) == NULL)
		return -1;
	f->buf = nb;
	f->cap = cap;
	return 0;
}

static int
size_rows(struct faxenc *f, int w)
{
	int *r, *c;

	if (w <= f->w)
		return 0;
	r = reallocarray(f->ref, (size_t)w + 3, sizeof(int));
	if (r != NULL)
		f->ref = r;
	c = reallocarray(f->cur, (size_t)w + 3, sizeof(int));
	if (c != NULL)
		f->cur = c;
	if (r == NULL || c == NULL)
		return -1;
	f->w = w;
	return 0;
}

int
faxenc_page(struct faxenc *f, enum comp comp, int k,
    const unsigned char *bits, int w, int h, size_t rb)
{
	int y, n, *t, left = 0;

	faxcodes_init();
	if (w <= 0 || h < 0 || size_rows(f, w) == -1)
		return -1;
	f->len = 0;
	f->acc = 0;
	f->nacc = 0;
	f->ref[0] = f->ref[1] = f->ref[2] = w;	/* an all-white row */
	for (y = 0; y < h; y++) {
		if (reserve(f, w) == -1)
			return -1;
		n = row_changes(bits + y * rb, w, f->cur);
		if (comp == COMP_MMR)
			code_2d(f, f->ref, f->cur, w);
		else {
			put(f, faxcodes.eol);
			if (comp == COMP_MR) {
				put(f, (struct faxcode){ left == 0, 1 });
				left = left == 0 ? k - 1 : left - 1;
			}
			if (comp == COMP_MH || left == k - 1)
				code_1d(f, f->cur, n, w);
			else
				code_2d(f, f->ref, f->cur, w);
		}
		t = f->ref;
		f->ref = f->cur;
		f->cur = t;
	}
	if (reserve(f, w) == -1)
		return -1;
	if (comp == COMP_MMR) {
		put(f, faxcodes.eol);
		put(f, faxcodes.eol);
	}
	flush_bits(f);
	return 0;
}

void
faxenc_free(struct faxenc *f)
{
	free(f->buf);
	free(f->ref);
	free(f->cur);
	memset(f, 0, sizeof(*f));
}
