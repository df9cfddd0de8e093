/*
 * unpack: a mail message into the parts a fax is made of, by GMime, in
 * the sandboxed worker of the unpack program (never in queued).  Writes
 * into dirfd one file per part, "part.N", the text body as "body.txt"
 * (UTF-8), and last "manifest" (key = value, rampart-spool(5)).
 */
#ifndef RAMPART_UNPACK_H
#define RAMPART_UNPACK_H

#include <stddef.h>

#define UNPACK_OK		0
#define UNPACK_ECORRUPT		11	/* not a message */
#define UNPACK_ELIMIT		13	/* parts, depth or size */
#define UNPACK_ETIMEOUT		14
#define UNPACK_ECRASH		15
#define UNPACK_EINTERNAL	16	/* ours: retry later */

#define UNPACK_MAXDEPTH		32
#define UNPACK_MAXPARTS		64

/* returns an UNPACK_* status, with a reason in words when not OK */
int	unpack_mime(const char *buf, size_t len, int dirfd, char *reason,
	    size_t reasonsz);

/* opens the converters GMime may need, before the sandbox hides them */
void	unpack_preload(void);

#endif
