/*
 * pdf: a received fax as a PDF without decoding it.  Each TIFF strip's
 * coded bytes (T.4 MH, T.4 MR or T.6 MMR) become one image XObject with
 * /CCITTFaxDecode, as they are (only the bit order is turned round when
 * the TIFF stores the bits least significant first, as libspandsp does);
 * the strips of a page are stacked on one page whose size comes from the
 * image size and the fax's own resolution, so a fine page is not
 * squashed and a B4 page (2048 dots) shows whole.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>

#include "pdf.h"

#define PDF_MAXPAGES	10000
#define PDF_MAXSTRIPS	4096
#define PDF_MAXDIM	65535

struct pdf {
	struct pdfbuf	 out;
	int		 nomem;		/* sticky */
	long		*off;		/* object offsets, by number */
	size_t		 noff, cap;
};

static void
add(struct pdf *p, const void *data, size_t len)
{
	struct pdfbuf *b = &p->out;
	size_t cap;
	char *nb;

	if (p->nomem)
		return;
	if (len > b->cap - b->len) {
		cap = b->cap ? b->cap : 65536;
		while (len > cap - b->len)
			cap *= 2;
		if ((nb = realloc(b->data, cap)) == NULL) {
			p->nomem = 1;
			return;
		}
		b->data = nb;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

static void
put(struct pdf *p, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		add(p, buf, (size_t)n < sizeof(buf) ? (size_t)n :
		    sizeof(buf) - 1);
}

/* a new object number, without writing it yet */
static size_t
obj_new(struct pdf *p)
{
	long *no;

	if (p->noff == p->cap) {
		if ((no = reallocarray(p->off, p->cap ? p->cap * 2 : 64,
		    sizeof(*no))) == NULL) {
			p->nomem = 1;
			return 0;	/* object 0 is never written */
		}
		p->off = no;
		p->cap = p->cap ? p->cap * 2 : 64;
	}
	p->off[p->noff] = -1;
	return p->noff++;
}

static void
obj_begin(struct pdf *p, size_t n)
{
	if (p->nomem || n == 0)
		return;
	p->off[n] = (long)p->out.len;
	put(p, "%zu 0 obj\n", n);
}

struct page {
	uint32_t	 w, h, rps;
	uint16_t	 comp, photo, fill;
	uint32_t	 t4;
	float		 xres, yres;
	uint16_t	 unit;
};

static int
page_read(TIFF *tif, struct page *pg, char *err, size_t errsz)
{
	memset(pg, 0, sizeof(*pg));
	if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &pg->w) ||
	    !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &pg->h) || pg->w == 0 ||
	    pg->h == 0 || pg->w > PDF_MAXDIM || pg->h > PDF_MAXDIM) {
		(void)snprintf(err, errsz, "page %u: bad image size",
		    (unsigned)TIFFCurrentDirectory(tif) + 1);
		return -1;
	}
	TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &pg->comp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PHOTOMETRIC, &pg->photo);
	TIFFGetFieldDefaulted(tif, TIFFTAG_FILLORDER, &pg->fill);
	TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &pg->rps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &pg->unit);
	if (pg->comp == COMPRESSION_CCITTFAX3)
		TIFFGetFieldDefaulted(tif, TIFFTAG_GROUP3OPTIONS, &pg->t4);
	if (pg->comp != COMPRESSION_CCITTFAX3 &&
	    pg->comp != COMPRESSION_CCITTFAX4) {
		(void)snprintf(err, errsz, "page %u: compression %u is not "
		    "T.4 or T.6", (unsigned)TIFFCurrentDirectory(tif) + 1,
		    (unsigned)pg->comp);
		return -1;
	}
	uint16_t spp = 1, bps = 1;
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	if (spp != 1 || bps != 1) {
		(void)snprintf(err, errsz, "page %u: not bilevel",
		    (unsigned)TIFFCurrentDirectory(tif) + 1);
		return -1;
	}
	if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &pg->xres) ||
	    !(pg->xres > 1 && pg->xres < 100000))
		pg->xres = 204;
	if (!TIFFGetField(tif, TIFFTAG_YRESOLUTION, &pg->yres) ||
	    !(pg->yres > 1 && pg->yres < 100000))
		pg->yres = 98;
	if (pg->unit == RESUNIT_CENTIMETER) {
		pg->xres *= 2.54f;
		pg->yres *= 2.54f;
	}
	if (pg->rps == 0 || pg->rps > pg->h)
		pg->rps = pg->h;
	return 0;
}

