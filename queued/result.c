/*
 * result: a try's result (results/new/ID.N from faxgetty) applied to its
 * job: ok finishes it, permanent fails it, recoverable retries it at its
 * next unconfirmed page after retry_interval (busy_retry_interval after a
 * busy line) until max_tries or max_job_age.  Each step is written before
 * the next begins, so that a crash anywhere is finished by the rescan:
 * the job file first, then the result moved beside it, then, for a
 * finished job, its notice and the move to done/.
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

#define RESULT_MAX	(64 * 1024)

/* "ID.N" */
static int
split_name(const char *name, char *id, int *try)
{
	const char *dot = strchr(name, '.');
	char *e;
	long n;

	if (dot == NULL || dot - name != ID_LEN)
		return -1;
	memcpy(id, name, ID_LEN);
	id[ID_LEN] = '\0';
	n = strtol(dot + 1, &e, 10);
	if (!id_valid(id) || *e != '\0' || n < 1 || n > 1000 || dot[1] == '0')
		return -1;
	*try = (int)n;
	return 0;
}

static void
free_modem(struct qd *q, const char *id)
{
	size_t i;

	for (i = 0; i < q->nmodems; i++)
		if (strcmp(q->modems[i].job, id) == 0)
			q->modems[i].job[0] = '\0';
}

/* moves results/cur/ID.N beside the job (or drops a stray one) */
static void
file_result(struct qd *q, const char *name, const char *id, int try)
{
	char from[128], to[128];

	(void)path_fmt(from, sizeof(from), "results/cur/%s", name);
	(void)path_fmt(to, sizeof(to), "jobs/%s/result.%d", id, try);
	if (spool_move(q->sp, from, to) == -1 && errno != EEXIST)
		log_warn("id=%s cannot file result %d", id, try);
	if (errno == EEXIST)
		(void)spool_remove(q->sp, from);
}

/* a job whose file has an outcome: its notice, then the move to done/ */
int
job_settle(struct qd *q, const char *id)
{
	char from[64], to[64], nid[ID_SIZE], outcome[32], reason[1024];
	struct kvlist l;
	int r;

	if (job_read(q, "jobs", id, &l) == -1)
		return -1;
	if (kv_get(&l, "outcome") == NULL) {
		kv_free(&l);
		return 0;
	}
	(void)kv_str(&l, "outcome", outcome, sizeof(outcome));
	(void)kv_str(&l, "reason", reason, sizeof(reason));
	r = notice_job(q, id, &l, nid);
	kv_free(&l);
	if (r == -1)
		return -1;	/* the rescan tries again */
	(void)path_fmt(from, sizeof(from), "jobs/%s", id);
	(void)path_fmt(to, sizeof(to), "done/%s", id);
	if (spool_move(q->sp, from, to) == -1) {
		log_warn("id=%s cannot move to done/", id);
		return -1;
	}
	jobs_drop(q, id);
	free_modem(q, id);
	log_info("id=%s finished outcome=%s reason=%s", id, outcome, reason);
	return 1;
}

int
job_finish(struct qd *q, const char *id, const char *outcome,
    const char *reason)
{
	char fin[32];
	struct kvlist l;
	int r = 0;

	if (job_read(q, "jobs", id, &l) == -1)
		return -1;
	if (kv_get(&l, "outcome") == NULL) {
		(void)snprintf(fin, sizeof(fin), "%lld", (long long)time(NULL));
		const char *set[] = { "outcome", outcome, "reason", reason,
		    "finished", fin, "state", "done", "device", "", NULL };
		r = job_write(q, "jobs", id, &l, set);
	}
	kv_free(&l);
	return r == -1 ? -1 : job_settle(q, id);
}

