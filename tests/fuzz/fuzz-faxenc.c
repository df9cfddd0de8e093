/*
 * fuzz-faxenc: differential fuzzing of convert's T.4/T.6 encoder.  The
 * input is a page: two bytes of width, then packed rows.  It is coded
 * MH, MR and MMR by faxenc, stored in a TIFF in memory with
 * TIFFWriteRawStrip and decoded by libtiff; any pixel that differs
 * aborts.  Built by `make fuzz` with clang; run by run-smoke.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

#include "convert.h"
#include "faxenc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static TIFF *
page_tiff(struct conv *c, struct membuf *mb, enum comp comp, int w, int h)
{
	TIFF *t;

	if ((t = tiff_open_mem(c, mb, "fuzz", "w")) == NULL)
		abort();
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)h);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)h);
	TIFFSetField(t, TIFFTAG_COMPRESSION, comp == COMP_MMR ?
	    COMPRESSION_CCITTFAX4 : COMPRESSION_CCITTFAX3);
	if (comp != COMP_MMR)
		TIFFSetField(t, TIFFTAG_GROUP3OPTIONS,
		    comp == COMP_MR ? GROUP3OPT_2DENCODING : 0);
	return t;
}

static void
round_trip(struct faxenc *f, enum comp comp, const uint8_t *bits, int w,
    int h, size_t rb, unsigned char *back)
{
	static struct convert_opts o;
	struct membuf mb;
	struct conv c;
	size_t x;
	TIFF *t;

	memset(&c, 0, sizeof(c));
	o.max_pixels = 1 << 20;
	c.opts = &o;
	if (faxenc_page(f, comp, 4, bits, w, h, rb) != 0)
		abort();
	membuf_init_write(&mb, 64 << 20, NULL, 0);
	t = page_tiff(&c, &mb, comp, w, h);
	if (TIFFWriteRawStrip(t, 0, f->buf, f->len) != (tmsize_t)f->len)
		abort();
	TIFFClose(t);
	mb.writable = 0;
	if ((t = tiff_open_mem(&c, &mb, "fuzz", "rm")) == NULL)
		abort();
	if (TIFFReadEncodedStrip(t, 0, back, rb * h) != (tmsize_t)(rb * h))
		abort();
	TIFFClose(t);
	membuf_free(&mb);
	/* the bits past the width in a row's last byte are not pixels */
	for (x = 0; x < rb * h; x++) {
		unsigned char mask = (x % rb == rb - 1 && w % 8 != 0) ?
		    (unsigned char)(0xff << (8 - w % 8)) : 0xff;
		if ((back[x] ^ bits[x]) & mask)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct faxenc f;
	unsigned char *back;
	size_t rb;
	int w, h;

	if (size < 3)
		return 0;
	w = 1 + (data[0] | data[1] << 8) % 3000;
	rb = ((size_t)w + 7) / 8;
	h = (int)((size - 2) / rb);
	if (h == 0 || h > 4000)
		return 0;
	TIFFSetErrorHandler(NULL);
	TIFFSetWarningHandler(NULL);
	memset(&f, 0, sizeof(f));
	if ((back = malloc(rb * h)) == NULL)
		return 0;
	round_trip(&f, COMP_MH, data + 2, w, h, rb, back);
	round_trip(&f, COMP_MR, data + 2, w, h, rb, back);
	round_trip(&f, COMP_MMR, data + 2, w, h, rb, back);
	free(back);
	faxenc_free(&f);
	return 0;
}