/* one page: its image objects, its content stream, the page object */
static int
page_write(struct pdf *p, TIFF *tif, const struct page *pg, size_t parent,
    size_t pageobj, char *err, size_t errsz)
{
	tstrip_t ns = TIFFNumberOfStrips(tif), s;
	uint64_t *sbc = NULL;
	double sx = 72.0 / pg->xres, sy = 72.0 / pg->yres;
	double wpt = pg->w * sx, hpt = pg->h * sy;
	size_t first = 0, contents, clen = 0;
	char c[PDF_MAXSTRIPS > 0 ? 96 : 1], *cs = NULL, *ncs;
	unsigned char *buf = NULL, *nbuf;
	int k, n_c, ret = -1;

	if (ns == 0 || ns > PDF_MAXSTRIPS ||
	    !TIFFGetField(tif, TIFFTAG_STRIPBYTECOUNTS, &sbc)) {
		(void)snprintf(err, errsz, "page %u: bad strips",
		    (unsigned)TIFFCurrentDirectory(tif) + 1);
		goto out;
	}
	k = pg->comp == COMPRESSION_CCITTFAX4 ? -1 :
	    (pg->t4 & GROUP3OPT_2DENCODING) ? 1 : 0;
	for (s = 0; s < ns; s++) {
		uint32_t y = s * pg->rps, rows;
		tmsize_t n;
		size_t im;

		if (y >= pg->h)
			break;
		rows = pg->h - y < pg->rps ? pg->h - y : pg->rps;
		if (sbc[s] == 0 || sbc[s] > 64 * 1024 * 1024) {
			(void)snprintf(err, errsz, "page %u: bad strip size",
			    (unsigned)TIFFCurrentDirectory(tif) + 1);
			goto out;
		}
		if ((nbuf = realloc(buf, (size_t)sbc[s])) == NULL) {
			(void)snprintf(err, errsz, "out of memory");
			goto out;
		}
		buf = nbuf;
		if ((n = TIFFReadRawStrip(tif, s, buf, (tmsize_t)sbc[s])) <= 0) {
			(void)snprintf(err, errsz, "page %u: cannot read strip "
			    "%u", (unsigned)TIFFCurrentDirectory(tif) + 1,
			    (unsigned)s);
			goto out;
		}
		if (pg->fill == FILLORDER_LSB2MSB)
			TIFFReverseBits(buf, n);
		im = obj_new(p);
		if (s == 0)
			first = im;
		obj_begin(p, im);
		put(p, "<< /Type /XObject /Subtype /Image /Width %u /Height %u "
		    "/ColorSpace /DeviceGray /BitsPerComponent 1 "
		    "/Filter /CCITTFaxDecode /DecodeParms << /K %d "
		    "/Columns %u /Rows %u /BlackIs1 %s >> /Length %lld >>\n"
		    "stream\n", (unsigned)pg->w, (unsigned)rows, k,
		    (unsigned)pg->w, (unsigned)rows,
		    pg->photo == PHOTOMETRIC_MINISBLACK ? "true" : "false",
		    (long long)n);
		add(p, buf, (size_t)n);
		put(p, "\nendstream\nendobj\n");
		/*
		 * Strips meet on a row boundary; each is drawn 1/100 of a
		 * row short at both ends, so that a renderer that widens an
		 * image to whole device pixels does not make neighbours
		 * overlap by a row because of rounding.
		 */
		n_c = snprintf(c, sizeof(c), "q %.6f 0 0 %.6f 0 %.6f cm /Im%u "
		    "Do Q\n", wpt, (rows - 0.02) * sy,
		    (pg->h - y - rows + 0.01) * sy, (unsigned)s);
		if (n_c < 0 || (size_t)n_c >= sizeof(c) ||
		    (ncs = realloc(cs, clen + (size_t)n_c)) == NULL) {
			(void)snprintf(err, errsz, "out of memory");
			goto out;
		}
		cs = ncs;
		memcpy(cs + clen, c, (size_t)n_c);
		clen += (size_t)n_c;
	}
	contents = obj_new(p);
	obj_begin(p, contents);
	put(p, "<< /Length %zu >>\nstream\n", clen);
	add(p, cs, clen);
	put(p, "endstream\nendobj\n");
	obj_begin(p, pageobj);
	put(p, "<< /Type /Page /Parent %zu 0 R /MediaBox [0 0 %.4f %.4f] "
	    "/Contents %zu 0 R /Resources << /XObject <<", parent, wpt, hpt,
	    contents);
	for (s = 0; s < ns && s * pg->rps < pg->h; s++)
		put(p, " /Im%u %zu 0 R", (unsigned)s, first + s);
	put(p, " >> >> >>\nendobj\n");
	ret = 0;
out:
	free(buf);
	free(cs);
	return ret;
}

