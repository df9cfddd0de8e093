/*
 * ids: message, job and fax ids.  UUIDs from libuuid, lowercase, 36
 * characters.  Every id read from outside (FIFO, file name, argument) is
 * checked with id_valid() before it is joined into a path.
 */
#ifndef RAMPART_IDS_H
#define RAMPART_IDS_H

#define ID_LEN	36
#define ID_SIZE	(ID_LEN + 1)

void	id_new(char id[ID_SIZE]);
int	id_valid(const char *s);	/* 1 if s is a lowercase UUID */

#endif
