/*
 * pdf: a received fax as a PDF without decoding it (pdf.c).  No GLib
 * here, so that bench/onramp/fax2pdf links libtiff alone.
 */
#ifndef RAMPART_QUEUED_PDF_H
#define RAMPART_QUEUED_PDF_H

#include <stddef.h>

struct pdfbuf {
	char	*data;		/* malloc'd */
	size_t	 len, cap;
};

/*
 * The fax TIFF open on fd (taken: it is closed) as a PDF, one page per
 * fax page, the coded strips as /CCITTFaxDecode images.  Returns 0 with
 * out (free out->data) and *npages, or -1 with err.
 */
int	pdf_from_tiff(int fd, struct pdfbuf *out, int *npages, char *err,
	    size_t errsz);

#endif
