/*
 * tiffcheck: decodes a TIFF the way a test needs to see it.
 *   tiffcheck FILE            one line per page: width, length, x and y
 *                             resolution, compression, black pixels in all
 *                             and in the top quarter, a sum of the raw strips
 *   tiffcheck -r A B [OFFSET] exit 0 if every page's raw strips are equal,
 *                             skipping the first OFFSET pages of B
 *   tiffcheck -p N FILE OUT   page N (from 1) as a PGM image
 *   tiffcheck -b N FILE X0 Y0 X1 Y1
 *                             black pixels of page N in the box from
 *                             (X0, Y0) up to but not (X1, Y1)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

static uint32_t
raw_sum(TIFF *t, unsigned char **bufp, size_t *lenp)
{
	uint64_t *bc;
	uint32_t i, n = TIFFNumberOfStrips(t), h = 2166136261u;
	size_t len = 0, k;
	unsigned char *buf = NULL;
	tmsize_t got;

	if (TIFFGetField(t, TIFFTAG_STRIPBYTECOUNTS, &bc) != 1)
		return 0;
	for (i = 0; i < n; i++) {
		buf = realloc(buf, len + bc[i]);
		got = TIFFReadRawStrip(t, i, buf + len, bc[i]);
		if (got < 0)
			exit(2);
		for (k = 0; k < (size_t)got; k++)
			h = (h ^ buf[len + k]) * 16777619u;
		len += got;
	}
	if (bufp != NULL) {
		*bufp = buf;
		*lenp = len;
	} else
		free(buf);
	return h;
}

/* the page as 0/1 per pixel, 1 black; NULL if not bilevel */
static unsigned char *
bits(TIFF *t, uint32_t *wp, uint32_t *hp)
{
	uint32_t w, h, y, x;
	uint16_t bps = 0, photo = 0;
	unsigned char *row, *img;

	TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo);
	if (bps != 1)
		return NULL;
	row = malloc(TIFFScanlineSize(t));
	img = malloc((size_t)w * h);
	for (y = 0; y < h; y++) {
		if (TIFFReadScanline(t, row, y, 0) < 0)
			exit(2);
		for (x = 0; x < w; x++) {
			int b = (row[x / 8] >> (7 - x % 8)) & 1;
			img[(size_t)y * w + x] = photo == PHOTOMETRIC_MINISWHITE ?
			    b : !b;
		}
	}
	free(row);
	*wp = w;
	*hp = h;
	return img;
}

static int
list(const char *file)
{
	TIFF *t = TIFFOpen(file, "r");
	uint32_t w = 0, h = 0, y, x, n = 0;
	uint16_t comp = 0, pn = 0, pt = 0;
	uint32_t g3 = 0;
	float xr = 0, yr = 0;
	unsigned long black, top;
	unsigned char *img;

	if (t == NULL)
		return 2;
	do {
		TIFFGetField(t, TIFFTAG_COMPRESSION, &comp);
		TIFFGetField(t, TIFFTAG_XRESOLUTION, &xr);
		TIFFGetField(t, TIFFTAG_YRESOLUTION, &yr);
		g3 = 0;
		if (comp == COMPRESSION_CCITTFAX3)
			TIFFGetField(t, TIFFTAG_GROUP3OPTIONS, &g3);
		TIFFGetField(t, TIFFTAG_PAGENUMBER, &pn, &pt);
		printf("page=%u pn=%u/%u g3=%u", ++n, pn, pt, g3);
		printf(" sum=%08x ", raw_sum(t, NULL, NULL));
		if ((img = bits(t, &w, &h)) == NULL) {
			printf("not bilevel\n");
			continue;
		}
		black = top = 0;
		for (y = 0; y < h; y++)
			for (x = 0; x < w; x++)
				if (img[(size_t)y * w + x]) {
					black++;
					top += y < h / 4;
				}
		printf("w=%u h=%u xres=%.0f yres=%.0f comp=%u black=%lu "
		    "top=%lu\n", w, h, xr, yr, comp, black, top);
		free(img);
	} while (TIFFReadDirectory(t));
	TIFFClose(t);
	return 0;
}

static int
same_raw(const char *a, const char *b, int skip)
{
	TIFF *ta = TIFFOpen(a, "r"), *tb = TIFFOpen(b, "r");
	unsigned char *ba, *bb;
	size_t la, lb;
	int more_a, more_b, r;

	if (ta == NULL || tb == NULL || !TIFFSetDirectory(tb, skip))
		return 2;
	for (;;) {
		raw_sum(ta, &ba, &la);
		raw_sum(tb, &bb, &lb);
		r = la != lb || (la > 0 && memcmp(ba, bb, la) != 0);
		free(ba);
		free(bb);
		if (r)
			break;
		more_a = TIFFReadDirectory(ta);
		more_b = TIFFReadDirectory(tb);
		if ((r = more_a != more_b) || !more_a)
			break;
	}
	TIFFClose(ta);
	TIFFClose(tb);
	return r;
}

static int
pgm(int page, const char *file, const char *out)
{
	TIFF *t = TIFFOpen(file, "r");
	uint32_t w, h;
	size_t i;
	unsigned char *img;
	FILE *f;

	if (t == NULL || !TIFFSetDirectory(t, page - 1) ||
	    (img = bits(t, &w, &h)) == NULL || (f = fopen(out, "w")) == NULL)
		return 2;
	fprintf(f, "P5\n%u %u\n255\n", w, h);
	for (i = 0; i < (size_t)w * h; i++)
		fputc(img[i] ? 0 : 255, f);
	fclose(f);
	free(img);
	TIFFClose(t);
	return 0;
}

static int
box(int page, const char *file, char **xy)
{
	TIFF *t = TIFFOpen(file, "r");
	uint32_t w, h, x, y, x0 = atoi(xy[0]), y0 = atoi(xy[1]),
	    x1 = atoi(xy[2]), y1 = atoi(xy[3]);
	unsigned long black = 0;
	unsigned char *img;

	if (t == NULL || !TIFFSetDirectory(t, page - 1) ||
	    (img = bits(t, &w, &h)) == NULL || x1 > w || y1 > h)
		return 2;
	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			black += img[(size_t)y * w + x];
	printf("%lu\n", black);
	free(img);
	TIFFClose(t);
	return 0;
}

int
main(int argc, char *argv[])
{
	TIFFSetWarningHandler(NULL);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "-r") == 0)
		return same_raw(argv[2], argv[3], argc == 5 ? atoi(argv[4]) : 0);
	if (argc == 5 && strcmp(argv[1], "-p") == 0)
		return pgm(atoi(argv[2]), argv[3], argv[4]);
	if (argc == 8 && strcmp(argv[1], "-b") == 0)
		return box(atoi(argv[2]), argv[3], argv + 4);
	if (argc == 2)
		return list(argv[1]);
	fprintf(stderr, "usage: tiffcheck FILE | -r A B [OFFSET] | -p N FILE OUT |\n"
	    "       -b N FILE X0 Y0 X1 Y1\n");
	return 2;
}
