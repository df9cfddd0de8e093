/*
 * page: turns grey pages into bilevel fax pages and writes them, or
 * copies fax pages that already fit without touching their coded data.
 * Output pages are TIFF Class F (RFC 3949 profile S): 1728 wide, one
 * strip, 204 dpi across, 98 or 196 lines per inch, MH, MR or MMR.
 * Never trusts a tag of an input TIFF: every size is checked first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"

#define RAW_MAX		(16L << 20)	/* one coded strip */

void
sink_open(struct sink *s, TIFF *tif, enum comp comp, int yres, long max_pages)
{
	memset(s, 0, sizeof(*s));
	s->tif = tif;
	s->comp = comp;
	s->yres = yres;
	s->max_pages = max_pages;
}

int
sink_close(struct sink *s)
{
	int r = 0;

	if (s->tif != NULL) {
		if (TIFFFlush(s->tif) != 1)
			r = -1;
		TIFFClose(s->tif);
		s->tif = NULL;
	}
	free(s->bits);
	s->bits = NULL;
	faxenc_free(&s->enc);
	return r;
}

/* middle tones on more than 1/12 of the box: a photo, so dither */
static int
is_photo(const unsigned char *g, int w, int h, size_t stride, const int *box)
{
	long mid = 0, n = 0;
	int x, y, x0 = 0, y0 = 0, x1 = w, y1 = h;

	if (box != NULL) {
		x0 = box[0] < 0 ? 0 : box[0];
		y0 = box[1] < 0 ? 0 : box[1];
		x1 = box[2] > w ? w : box[2];
		y1 = box[3] > h ? h : box[3];
	}
	for (y = y0; y < y1; y += 3)
		for (x = x0; x < x1; x += 3, n++)
			if (g[y * stride + x] > 48 && g[y * stride + x] < 208)
				mid++;
	return n > 0 && mid * 12 > n;
}

/* 1 if the 64 pixels at r are all pure white (the usual case) */
static int
white64(const unsigned char *r)
{
	uint64_t v[8];

	memcpy(v, r, sizeof(v));
	return (v[0] & v[1] & v[2] & v[3] & v[4] & v[5] & v[6] & v[7]) ==
	    ~(uint64_t)0;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/*
 * Eight pixels at once, eight bytes in a word: the byte for 1 bit a
 * pixel (black, below 128, is a clear top bit; the multiply gathers the
 * eight top bits, first pixel to the highest bit) and, added to the
 * lanes of *mid, a 1 for each middle tone, 48 < v < 208.  Exact, no
 * carries between lanes.
 */
static unsigned char
pack8(const unsigned char *r, uint64_t *mid)
{
	uint64_t v, lo, hi, m;

	memcpy(&v, r, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	m = ((~v & HIGHS) >> 7) * 0x8040201008040201ULL;
	/* top bit set where v > 48: (v & 0x7f) + 79 carries into bit 7 */
	lo = (((v & ~HIGHS) + 79 * ONES) | v) & HIGHS;
	/* top bit set where v < 208: v + 48 carries out of the byte */
	hi = ~(((v & ~HIGHS) + 48 * ONES) & v) & HIGHS;
	*mid += (lo & hi) >> 7;
	return (unsigned char)(m >> 56);
}

/* the last n < 8 pixels of a row, one at a time */
static unsigned char
pack_tail(const unsigned char *r, int n, long *mid)
{
	unsigned char b = 0;
	int k;

	for (k = 0; k < 8; k++) {
		b <<= 1;
		if (k >= n)
			continue;
		b |= r[k] < 128;
		*mid += r[k] > 48 && r[k] < 208;
	}
	return b;
}

/*
 * Eight pixels a byte, 1 for black; returns the number of middle tones
 * and sets s->ink0, s->ink1 to the rows holding anything but white.
 */
static long
threshold(struct sink *s, const unsigned char *g, int w, int h,
    size_t stride, unsigned char *out)
{
	size_t rb = (w + 7) / 8;
	const unsigned char *r;
	unsigned char *o;
	uint64_t lanes;
	long mid = 0;
	int x, y, k, ink;

	s->ink0 = h;
	s->ink1 = 0;
	for (y = 0; y < h; y++) {
		r = g + y * stride;
		o = out + y * rb;
		ink = 0;
		for (x = 0; x < w; x += 64) {
			if (x + 64 <= w && white64(r + x)) {
				memset(o + x / 8, 0, 8);
				continue;
			}
			ink = 1;
			lanes = 0;	/* each lane counts to 8 at most */
			for (k = x; k < x + 64 && k + 8 <= w; k += 8)
				o[k / 8] = pack8(r + k, &lanes);
			mid += (long)((lanes * ONES) >> 56);
			if (k < x + 64 && k < w)
				o[k / 8] = pack_tail(r + k, w - k, &mid);
		}
		if (ink && y < s->ink0)
			s->ink0 = y;
		if (ink)
			s->ink1 = y + 1;
	}
	return mid;
}

/* Floyd-Steinberg; err holds two rows of w + 2 ints */
static void
dither(const unsigned char *g, int w, int h, size_t stride,
    unsigned char *out, int *err)
{
	size_t rb = (w + 7) / 8;
	int *cur = err + 1, *next = err + w + 3;
	int x, y, v, e, *t;

	memset(out, 0, rb * h);
	memset(err, 0, sizeof(int) * 2 * (w + 2));
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			v = g[y * stride + x] + cur[x] / 16;
			if (v < 128) {
				out[y * rb + x / 8] |= 0x80 >> (x & 7);
				e = v;
			} else
				e = v - 255;
			cur[x + 1] += e * 7;
			next[x - 1] += e * 3;
			next[x] += e * 5;
			next[x + 1] += e;
		}
		t = cur;
		cur = next;
		next = t;
		memset(next - 1, 0, sizeof(int) * (w + 2));
	}
}