static int
apply(struct qd *q, const char *id, int try, struct kvlist *res)
{
	char outcome[32], reason[64], next[16], tr[16], nb[32], busy[16];
	char fin[32];
	const char *fo, *fr;
	long long jtry, nextp, created, busies, rtry;
	struct kvlist job;
	struct qjob *j;
	int final, r;
	time_t now = time(NULL), wait;

	if (job_read(q, "jobs", id, &job) == -1)
		return -1;
	if (kv_num(&job, "try", 1, 1000, 1, &jtry) == -1 ||
	    kv_num(&job, "created", 0, INT64_MAX, 0, &created) == -1 ||
	    kv_num(&job, "busy_tries", 0, 1000, 0, &busies) == -1 ||
	    kv_num(res, "try", 1, 1000, 0, &rtry) == -1 || rtry != try ||
	    kv_str(res, "outcome", outcome, sizeof(outcome)) == -1 ||
	    kv_str(res, "reason", reason, sizeof(reason)) == -1 ||
	    kv_num(res, "next_page", 1, 100000, 1, &nextp) == -1) {
		log_warnx("id=%s try=%d bad result or job file", id, try);
		kv_free(&job);
		return -1;
	}
	if (jtry > try || kv_get(&job, "outcome") != NULL) {
		kv_free(&job);	/* applied before a crash */
		return 0;
	}
	(void)snprintf(next, sizeof(next), "%lld", nextp);
	(void)snprintf(tr, sizeof(tr), "%d", try + 1);
	if (strcmp(reason, "busy") == 0)
		busies++;
	(void)snprintf(busy, sizeof(busy), "%lld", busies);
	j = jobs_find(q, id);
	fo = "failed";
	fr = reason;
	if (strcmp(outcome, "ok") == 0) {
		final = 1;
		fo = fr = "ok";
	} else if (strcmp(outcome, "recoverable") == 0) {
		final = try >= q->conf->max_tries ||
		    now - (time_t)created >= q->conf->max_job_age ||
		    (j != NULL && j->cancel);
		if (j != NULL && j->cancel) {
			fo = "cancelled";
			fr = "cancelled by the administrator";
		}
	} else
		final = 1;
	wait = strcmp(reason, "busy") == 0 ? q->conf->busy_retry_interval :
	    q->conf->retry_interval;
	(void)snprintf(nb, sizeof(nb), "%lld", (long long)(now + wait));
	(void)snprintf(fin, sizeof(fin), "%lld", (long long)now);
	const char *set[] = { "try", tr, "first_page", next, "state",
	    final ? "done" : "ready", "device", "", "not_before", nb,
	    "busy_tries", busy, "last_outcome", outcome, "last_reason",
	    reason, final ? "outcome" : NULL, fo, "reason", fr, "finished",
	    fin, NULL };
	r = job_write(q, "jobs", id, &job, set);
	kv_free(&job);
	if (r == -1)
		return -1;
	if (j != NULL) {
		j->try = try + 1;
		j->not_before = now + wait;
		j->device[0] = '\0';
		j->state = QJ_READY;
	}
	free_modem(q, id);
	log_info("id=%s try=%d outcome=%s reason=%s next_page=%s%s", id, try,
	    outcome, reason, next, final ? "" : " retry later");
	return 0;
}

void
result_one(struct qd *q, const char *name)
{
	char id[ID_SIZE], path[128], err[128];
	struct kvlist res;
	size_t len;
	char *buf;
	int try, r;

	if (split_name(name, id, &try) == -1) {
		char esc[200];

		log_warnx("ignoring result with a bad name %s",
		    log_escape(esc, sizeof(esc), name));
		return;
	}
	if (spool_take(q->sp, "results", name) == -1 && errno != ENOENT)
		log_warn("result %s: take", name);
	(void)path_fmt(path, sizeof(path), "results/cur/%s", name);
	if (spool_read(q->sp, path, RESULT_MAX, &buf, &len) == -1)
		return;		/* taken and done by an earlier pass */
	r = kv_parse(&res, buf, len, err, sizeof(err));
	free(buf);
	if (r == -1) {
		log_warnx("id=%s result %d unreadable: %s; left in results/cur",
		    id, try, err);
		return;
	}
	(void)path_fmt(path, sizeof(path), "jobs/%s", id);
	if (!qd_exists(q, path)) {
		log_warnx("id=%s result %d for no job; dropped", id, try);
		kv_free(&res);
		(void)path_fmt(path, sizeof(path), "results/cur/%s", name);
		(void)spool_remove(q->sp, path);
		return;
	}
	r = apply(q, id, try, &res);
	kv_free(&res);
	if (r == -1)
		return;
	file_result(q, name, id, try);
	(void)job_settle(q, id);
	qd_schedule_soon(q);
}

static int
scan_cb(const char *name, void *arg)
{
	result_one(arg, name);
	return 0;
}

void
result_scan(struct qd *q)
{
	(void)spool_scan(q->sp, "results/cur", scan_cb, q);
	(void)spool_scan(q->sp, "results/new", scan_cb, q);
}
