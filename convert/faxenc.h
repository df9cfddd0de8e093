/*
 * faxenc: encodes bilevel pages as ITU-T T.4 (MH, MR) or T.6 (MMR)
 * coded data, one TIFF strip a page, the way libtiff's own encoder lays
 * it out: G3 rows each begin with an EOL (with the 1D/2D tag bit for
 * MR), no fill bits; a T.6 page ends with EOFB.  Rows are packed bits,
 * most significant bit first, 1 for black.
 */
#ifndef RAMPART_FAXENC_H
#define RAMPART_FAXENC_H

#include <stddef.h>
#include <stdint.h>

#include "convert.h"

struct faxenc {
	unsigned char	*buf;		/* the coded page */
	size_t		 len, cap;
	uint64_t	 acc;		/* bits not yet in buf, top first */
	int		 nacc;
	int		*ref, *cur;	/* changing elements, + 3 sentinels */
	int		 w;		/* width ref and cur are sized for */
};

/*
 * Codes h rows of w pixels, rb bytes a row, into f->buf (f->len bytes).
 * k: MR's K parameter (2 at 98 lines per inch, 4 at 196), unused for MH
 * and MMR.  Returns 0, or -1 when out of memory.
 */
int	faxenc_page(struct faxenc *f, enum comp comp, int k,
	    const unsigned char *bits, int w, int h, size_t rb);

void	faxenc_free(struct faxenc *f);

#endif
