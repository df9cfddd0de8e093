/*
 * xferlog: log/xferlog, one tab-separated line per fax call, both
 * directions, with the fields RFC 4161 2.6 (offramp) and 3.2 (onramp)
 * ask a gateway to keep.  Outside text (CSI, TSI, caller id) is cleaned
 * so that one record is always one line of exactly XFERLOG_NFIELDS fields.
 */
#ifndef RAMPART_XFERLOG_H
#define RAMPART_XFERLOG_H

#include <stddef.h>
#include <time.h>

struct spool;

#define XFERLOG_NFIELDS	14

struct xferlog_rec {
	time_t		 start;		/* 1: date and time, UTC */
	const char	*dir;		/* 2: SEND or RECV */
	const char	*id;		/* 3: job id (SEND) or fax id (RECV) */
	int		 try;		/* 4: try number, 0 for RECV */
	const char	*device;	/* 5: modem */
	const char	*account;	/* 6: sender's account (SEND) */
	const char	*number;	/* 7: number dialled, or DID (RECV) */
	const char	*remote_id;	/* 8: remote CSI (SEND) or TSI (RECV) */
	const char	*caller_id;	/* 9: caller id (RECV) */
	int		 pages;		/* 10: pages sent/received this call */
	int		 total;		/* 11: pages of the document */
	long		 duration;	/* 12: seconds */
	int		 bit_rate;	/* 13: bit/s, 0 if no page phase */
	const char	*result;	/* 14: "ok" or the failure, short text */
};

/* formats r as one line (with its newline) into buf; -1 if too long */
int	xferlog_format(const struct xferlog_rec *r, char *buf, size_t sz);

/* appends one record to log/xferlog in a single write; 0 or -1 */
int	xferlog_append(struct spool *sp, const struct xferlog_rec *r);
/*
 * Appends a whole line (with its newline) to a log file of the spool
 * (path relative, such as "log/onramp") in a single write, fsynced.
 */
int	xferlog_append_line(struct spool *sp, const char *path,
	    const char *line);

#endif