int
page_bilevel(struct sink *s, const unsigned char *gray, int w, int h,
    size_t stride, const int *box)
{
	long mid;
	int *err;

	mid = threshold(s, gray, w, h, stride, s->bits);
	if (box != NULL ? !is_photo(gray, w, h, stride, box) :
	    mid * 12 <= (long)w * h)
		return 0;
	if ((err = calloc(2 * ((size_t)w + 2), sizeof(int))) == NULL)
		return -1;
	dither(gray, w, h, stride, s->bits, err);
	free(err);
	return 0;
}

static void
set_fax_tags(struct sink *s, TIFF *t, uint32_t w, uint32_t h, float yres)
{
	TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)FAX_XDPI);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, yres);
	/* PageNumber counts from 0 */
	TIFFSetField(t, TIFFTAG_PAGENUMBER, (uint16_t)(s->pages - 1),
	    (uint16_t)s->total);
	TIFFSetField(t, TIFFTAG_SOFTWARE, "rampart convert");
}

static int
next_page(struct sink *s)
{
	if (s->max_pages > 0 && s->pages >= s->max_pages)
		return CONVERT_ELIMIT;
	s->pages++;
	return CONVERT_OK;
}

int
sink_gray(struct sink *s, const unsigned char *gray, int w, int h,
    size_t stride, const int *box)
{
	size_t need = (size_t)(w + 7) / 8 * h;
	int r;

	if ((r = next_page(s)) != CONVERT_OK)
		return r;
	if (need > s->bitsz) {
		free(s->bits);
		if ((s->bits = malloc(need)) == NULL) {
			s->bitsz = 0;
			return CONVERT_ELIMIT;
		}
		s->bitsz = need;
	}
	if (page_bilevel(s, gray, w, h, stride, box) == -1)
		return CONVERT_ELIMIT;
	/* MR's K: 2 at standard resolution, 4 at fine (T.4 4.2.1) */
	if (faxenc_page(&s->enc, s->comp, s->yres > 150 ? 4 : 2, s->bits, w,
	    h, (size_t)(w + 7) / 8) == -1)
		return CONVERT_ELIMIT;
	if (s->tif == NULL)
		return CONVERT_OK;
	set_fax_tags(s, s->tif, w, h, (float)s->yres);
	TIFFSetField(s->tif, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
	TIFFSetField(s->tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)h);
	if (s->comp == COMP_MMR)
		TIFFSetField(s->tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
	else {
		TIFFSetField(s->tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX3);
		TIFFSetField(s->tif, TIFFTAG_GROUP3OPTIONS,
		    s->comp == COMP_MR ? GROUP3OPT_2DENCODING : 0);
	}
	if (TIFFWriteRawStrip(s->tif, 0, s->enc.buf, s->enc.len) !=
	    (tmsize_t)s->enc.len || TIFFWriteDirectory(s->tif) != 1)
		return CONVERT_EINTERNAL;
	return CONVERT_OK;
}

float
page_dpi(TIFF *in, int tag)
{
	uint16_t unit = RESUNIT_INCH;
	float v = 0;

	if (TIFFGetField(in, tag, &v) != 1)
		return 0;
	TIFFGetFieldDefaulted(in, TIFFTAG_RESOLUTIONUNIT, &unit);
	return unit == RESUNIT_CENTIMETER ? v * 2.54f : v;
}

int
page_fits(TIFF *in, int yres)
{
	uint32_t w = 0, h = 0, g3 = 0, g4 = 0;
	uint16_t bps = 0, spp = 1, comp = 0, photo = 99, planar = 1;
	float xr = page_dpi(in, TIFFTAG_XRESOLUTION);
	float yr = page_dpi(in, TIFFTAG_YRESOLUTION);

	TIFFGetField(in, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(in, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetFieldDefaulted(in, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetFieldDefaulted(in, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(in, TIFFTAG_PLANARCONFIG, &planar);
	TIFFGetField(in, TIFFTAG_COMPRESSION, &comp);
	TIFFGetField(in, TIFFTAG_PHOTOMETRIC, &photo);
	if (w != FAX_WIDTH || h == 0 || h > 6000 || bps != 1 || spp != 1 ||
	    planar != PLANARCONFIG_CONTIG || TIFFIsTiled(in) ||
	    photo != PHOTOMETRIC_MINISWHITE)
		return 0;
	if (xr < 200 || xr > 208 || yr < yres - 4 || yr > yres + 4)
		return 0;
	if (comp == COMPRESSION_CCITTFAX3)
		return TIFFGetField(in, TIFFTAG_GROUP3OPTIONS, &g3) >= 0 &&
		    (g3 & GROUP3OPT_UNCOMPRESSED) == 0;
	if (comp == COMPRESSION_CCITTFAX4)
		return TIFFGetField(in, TIFFTAG_GROUP4OPTIONS, &g4) >= 0 &&
		    (g4 & GROUP4OPT_UNCOMPRESSED) == 0;
	return 0;
}

/*
 * Copies the coded strips as they are, straight from the input's bytes
 * (every TIFF here is read from memory, tiff_open_mem): no read into a
 * buffer first.  Each strip must lie inside the input.
 */
static int
copy_strips(struct sink *s, TIFF *in, uint32_t nstrips)
{
	const struct membuf *m = (const struct membuf *)TIFFClientdata(in);
	uint64_t *bc, *off;
	uint32_t i;

	if (TIFFGetField(in, TIFFTAG_STRIPBYTECOUNTS, &bc) != 1 ||
	    TIFFGetField(in, TIFFTAG_STRIPOFFSETS, &off) != 1)
		return CONVERT_ECORRUPT;
	for (i = 0; i < nstrips; i++) {
		if (bc[i] == 0 || bc[i] > RAW_MAX || off[i] > m->len ||
		    bc[i] > m->len - off[i])
			return CONVERT_ECORRUPT;
		/* libtiff only reads a raw strip it is given */
		if (s->tif != NULL && TIFFWriteRawStrip(s->tif, i,
		    (void *)(uintptr_t)(m->buf + off[i]), bc[i]) !=
		    (tmsize_t)bc[i])
			return CONVERT_EINTERNAL;
	}
	return CONVERT_OK;
}

int
sink_raw(struct sink *s, TIFF *in)
{
	uint32_t w = 0, h = 0, rps, g3 = 0, g4 = 0;
	uint32_t n = TIFFNumberOfStrips(in);
	uint16_t comp = 0, fill = FILLORDER_MSB2LSB;
	int r;

	TIFFGetField(in, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(in, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetField(in, TIFFTAG_COMPRESSION, &comp);
	TIFFGetFieldDefaulted(in, TIFFTAG_ROWSPERSTRIP, &rps);
	TIFFGetFieldDefaulted(in, TIFFTAG_FILLORDER, &fill);
	TIFFGetField(in, TIFFTAG_GROUP3OPTIONS, &g3);
	TIFFGetField(in, TIFFTAG_GROUP4OPTIONS, &g4);
	if ((r = next_page(s)) != CONVERT_OK)
		return r;
	if (s->tif != NULL) {
		set_fax_tags(s, s->tif, w, h, (float)s->yres);
		TIFFSetField(s->tif, TIFFTAG_FILLORDER, fill);
		TIFFSetField(s->tif, TIFFTAG_ROWSPERSTRIP, rps > h ? h : rps);
		TIFFSetField(s->tif, TIFFTAG_COMPRESSION, comp);
		if (comp == COMPRESSION_CCITTFAX3)
			TIFFSetField(s->tif, TIFFTAG_GROUP3OPTIONS, g3);
		else
			TIFFSetField(s->tif, TIFFTAG_GROUP4OPTIONS, g4);
		if (TIFFNumberOfStrips(s->tif) != n)
			return CONVERT_ECORRUPT;
	}
	if ((r = copy_strips(s, in, n)) != CONVERT_OK)
		return r;
	if (s->tif != NULL && TIFFWriteDirectory(s->tif) != 1)
		return CONVERT_EINTERNAL;
	return CONVERT_OK;
}