static void
quiet(const char *mod, const char *fmt, va_list ap)
{
	(void)mod;
	(void)fmt;
	(void)ap;
}

int
pdf_from_tiff(int fd, struct pdfbuf *out, int *npages, char *err,
    size_t errsz)
{
	struct pdf p;
	struct page pg;
	size_t *kids = NULL, *nk, nkids = 0, catalog, pages, i, xref;
	TIFF *tif;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	*npages = 0;
	TIFFSetWarningHandler(quiet);
	TIFFSetErrorHandler(quiet);
	memset(&p, 0, sizeof(p));
	if ((tif = TIFFFdOpen(fd, "fax.tif", "r")) == NULL) {
		(void)snprintf(err, errsz, "not a TIFF file");
		close(fd);
		return -1;
	}
	put(&p, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
	(void)obj_new(&p);		/* object 0: the free list head */
	catalog = obj_new(&p);
	pages = obj_new(&p);
	do {
		if (nkids == PDF_MAXPAGES) {
			(void)snprintf(err, errsz, "more than %d pages",
			    PDF_MAXPAGES);
			goto out;
		}
		if (page_read(tif, &pg, err, errsz) == -1)
			goto out;
		if ((nk = reallocarray(kids, nkids + 1, sizeof(*kids))) ==
		    NULL) {
			(void)snprintf(err, errsz, "out of memory");
			goto out;
		}
		kids = nk;
		kids[nkids] = obj_new(&p);
		if (page_write(&p, tif, &pg, pages, kids[nkids], err,
		    errsz) == -1)
			goto out;
		nkids++;
	} while (TIFFReadDirectory(tif));
	obj_begin(&p, catalog);
	put(&p, "<< /Type /Catalog /Pages %zu 0 R >>\nendobj\n", pages);
	obj_begin(&p, pages);
	put(&p, "<< /Type /Pages /Count %zu /Kids [", nkids);
	for (i = 0; i < nkids; i++)
		put(&p, " %zu 0 R", kids[i]);
	put(&p, " ] >>\nendobj\n");
	xref = p.out.len;
	put(&p, "xref\n0 %zu\n0000000000 65535 f \n", p.noff);
	for (i = 1; i < p.noff; i++)
		put(&p, "%010ld 00000 n \n", p.off[i]);
	put(&p, "trailer\n<< /Size %zu /Root %zu 0 R >>\nstartxref\n%zu\n"
	    "%%%%EOF\n", p.noff, catalog, xref);
	if (p.nomem) {
		(void)snprintf(err, errsz, "out of memory");
		goto out;
	}
	*npages = (int)nkids;
	*out = p.out;
	p.out.data = NULL;
	ret = 0;
out:
	TIFFClose(tif);
	free(p.out.data);
	free(p.off);
	free(kids);
	return ret;
}
