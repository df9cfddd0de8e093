/*
 * page: the page sink.  Takes grey pages (1728 wide, one byte a pixel,
 * 255 white) and makes them bilevel, or takes already-encoded fax pages
 * from another TIFF, and writes them as TIFF-F pages through libtiff.
 */
#ifndef RAMPART_PAGE_H
#define RAMPART_PAGE_H

#include <stddef.h>
#include <tiffio.h>

#include "convert.h"
#include "faxenc.h"

struct sink {
	TIFF		*tif;		/* NULL: count and discard (fuzzing) */
	enum comp	 comp;
	int		 yres;
	long		 pages;
	long		 total;		/* for PageNumber; 0 if unknown */
	long		 max_pages;
	int		 ink0, ink1;	/* last grey page: rows not white */
	unsigned char	*bits;		/* one packed page */
	size_t		 bitsz;
	struct faxenc	 enc;		/* its coded form */
};

/* tif: an open TIFF to write, closed by sink_close; NULL: discard */
void	sink_open(struct sink *s, TIFF *tif, enum comp comp, int yres,
	    long max_pages);
int	sink_close(struct sink *s);

/*
 * One grey page of w x h pixels.  Photo-like pages (many middle tones in
 * box, x0 y0 x1 y1, or in the whole page if box is NULL) are dithered,
 * the rest thresholded.  Returns a CONVERT_* status.
 */
int	sink_gray(struct sink *s, const unsigned char *gray, int w, int h,
	    size_t stride, const int *box);

/* a resolution tag in dots per inch, 0 if missing */
float	page_dpi(TIFF *in, int tag);

/* 1 if the current directory of in is a fax page that may pass as is */
int	page_fits(TIFF *in, int yres);

/* copies the current directory of in without decoding; CONVERT_* */
int	sink_raw(struct sink *s, TIFF *in);

/* grey to packed bits in s->bits (sized by the caller) */
int	page_bilevel(struct sink *s, const unsigned char *gray, int w, int h,
	    size_t stride, const int *box);

#endif
