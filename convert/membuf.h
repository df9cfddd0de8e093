/*
 * membuf: a TIFF file in memory for libtiff's client procs.  Either the
 * input, read only, or a file being written that grows (by mremap, so a
 * page is only paid for when it is written) up to max bytes, then sets
 * full.  A written file may borrow: a write of at least MEMBUF_REF_MIN
 * bytes that lies inside the lent range (the input document, whose coded
 * strips pass through unchanged) is kept as a reference, not copied, and
 * membuf_write sends it to the output from where it lies.
 */
#ifndef RAMPART_MEMBUF_H
#define RAMPART_MEMBUF_H

#include <stddef.h>

#define MEMBUF_REF_MIN	1024

struct membuf_ref {
	size_t			 off, len;	/* in the file */
	const unsigned char	*src;		/* in the lent range */
};

struct membuf {
	unsigned char		*buf;		/* the file, holes where refs are */
	size_t			 len, cap, off, max;
	size_t			 filled;	/* pages of buf touched below this */
	int			 writable, full;
	const unsigned char	*lend;		/* may be referenced, not copied */
	size_t			 lend_len;
	struct membuf_ref	*refs;		/* by offset, not overlapping */
	size_t			 nrefs, refcap;
};

/* a file to be written, of at most max bytes, borrowing from lend */
void	membuf_init_write(struct membuf *m, size_t max,
	    const unsigned char *lend, size_t lend_len);
/* the whole file to fd, in one writev per 1024 pieces; -1 with errno */
int	membuf_write(const struct membuf *m, int fd);
/* frees what a written file holds; a read-only one owns nothing */
void	membuf_free(struct membuf *m);

#endif
