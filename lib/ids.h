/*
 * ids: message, job and fax ids.  UUIDs from libuuid, lowercase, 36
 * characters.  Every id read from outside (FIFO, file name, argument) is
 * checked with id_valid() before it is joined into a path.
 */
#ifndef RAMPART_IDS_H
#define RAMPART_IDS_H

#include <stddef.h>

#define ID_LEN	36
#define ID_SIZE	(ID_LEN + 1)

void	id_new(char id[ID_SIZE]);
int	id_valid(const char *s);	/* 1 if s is a lowercase UUID */
/*
 * A name-based (SHA-1, version 5) UUID from a valid parent id and len
 * bytes of name: the same inputs always give the same id, so work that is
 * redone after a crash (a job, a notice) gets the id it had.
 */
void	id_derive(char id[ID_SIZE], const char *parent, const void *name,
	    size_t len);

#endif
