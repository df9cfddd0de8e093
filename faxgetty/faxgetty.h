/*
 * faxgetty: one process per fax modem.  Shared types: faxgetty's own
 * settings come from rampart.conf (struct conf); the runtime context (struct fg) that main() owns and passes down, and the
 * entry points of the per-concern files.
 */
#ifndef FAXGETTY_H
#define FAXGETTY_H

#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "at.h"
#include "config.h"
#include "fifo.h"
#include "ids.h"

struct spool;

struct fg {
	const struct conf	*conf;
	struct spool		*sp;
	struct at		 at;
	char			 dev[PATH_MAX];		/* /dev/ttyS0 */
	char			 name[NAME_MAX + 1];	/* ttyS0 */
	char			 lock[PATH_MAX];	/* LCK..ttyS0 */
	char			 fifo[PATH_MAX];	/* SPOOL/FIFO.ttyS0 */
	int			 fifofd;
	struct fifo_reader	 fr;
	int			 modems;	/* T30_SUPPORT_* of the modem */
	int			 ok;		/* modem probed and ready */
	char			 sendq[8][ID_SIZE];	/* "send ID" waiting */
	int			 nsendq;
	volatile sig_atomic_t	*stop;
};

/* modem.c: probe, init and reset */
int	modem_setup(struct fg *);
void	modem_hangup(struct fg *);

/* lock.c: UUCP lock file with stale-lock detection */
int	lock_take(const char *dir, const char *name, char *path, size_t sz);
void	lock_release(const char *path);

/* t30err.c: every T30_ERR_* in one table */
enum outcome { OUT_OK, OUT_RECOVERABLE, OUT_PERMANENT };
enum outcome t30err_class(int code);
const char *t30err_name(int code);
const char *outcome_name(enum outcome);

/* dtmf.c: digits keyed in before the fax (voice-modem style) */
int	dtmf_wanted(const char *list, const char *did);
int	dtmf_collect(struct fg *, const char *id, char *out, size_t sz);
/* the digits (0-9, *) until '#', dtmf_digits of them or the timeout */
void	dtmf_digits(struct fg *, char *out, size_t sz);

/* send.c and recv.c */
int	send_job(struct fg *, const char *id);
int	recv_call(struct fg *, const char *ringinfo);
/* junk-fax refusal: 1 if route_file's rules deny the caller unanswered */
int	recv_refused(struct fg *, const char *ringinfo);

/* status of the modem for faxstat: one line in status/DEV */
void	fg_status(struct fg *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
