/*
 * queued: the offramp queue manager and the onramp's router.  One process
 * (user rampart) with one libevent loop: it takes messages from
 * incoming/, has them unpacked and converted by sandboxed children, makes
 * one job per fax recipient, hands jobs to idle modems, applies results,
 * routes received faxes, and publishes every mail rampart sends into
 * notify/.  All state is in the spool (rampart-spool(5)); what is kept in
 * memory is an index rebuilt from it at start.
 */
#ifndef RAMPART_QUEUED_H
#define RAMPART_QUEUED_H

#include <sys/types.h>
#include <time.h>

#include "fifo.h"
#include "ids.h"

struct conf;
struct spool;
struct event_base;
struct event;
struct kvlist;

#define QD_MAXDEV	64
#define QD_DEVNAME	64

/* a job waiting, or on a modem: the index entry of jobs/ID */
struct qjob {
	char		 id[ID_SIZE];
	char		 number[64];
	char		 device[QD_DEVNAME];	/* when sending */
	int		 priority;
	int		 state;			/* QJ_* */
	time_t		 created, not_before, handed;
	int		 try;
	int		 cancel;		/* cancel once its call ends */
};

enum { QJ_READY, QJ_SENDING, QJ_HELD };

struct qmodem {
	char		 name[QD_DEVNAME];
	int		 seen;			/* in the last status scan */
	int		 idle;			/* state=idle and pid alive */
	int		 alive;
	int		 alerted;		/* admin told it is down */
	time_t		 time;			/* of its status line */
	char		 job[ID_SIZE];		/* handed to it, or "" */
};

struct intake;		/* intake.c: messages in progress */

struct qd {
	const struct conf	*conf;
	struct spool		*sp;
	struct event_base	*base;
	struct event		*rescan_ev, *fifo_ev, *sched_ev;
	int			 fifofd;
	struct fifo_reader	 fr;
	char			 fifo[4096];
	char			 notify_fifo[4096];

	struct qjob		*jobs;
	size_t			 njobs, jobscap;
	struct qmodem		 modems[QD_MAXDEV];
	size_t			 nmodems;

	struct intake		*intake;	/* in progress, a list */
	int			 nintake;
	char			 libexec[4096];	/* where convert and unpack are */
	char			 hostname[256];
};

/* queued.c */
void	qd_schedule_soon(struct qd *q);
void	qd_wake_notifyd(struct qd *q, const char *nid);
int	qd_exists(struct qd *q, const char *path);	/* lstat, no links */

/* intake.c: incoming/ -> msgs/ -> jobs/ */
void	intake_scan(struct qd *q);
void	intake_one(struct qd *q, const char *id);
void	intake_child(struct qd *q, pid_t pid, int status);
void	intake_fini(struct qd *q);

/* jobs.c: the index of jobs/ and the job file */
int	jobs_load(struct qd *q);
struct qjob *jobs_find(struct qd *q, const char *id);
struct qjob *jobs_add(struct qd *q, const struct qjob *j);
void	jobs_drop(struct qd *q, const char *id);
int	job_read(struct qd *q, const char *dir, const char *id,
	    struct kvlist *l);
int	job_write(struct qd *q, const char *dir, const char *id,
	    struct kvlist *old, const char *const *set);
int	job_index(const struct kvlist *l, struct qjob *j);

/* sched.c: modems and hand-outs */
void	sched_run(struct qd *q);
void	sched_modems(struct qd *q);

/* result.c: results/ -> retry, finish */
void	result_scan(struct qd *q);
void	result_one(struct qd *q, const char *name);
int	job_finish(struct qd *q, const char *id, const char *outcome,
	    const char *reason);
int	job_settle(struct qd *q, const char *id);

/* notice.c: DSNs (RFC 3464) and admin alerts */
int	notice_job(struct qd *q, const char *id, struct kvlist *job,
	    char *nid_out);
int	notice_alert(struct qd *q, const char *about, const char *subject,
	    const char *text);

/* ctl.c: faxctl requests */
void	ctl_scan(struct qd *q);

/* onramp.c: recv/ -> route -> notify/ */
void	onramp_scan(struct qd *q);
void	onramp_one(struct qd *q, const char *id);

#endif
