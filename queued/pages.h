/*
 * pages: the documents of a message, each converted by convert(8) into
 * fax pages, joined into the one pages.tif every job of the message
 * sends.  The coded strips are copied as they are, never decoded: these
 * files are convert's output, and faxgetty sends them as they are.
 */
#ifndef RAMPART_QUEUED_PAGES_H
#define RAMPART_QUEUED_PAGES_H

#include <stddef.h>

/* pages in a TIFF, or -1 */
int	pages_count(const char *path);

/*
 * Writes out (which must not exist) with every page of the n inputs in
 * order, synced.  Returns the page count, or -1 with a message in err.
 */
int	pages_join(const char *out, const char *const *in, size_t n,
	    char *err, size_t errsz);

/* copies a file to a new one (O_EXCL), synced; 0 or -1 */
int	file_copy(const char *from, const char *to);

#endif
