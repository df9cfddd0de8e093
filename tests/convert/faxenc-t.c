/*
 * faxenc-t: convert's T.4/T.6 encoder against libtiff.  Every page is
 * coded MH, MR (K 2 and 4) and MMR by faxenc, stored with
 * TIFFWriteRawStrip, decoded again by libtiff and compared bit for bit
 * with the original; and libtiff's own encoder must produce the same
 * bytes.  The pages hold every run length of both colours up to past
 * the last make-up code, rows of noise, and rows that drift from the
 * row above (vertical and pass modes), at widths that are and are not
 * whole bytes and words.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include "faxenc.h"
#include "tap.h"

struct page {
	const char	*name;
	int		 w, h;
	size_t		 rb;
	unsigned char	*bits;
};

static void
set_px(struct page *p, int x, int y)
{
	p->bits[y * p->rb + x / 8] |= 0x80 >> (x & 7);
}

static void
span(struct page *p, int y, int x0, int x1)
{
	for (; x0 < x1 && x0 < p->w; x0++)
		set_px(p, x0, y);
}

static struct page
page_new(const char *name, int w, int h)
{
	struct page p = { name, w, h, ((size_t)w + 7) / 8, NULL };

	p.bits = calloc(p.rb, h);
	if (p.bits == NULL)
		bail("out of memory");
	return p;
}

/* row 2r: r white then black; row 2r+1: r black then white */
static struct page
page_runs(int w)
{
	struct page p = page_new("every run", w, 2 * (w + 1));
	int r;

	for (r = 0; r <= w; r++) {
		span(&p, 2 * r, r, w);
		span(&p, 2 * r + 1, 0, r);
	}
	return p;
}

/* random runs, each row drifting from the one above, some noise rows */
static struct page
page_random(int w, int h, unsigned seed)
{
	struct page p = page_new("random", w, h);
	int y, x, run, black;

	srand(seed);
	for (y = 0; y < h; y++) {
		if (y % 17 == 5) {
			for (x = 0; x < w; x++)
				if (rand() & 1)
					set_px(&p, x, y);
			continue;
		}
		if (y > 0 && y % 5 != 0) {
			memcpy(p.bits + y * p.rb, p.bits + (y - 1) * p.rb, p.rb);
			for (x = rand() % 7; x < w; x += 1 + rand() % 40)
				p.bits[y * p.rb + x / 8] ^= 0x80 >> (x & 7);
			continue;
		}
		for (x = 0, black = rand() & 1; x < w; x += run, black ^= 1) {
			run = rand() % 4 == 0 ? rand() % 300 : rand() % 12;
			if (black)
				span(&p, y, x, x + run);
		}
	}
	return p;
}

static TIFF *
open_page(const char *path, const struct page *p, enum comp comp, int k)
{
	TIFF *t;

	if ((t = TIFFOpen(path, "w")) == NULL)
		bail("TIFFOpen %s", path);
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)p->w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)p->h);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_FILLORDER, FILLORDER_MSB2LSB);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)p->h);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, 204.0f);
	/* libtiff picks MR's K from the resolution: 4 above 150 */
	TIFFSetField(t, TIFFTAG_YRESOLUTION, k == 4 ? 196.0f : 98.0f);
	if (comp == COMP_MMR)
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
	else {
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX3);
		TIFFSetField(t, TIFFTAG_GROUP3OPTIONS,
		    comp == COMP_MR ? GROUP3OPT_2DENCODING : 0);
	}
	return t;
}

/* libtiff's coding of the page, as raw strip bytes */
static unsigned char *
libtiff_code(const char *dir, const struct page *p, enum comp comp, int k,
    tmsize_t *len)
{
	char path[512];
	unsigned char *raw;
	uint64_t *bc;
	TIFF *t;

	snprintf(path, sizeof(path), "%s/libtiff.tif", dir);
	t = open_page(path, p, comp, k);
	if (TIFFWriteEncodedStrip(t, 0, p->bits, p->rb * p->h) == -1)
		bail("libtiff encode");
	TIFFClose(t);
	if ((t = TIFFOpen(path, "r")) == NULL ||
	    TIFFGetField(t, TIFFTAG_STRIPBYTECOUNTS, &bc) != 1)
		bail("reopen %s", path);
	raw = bmalloc(bc[0]);
	*len = TIFFReadRawStrip(t, 0, raw, bc[0]);
	TIFFClose(t);
	return raw;
}

static void
check(const char *dir, const struct page *p, enum comp comp, int k)
{
	static const char *names[] = { "MH", "MR", "MMR" };
	struct faxenc f;
	char path[512], what[128];
	unsigned char *back, *ref;
	tmsize_t n, reflen;
	TIFF *t;

	snprintf(what, sizeof(what), "%s K=%d, %s page, %d x %d",
	    names[comp], k, p->name, p->w, p->h);
	memset(&f, 0, sizeof(f));
	if (faxenc_page(&f, comp, k, p->bits, p->w, p->h, p->rb) != 0)
		bail("faxenc_page");
	snprintf(path, sizeof(path), "%s/faxenc.tif", dir);
	t = open_page(path, p, comp, k);
	if (TIFFWriteRawStrip(t, 0, f.buf, f.len) != (tmsize_t)f.len)
		bail("TIFFWriteRawStrip");
	TIFFClose(t);
	back = bmalloc(p->rb * p->h);
	if ((t = TIFFOpen(path, "r")) == NULL)
		bail("reopen %s", path);
	n = TIFFReadEncodedStrip(t, 0, back, p->rb * p->h);
	TIFFClose(t);
	is_int((long)(p->rb * p->h), (long)n, "%s: libtiff decodes it", what);
	is_blob(p->bits, back, p->rb * p->h, "%s: same pixels", what);
	ref = libtiff_code(dir, p, comp, k, &reflen);
	is_int(reflen, (long)f.len, "%s: as long as libtiff's", what);
	is_blob(ref, f.buf, (size_t)reflen < f.len ? (size_t)reflen : f.len,
	    "%s: same bytes as libtiff's", what);
	free(ref);
	free(back);
	faxenc_free(&f);
}

int
main(void)
{
	const char *dir = test_tmpdir();
	struct page pages[6];
	int i, w[] = { 1728, 2900, 1001 };

	TIFFSetWarningHandler(NULL);
	TIFFSetErrorHandler(NULL);	/* the checks say what failed */
	pages[0] = page_runs(w[0]);
	pages[1] = page_runs(w[1]);
	pages[2] = page_runs(w[2]);
	pages[3] = page_random(w[0], 2300, 1);
	pages[4] = page_random(w[2], 500, 2);
	pages[5] = page_new("white", w[0], 100);
	plan(6 * 4 * 4);
	for (i = 0; i < 6; i++) {
		check(dir, &pages[i], COMP_MH, 0);
		check(dir, &pages[i], COMP_MR, 2);
		check(dir, &pages[i], COMP_MR, 4);
		check(dir, &pages[i], COMP_MMR, 0);
		free(pages[i].bits);
	}
	return 0;
}
