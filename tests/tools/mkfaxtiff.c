/*
 * mkfaxtiff: writes fax test pages, so that no binary test data is kept
 * in the tree.  Usage: mkfaxtiff [-f] [-d] [-c g3|g4] [-s] OUT.tif PAGES
 *   -f  fine resolution (204x196 dpi, 2156 rows; default 204x98, 1078)
 *   -d  dense pages (a texture of checks over most of the page)
 *   -s  split: write OUT-1.tif, OUT-2.tif... one page each (for efax)
 * Each page is different and deterministic: a band of marks that spell
 * its page number, boxes, diagonals, and with -d a busy texture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>

#define MAXWIDTH	2432

static int	width = 1728;

static void
set(unsigned char *row, int x)
{
	if (x >= 0 && x < width)
		row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
}

/* black pixels of row y on page p (1 = black, MINISWHITE) */
static void
draw(unsigned char *row, int p, int y, int rows, int dense)
{
	int x, k;

	memset(row, 0, MAXWIDTH / 8);
	if (y < 40 || y >= rows - 40)
		return;			/* white margins, as on paper */
	if (y >= 60 && y < 120)		/* page number as p bars */
		for (k = 0; k < p; k++)
			for (x = 100 + k * 40; x < 120 + k * 40; x++)
				set(row, x);
	if (y % 200 == 0 || (y > 300 && y < 304))
		for (x = 80; x < width - 80; x++)
			set(row, x);
	set(row, 80 + (y * 3 + p * 50) % (width - 160));
	set(row, width - 81 - (y * 2) % (width - 160));
	if (dense && y > 320)
		for (x = 80; x < width - 80; x++)
			if ((((x + p * 16) / 48) + (y / 48)) % 2 == 0 &&
			    ((x / 16 + y / 9) % 3) != 0)
				set(row, x);
}

static int
page(TIFF *t, int p, int npages, int fine, int dense, int g4, int a4)
{
	unsigned char row[MAXWIDTH / 8];
	int rows = fine ? 2156 : 1078, y;

	if (a4)
		rows = fine ? 2286 : 1143;
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, width);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, rows);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_FILLORDER, FILLORDER_LSB2MSB);
	TIFFSetField(t, TIFFTAG_COMPRESSION,
	    g4 ? COMPRESSION_CCITTFAX4 : COMPRESSION_CCITTFAX3);
	if (!g4)
		TIFFSetField(t, TIFFTAG_GROUP3OPTIONS, 0);
	/* end the data with RTC: efax reads a page up to RTC or EOF */
	TIFFSetField(t, TIFFTAG_FAXMODE, FAXMODE_CLASSIC);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, 204.0);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, fine ? 196.0 : 98.0);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, rows);
	TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	TIFFSetField(t, TIFFTAG_PAGENUMBER, p - 1, npages);
	for (y = 0; y < rows; y++) {
		draw(row, p, y, rows, dense);
		if (TIFFWriteScanline(t, row, (uint32_t)y, 0) < 0)
			return -1;
	}
	return TIFFWriteDirectory(t) ? 0 : -1;
}

/* length of the name without its extension ("dir.x/a.tif" -> "dir.x/a") */
static int
stem(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');

	if (dot == NULL || (slash != NULL && dot < slash))
		return (int)strlen(path);
	return (int)(dot - path);
}

int
main(int argc, char *argv[])
{
	int ch, fine = 0, dense = 0, split = 0, g4 = 0, a4 = 0, n, p;
	char name[4096];
	TIFF *t = NULL;

	while ((ch = getopt(argc, argv, "ac:dfsw:")) != -1) {
		switch (ch) {
		case 'a': a4 = 1; break;
		case 'c': g4 = strcmp(optarg, "g4") == 0; break;
		case 'd': dense = 1; break;
		case 'f': fine = 1; break;
		case 's': split = 1; break;
		case 'w':
			width = atoi(optarg);
			if (width != 1728 && width != 2048 && width != 2432)
				goto usage;
			break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || (n = atoi(argv[optind + 1])) < 1)
		goto usage;
	for (p = 1; p <= n; p++) {
		if (split || p == 1) {
			if (t != NULL)
				TIFFClose(t);
			if (split)
				snprintf(name, sizeof(name), "%.*s-%d.tif",
				    stem(argv[optind]), argv[optind], p);
			else
				snprintf(name, sizeof(name), "%s",
				    argv[optind]);
			if ((t = TIFFOpen(name, "w")) == NULL)
				return 1;
		}
		if (page(t, p, split ? 1 : n, fine, dense, g4, a4) == -1)
			return 1;
	}
	TIFFClose(t);
	return 0;
usage:
	fprintf(stderr, "usage: mkfaxtiff [-adfs] [-c g3|g4] [-w width] "
	    "out.tif pages\n");
	return 64;
}
