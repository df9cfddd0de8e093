/*
 * text: what faxgetty reads from outside as text and what it writes
 * from outside text into key = value spool files: the modem's caller-id
 * lines before RING, the job file queued hands over, and the cleaning
 * of station ids, sub-addresses, caller ids and DTMF digits for meta
 * and result files.  Pure functions (no I/O), so that the fuzz targets
 * (tests/fuzz/fuzz-modem.c, fuzz-spool.c) link them as they are.
 */
#ifndef FAXGETTY_TEXT_H
#define FAXGETTY_TEXT_H

#include <stddef.h>

#include "ids.h"

struct ringinfo {
	char	cid[33], name[33], did[33];
	char	dtmf[33];	/* a secret: meta only, never logged */
};

/* keeps a caller-id line ("NMBR = 5551234") of the idle modem in info,
 * or none of it if it does not fit */
void	ring_note(char *info, size_t sz, const char *line);
/* the caller-id lines kept by ring_note into ri */
void	ring_parse(const char *info, struct ringinfo *ri);

struct job {
	char	id[ID_SIZE];
	char	number[64];
	char	account[64];
	char	sub[21];
	int	pages, first, try;
};

/*
 * jobs/ID/job, "key = value" lines (buf is changed); unknown keys are
 * queued's business and skipped.  0 if it names a number and pages.
 */
int	job_parse(struct job *j, char *buf);

/* outside text for a key = value file: printable ASCII, one line */
void	call_clean(char *dst, size_t sz, const char *src);

#endif
