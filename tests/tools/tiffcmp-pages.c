/*
 * tiffcmp-pages: compares the pages of fax TIFF files pixel for pixel.
 * Usage: tiffcmp-pages [-v] [-t] A.tif... -- B.tif...
 * The pages of the files before "--" (in order, all directories of each
 * file) are compared with those after it.  Every page is decoded with
 * libtiff into rows of 1 = black (whatever the photometric and fill
 * order).  With -t, all-white rows at the top and bottom of each page
 * are trimmed first: fax senders and receivers add blank rows there (a
 * header band, padding to a minimum length), which is not content.
 * Widths and the remaining rows must then be equal, bit for bit.
 * Exit 0 if all pages match and the page counts agree, 1 if not,
 * 2 on a read error.  -v prints one line per page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>

struct page {
	uint32_t	 width, rows;	/* rows kept after trimming */
	size_t		 stride;
	unsigned char	*bits;
};

struct pages {
	struct page	*p;
	size_t		 n;
};

static int
blank(const unsigned char *row, size_t stride)
{
	size_t i;

	for (i = 0; i < stride; i++)
		if (row[i] != 0)
			return 0;
	return 1;
}

/* masks pad bits past the width so they never count */
static void
fix_row(unsigned char *row, size_t stride, uint32_t width, int invert)
{
	size_t i;

	if (invert)
		for (i = 0; i < stride; i++)
			row[i] = (unsigned char)~row[i];
	if (width % 8)
		row[stride - 1] &= (unsigned char)(0xff << (8 - width % 8));
}

static int
read_page(TIFF *t, struct page *pg, int trim)
{
	uint32_t w, h, y, first, last;
	uint16_t photo = PHOTOMETRIC_MINISWHITE, bps = 1;

	TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetField(t, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo);
	if (bps != 1 || w == 0 || w > 20000 || h > 100000)
		return -1;
	pg->width = w;
	pg->stride = (w + 7) / 8;
	if ((pg->bits = calloc(h ? h : 1, pg->stride)) == NULL)
		return -1;
	for (y = 0; y < h; y++) {
		if (TIFFReadScanline(t, pg->bits + y * pg->stride, y, 0) < 0)
			return -1;
		fix_row(pg->bits + y * pg->stride, pg->stride, w,
		    photo == PHOTOMETRIC_MINISBLACK);
	}
	first = 0;
	last = h;
	if (trim) {
		while (first < h && blank(pg->bits + first * pg->stride,
		    pg->stride))
			first++;
		while (last > first && blank(pg->bits + (last - 1) *
		    pg->stride, pg->stride))
			last--;
	}
	memmove(pg->bits, pg->bits + first * pg->stride,
	    (size_t)(last - first) * pg->stride);
	pg->rows = last - first;
	return 0;
}

static int
read_file(const char *name, struct pages *ps, int trim)
{
	TIFF *t;
	void *np;

	if ((t = TIFFOpen(name, "r")) == NULL)
		return -1;
	do {
		if ((np = realloc(ps->p, (ps->n + 1) * sizeof(*ps->p))) == NULL)
			return -1;
		ps->p = np;
		if (read_page(t, &ps->p[ps->n], trim) == -1) {
			fprintf(stderr, "%s: page %zu: cannot decode\n", name,
			    ps->n + 1);
			TIFFClose(t);
			return -1;
		}
		ps->n++;
	} while (TIFFReadDirectory(t));
	TIFFClose(t);
	return 0;
}

static int
compare(const struct page *a, const struct page *b, size_t n, int verbose)
{
	uint32_t y;

	if (a->width != b->width || a->rows != b->rows) {
		printf("page %zu: size %ux%u vs %ux%u\n", n, a->width, a->rows,
		    b->width, b->rows);
		return 1;
	}
	for (y = 0; y < a->rows; y++)
		if (memcmp(a->bits + y * a->stride, b->bits + y * b->stride,
		    a->stride) != 0) {
			printf("page %zu: first differing row %u\n", n, y);
			return 1;
		}
	if (verbose)
		printf("page %zu: %ux%u equal\n", n, a->width, a->rows);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct pages side[2] = { { NULL, 0 }, { NULL, 0 } };
	int ch, trim = 0, verbose = 0, s = 0, bad = 0, i;
	size_t k;

	while ((ch = getopt(argc, argv, "+tv")) != -1) {
		if (ch == 't')
			trim = 1;
		else if (ch == 'v')
			verbose = 1;
		else
			goto usage;
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0 && s == 0) {
			s = 1;
			continue;
		}
		if (read_file(argv[i], &side[s], trim) == -1) {
			fprintf(stderr, "tiffcmp-pages: cannot read %s\n",
			    argv[i]);
			return 2;
		}
	}
	if (s != 1 || side[0].n == 0 || side[1].n == 0)
		goto usage;
	if (side[0].n != side[1].n) {
		printf("page count %zu vs %zu\n", side[0].n, side[1].n);
		bad = 1;
	}
	for (k = 0; k < side[0].n && k < side[1].n; k++)
		bad |= compare(&side[0].p[k], &side[1].p[k], k + 1, verbose);
	for (s = 0; s < 2; s++) {
		for (k = 0; k < side[s].n; k++)
			free(side[s].p[k].bits);
		free(side[s].p);
	}
	return bad;
usage:
	fprintf(stderr, "usage: tiffcmp-pages [-tv] a.tif... -- b.tif...\n");
	return 2;
}
