/*
 * faxstat: what the users see of the spool (faxstat(1)).  Reads only;
 * never writes, never locks.  Every file is read with the spool's safe
 * open (no symbolic or hard links) and parsed strictly; a file that does
 * not parse is named on stderr and skipped, and the others are shown.
 */
#ifndef RAMPART_FAXSTAT_H
#define RAMPART_FAXSTAT_H

#include <stdio.h>
#include <time.h>

#include "ids.h"
#include "kv.h"

struct spool;

/* exit statuses, faxstat(1) */
#define FS_EXIT_SKIPPED	1	/* shown, but some record was skipped */
#define FS_EXIT_NOTFOUND 2	/* no such job or fax */
#define FS_EXIT_USAGE	64
#define FS_EXIT_NOINPUT	66	/* spool or one of its directories missing */
#define FS_EXIT_NOPERM	77	/* not allowed to read the spool */

enum rec_kind { REC_JOB, REC_DONE, REC_RECV, REC_MSG };

/*
 * One queued or finished job, or one received fax.  String fields point
 * into buf (the file, parsed) and hold the values as the file has them:
 * escaped, so printable ASCII.
 */
struct rec {
	enum rec_kind	 kind;
	char		 id[ID_SIZE];
	char		*buf, *buf2;	/* owned: job or meta, and route */
	const char	*account, *number, *e164, *state, *device;
	const char	*last_reason, *outcome, *reason, *subject;
	long long	 pages, first_page, try, created, not_before;
	long long	 finished;
	/* received faxes (meta and route) */
	const char	*caller_id, *tsi, *did, *route_to, *route;
	long long	 started, duration, authorized, complete, bit_rate;
	time_t		 sort;		/* the time it is sorted by */
};

struct modem {
	char		 dev[64];
	char		*line;		/* owned: the status line, cut into the
					   fields below (so it is not in the
					   struct, which is sorted) */
	const char	*state, *id, *number, *remote, *retry, *rings;
	long long	 pid, time, page, pages, rate, ecm;
	int		 stale;		/* STALE_*: shown as down */
};

#define STALE_GONE	1	/* the pid is not a running faxgetty */
#define STALE_STUCK	2	/* in a call for longer than a call can last */

struct filter {
	const char	*account;	/* -a */
	const char	*number;	/* -n, digits only */
	time_t		 since;		/* --since, -t; 0 for none */
};

struct fs {
	struct spool	*sp;
	struct filter	 f;
	int		 json;
	long		 json_items;	/* written in the open section */
	int		 status;	/* exit status so far */
	time_t		 now;
	long		 call_limit;	/* seconds a call's status may stand */
	const char	*ellipsis;	/* "…" in a UTF-8 locale, else "~" */
	int		 utf8;		/* the locale's charset is UTF-8 */
};

/* load.c */
const char *fs_open_error(int e);
void	 fs_skip(struct fs *fs, const char *path, const char *why);
int	 fs_load_list(struct fs *fs, const char *dir, struct rec **recs,
	    size_t *n);
int	 fs_read_kv(struct fs *fs, const char *path, struct kvlist *l,
	    int quiet_enoent);
int	 fs_envelope(struct fs *fs, const char *path, struct kvlist *l);
void	 fs_free_recs(struct rec *r, size_t n);
void	 fs_sort_recs(struct rec *r, size_t n);
int	 fs_match(const struct fs *fs, const struct rec *r);
const char *fs_job_state(const struct fs *fs, const struct rec *r,
	    char *buf, size_t sz);
long long fs_confirmed(const struct rec *r);
long long fs_tries(const struct rec *r);

/* modems.c */
int	 fs_load_modems(struct fs *fs, struct modem **m, size_t *n);
void	 fs_free_modems(struct modem *m, size_t n);
int	 fs_parse_status(struct modem *m);
int	 fs_in_call(const struct modem *m);

/* text.c */
void	 col(const struct fs *fs, const char *s, int width, int right);
int	 disp(const struct fs *fs, const char *in, char *out, size_t outsz,
	    int limit, int *width);
void	 put_disp(const struct fs *fs, const char *s);
void	 fmt_local(char *buf, size_t sz, long long t, int full);
void	 fmt_iso(char *buf, size_t sz, long long t);
void	 text_modems(struct fs *fs, const struct modem *m, size_t n);
void	 text_queue(struct fs *fs, const struct rec *r, size_t n);
void	 text_done(struct fs *fs, const struct rec *r, size_t n);
void	 text_recv(struct fs *fs, const struct rec *r, size_t n);

/* record.c */
int	 show_record(struct fs *fs, const char *id);

/* json.c */
struct json_object;
void	 json_modems(struct fs *fs, const struct modem *m, size_t n);
struct json_object *json_rec(struct fs *fs, const struct rec *r);
struct json_object *json_modem(const struct modem *m);
const char *json_status_word(const struct fs *fs, const struct rec *r);
void	 json_begin(struct fs *fs);
void	 json_section(struct fs *fs, const char *name);
void	 json_item(struct fs *fs, struct json_object *o);
void	 json_section_end(struct fs *fs);
void	 json_end(struct fs *fs);
struct json_object *json_str(const char *escaped);
struct json_object *json_time(long long t);
struct json_object *json_kv(const struct kvlist *l);
const char *json_kv_bad_number(const struct kvlist *l);
void	 json_print(struct json_object *o);

/* watch.c */
int	 watch(struct fs *fs);

#endif
