/*
 * call: what send.c and recv.c share for one fax call: setting up the
 * T.30 engine the same way in both directions, and following the call
 * (remote id, pages, bit rate, RTN count, completion code) for
 * status/DEV and the records written afterwards.
 */
#ifndef FAXGETTY_CALL_H
#define FAXGETTY_CALL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "class1.h"
#include "faxgetty.h"
#include "text.h"
#include "xferlog.h"

struct callrec {
	struct fg	*fg;
	const char	*dir;		/* "sending" or "receiving" */
	const char	*id;
	int		 total;		/* pages of the document (send) */
	int		 first;		/* first page sent this call, 1-based */
	int		 pages;		/* pages confirmed/received so far */
	int		 rtn;		/* RTN answers seen */
	int		 code;		/* T30_ERR_* at phase E, -1 before */
	int		 rate, ecm;
	time_t		 start;
	int64_t		 t0;
	char		 remote[21];	/* CSI or TSI */
	char		 sub[21];	/* SUB the caller sent */
};

struct class1 *call_setup(struct fg *, struct callrec *, int calling,
	    enum class1_start how);
/* after the run: statistics into cr */
void	call_finish(struct callrec *, struct class1 *);
/*
 * The xferlog fields both directions take from the call record; fg is
 * passed, not cr->fg, which is unset when dialling failed (BUSY).
 */
void	call_xferlog(struct fg *, const struct callrec *,
	    struct xferlog_rec *);

#endif
