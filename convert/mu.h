/*
 * mu: the MuPDF side of convert: one fz_context per conversion with an
 * allocator capped at a byte budget, and the grey page canvas that every
 * parser draws on before the page goes to the sink.
 */
#ifndef RAMPART_MU_H
#define RAMPART_MU_H

#include <mupdf/fitz.h>

#include "convert.h"

struct mu {
	fz_context		*ctx;
	fz_alloc_context	 alloc;
	size_t			 used, cap;
	fz_pixmap		*pix;
	fz_device		*dev;
	int			 box[4];	/* the picture, if any */
	int			 dirty0, dirty1;	/* rows to whiten */
	int			 has_box;
};

/* returns 0, or -1 if MuPDF could not start */
int	mu_start(struct conv *c, size_t cap);
/*
 * Starts MuPDF with c->mu_cap if it is not running: TIFF input needs it
 * only for a page that does not pass through, or for a cover (its store
 * alone is some 80 pages of memory to fill).  Returns a CONVERT_* status,
 * with the reason set.
 */
int	mu_need(struct conv *c);
void	mu_stop(struct conv *c);

/* a white page to draw on; throws */
fz_device *mu_page_begin(struct conv *c);
/* sends the page to the sink; throws with c->status set on failure */
void	mu_page_end(struct conv *c);

/*
 * The matrix that puts a wpt x hpt point rectangle (y down) on the page:
 * turned a quarter if landscape, shrunk to fit (grown too if grow),
 * centred across, at the top.  -1 if the size is absurd.
 */
int	mu_place(struct conv *c, float wpt, float hpt, int grow, fz_matrix *m);

/* maps the caught MuPDF error to a CONVERT_* status and reason */
int	mu_caught(struct conv *c, const char *what);

/* judge photo or not from the area m puts the unit square on */
void	mu_picture_box(struct conv *c, fz_matrix m);

/* a grey image made from our own decoded pixels, drawn placed */
void	mu_draw_gray(struct conv *c, unsigned char *gray, int w, int h,
	    float xdpi, float ydpi);

#endif
