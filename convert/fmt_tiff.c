/*
 * fmt_tiff: TIFF through libtiff, read from memory.  A page that already
 * is a fax page (page_fits) passes through with its coded strips copied
 * byte for byte, unless -R asks for every page re-encoded; any other
 * page is decoded to RGBA by libtiff, checked against the pixel limit
 * first, turned to grey and drawn placed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mu.h"
#include "page.h"

static int
corrupt(struct conv *c, const char *what)
{
	return conv_fail(c, CONVERT_ECORRUPT, "corrupt TIFF: %s%s%s", what,
	    c->tiff_err[0] ? ": " : "", c->tiff_err);
}

/* RGBA over white to grey, in place of the raster's first bytes */
static void
to_gray(const uint32_t *rgba, unsigned char *gray, size_t n)
{
	size_t i;
	uint32_t p, a, l;

	for (i = 0; i < n; i++) {
		p = rgba[i];
		a = TIFFGetA(p);
		l = (TIFFGetR(p) * 77 + TIFFGetG(p) * 151 + TIFFGetB(p) * 28)
		    >> 8;
		gray[i] = (unsigned char)((l * a + 255 * (255 - a)) / 255);
	}
}

static int
decode_page(struct conv *c, TIFF *t)
{
	fz_context *ctx;
	uint32_t w = 0, h = 0, *raster;
	char emsg[1024];
	int r;

	if ((r = mu_need(c)) != CONVERT_OK)
		return r;
	ctx = c->mu->ctx;
	TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
	if (w == 0 || h == 0)
		return corrupt(c, "no image size");
	if ((double)w * h > c->opts->max_pixels)
		return conv_fail(c, CONVERT_ELIMIT,
		    "TIFF page of %ux%u pixels, limit %ld", w, h,
		    c->opts->max_pixels);
	if (!TIFFRGBAImageOK(t, emsg))
		return conv_fail(c, CONVERT_EUNSUPPORTED, "TIFF: %s", emsg);
	if ((raster = malloc((size_t)w * h * 4)) == NULL)
		return conv_fail(c, CONVERT_ELIMIT, "TIFF: out of memory");
	if (!TIFFReadRGBAImageOriented(t, w, h, raster, ORIENTATION_TOPLEFT,
	    1)) {
		free(raster);
		return corrupt(c, "cannot decode page");
	}
	to_gray(raster, (unsigned char *)raster, (size_t)w * h);
	fz_try(ctx)
		mu_draw_gray(c, (unsigned char *)raster, w, h,
		    page_dpi(t, TIFFTAG_XRESOLUTION),
		    page_dpi(t, TIFFTAG_YRESOLUTION));
	fz_catch(ctx)
		r = mu_caught(c, "TIFF");
	free(raster);
	return r;
}

static int
one_page(struct conv *c, TIFF *t)
{
	int r;

	if (c->opts->reencode || !page_fits(t, c->geom.yres))
		return decode_page(c, t);
	r = sink_raw(c->sink, t);
	if (r == CONVERT_ECORRUPT)
		return corrupt(c, "bad fax page data");
	if (r == CONVERT_ELIMIT)
		return conv_fail(c, r, "more than %ld pages",
		    c->opts->max_pages);
	if (r != CONVERT_OK)
		return conv_fail(c, r, "cannot copy a fax page");
	c->pages++;
	return r;
}

int
fmt_tiff(struct conv *c, const unsigned char *doc, size_t len)
{
	struct membuf mb;
	tdir_t n;
	TIFF *t;
	int r;

	memset(&mb, 0, sizeof(mb));
	mb.buf = (unsigned char *)doc;	/* not writable: never written */
	mb.len = len;
	if ((t = tiff_open_mem(c, &mb, "input", "rm")) == NULL)
		return corrupt(c, "cannot open");
	n = TIFFNumberOfDirectories(t);
	if (c->opts->max_pages > 0 && n > c->opts->max_pages)
		r = conv_fail(c, CONVERT_ELIMIT, "%u pages, limit %ld", n,
		    c->opts->max_pages);
	else if ((r = conv_begin(c, n)) == CONVERT_OK)
		r = TIFFSetDirectory(t, 0) == 1 ? CONVERT_OK :
		    corrupt(c, "cannot read the first page");
	if (r != CONVERT_OK) {
		TIFFClose(t);
		return r;
	}
	do {
		if ((r = one_page(c, t)) != CONVERT_OK)
			break;
	} while (TIFFReadDirectory(t) == 1);
	TIFFClose(t);
	return r;
}
