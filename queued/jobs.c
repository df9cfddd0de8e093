/*
 * jobs: the in-memory index of jobs/ (rebuilt from the job files at start)
 * and reading and rewriting a job file.  The file is the truth; the index
 * holds only what scheduling needs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "kv.h"
#include "log.h"
#include "path.h"
#include "queued.h"
#include "spool.h"

#define JOB_MAX	(256 * 1024)

int
job_read(struct qd *q, const char *dir, const char *id, struct kvlist *l)
{
	char path[128], err[128];
	size_t len;
	char *buf;
	int r;

	if (path_fmt(path, sizeof(path), "%s/%s/job", dir, id) == -1 ||
	    spool_read(q->sp, path, JOB_MAX, &buf, &len) == -1)
		return -1;
	r = kv_parse(l, buf, len, err, sizeof(err));
	free(buf);
	if (r == -1)
		log_warnx("id=%s %s/job %s", id, dir, err);
	return r;
}

/*
 * Rewrites dir/id/job: the old lines, less the keys set changes, then the
 * pairs of set (key, value, ..., NULL).  A key written "+key" is added
 * without removing the lines it already has (notice lines).
 */
int
job_write(struct qd *q, const char *dir, const char *id, struct kvlist *old,
    const char *const *set)
{
	const char *skip[64];
	char path[128];
	struct kvbuf b;
	size_t n = 0, i;
	int r;

	for (i = 0; set[i] != NULL && set[i + 1] != NULL; i += 2)
		if (set[i][0] != '+' && n < sizeof(skip) / sizeof(skip[0]) - 1)
			skip[n++] = set[i];
	skip[n] = NULL;
	kvb_init(&b);
	if (old != NULL)
		kvb_copy(&b, old, skip);
	for (i = 0; set[i] != NULL && set[i + 1] != NULL; i += 2)
		kvb_str(&b, set[i][0] == '+' ? set[i] + 1 : set[i], set[i + 1]);
	if (b.err || path_fmt(path, sizeof(path), "%s/%s", dir, id) == -1) {
		kvb_free(&b);
		errno = ENOMEM;
		return -1;
	}
	r = spool_replace(q->sp, path, "job", b.buf, b.len);
	if (r == -1)
		log_warn("id=%s cannot write %s/job", id, path);
	kvb_free(&b);
	return r;
}

int
job_index(const struct kvlist *l, struct qjob *j)
{
	const char *state = kv_get(l, "state");
	long long pr, cr, nb, tr;

	memset(j, 0, sizeof(*j));
	if (kv_str(l, "id", j->id, sizeof(j->id)) == -1 || !id_valid(j->id) ||
	    kv_str(l, "number", j->number, sizeof(j->number)) == -1 ||
	    kv_str(l, "device", j->device, sizeof(j->device)) == -1 ||
	    kv_num(l, "priority", 0, 255, 127, &pr) == -1 ||
	    kv_num(l, "created", 0, INT64_MAX, 0, &cr) == -1 ||
	    kv_num(l, "not_before", 0, INT64_MAX, 0, &nb) == -1 ||
	    kv_num(l, "try", 1, 1000, 1, &tr) == -1 || state == NULL)
		return -1;
	if (strcmp(state, "ready") == 0)
		j->state = QJ_READY;
	else if (strcmp(state, "sending") == 0)
		j->state = QJ_SENDING;
	else if (strcmp(state, "held") == 0)
		j->state = QJ_HELD;
	else
		return -1;
	j->priority = (int)pr;
	j->created = (time_t)cr;
	j->not_before = (time_t)nb;
	j->try = (int)tr;
	j->cancel = kv_get(l, "cancel") != NULL;
	j->handed = j->state == QJ_SENDING ? time(NULL) : 0;
	return 0;
}

struct qjob *
jobs_find(struct qd *q, const char *id)
{
	size_t i;

	for (i = 0; i < q->njobs; i++)
		if (strcmp(q->jobs[i].id, id) == 0)
			return &q->jobs[i];
	return NULL;
}

/* appends j, which the caller knows is not in the index */
static struct qjob *
append(struct qd *q, const struct qjob *j)
{
	struct qjob *grown;

	if (q->njobs == q->jobscap) {
		size_t cap = q->jobscap ? q->jobscap * 2 : 256;

		if ((grown = reallocarray(q->jobs, cap, sizeof(*grown))) == NULL)
			return NULL;
		q->jobs = grown;
		q->jobscap = cap;
	}
	q->jobs[q->njobs] = *j;
	return &q->jobs[q->njobs++];
}

struct qjob *
jobs_add(struct qd *q, const struct qjob *j)
{
	struct qjob *have;

	if ((have = jobs_find(q, j->id)) != NULL) {
		*have = *j;
		return have;
	}
	return append(q, j);
}

void
jobs_drop(struct qd *q, const char *id)
{
	struct qjob *j = jobs_find(q, id);

	if (j == NULL)
		return;
	*j = q->jobs[--q->njobs];
}

/* a job file with an outcome was finished but not yet moved: finish it */
static int
load_one(const char *name, void *arg)
{
	struct qd *q = arg;
	struct kvlist l;
	struct qjob j;

	if (!id_valid(name))
		return 0;
	if (job_read(q, "jobs", name, &l) == -1) {
		log_warn("id=%s unreadable job, left alone", name);
		return 0;
	}
	if (kv_get(&l, "outcome") != NULL) {
		kv_free(&l);
		(void)job_settle(q, name);
		return 0;
	}
	if (job_index(&l, &j) == -1 || strcmp(j.id, name) != 0)
		log_warnx("id=%s bad job file, left alone", name);
	else if (append(q, &j) == NULL) {	/* spool_scan gives each name once */
		kv_free(&l);
		return -1;
	}
	kv_free(&l);
	return 0;
}

int
jobs_load(struct qd *q)
{
	return spool_scan(q->sp, "jobs", load_one, q);
}
