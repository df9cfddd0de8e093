/*
 * ctl: the admin's requests (faxctl(8)) in ctl/new/ID, one file each:
 * verb (cancel, hold, release, requeue), job, user, time.  Taken into
 * ctl/cur, carried out, logged with the job id, removed.  A request for
 * a job on a modem: cancel waits for the call to end (the job ends then,
 * whatever its result would have made of it); hold and release refuse.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kv.h"
#include "log.h"
#include "path.h"
#include "queued.h"
#include "spool.h"

static const char *
act(struct qd *q, const char *verb, const char *id)
{
	struct qjob *j = jobs_find(q, id);
	struct kvlist l;
	const char *state;
	int r;

	if (j == NULL)
		return "no such job waiting";
	if (strcmp(verb, "cancel") == 0) {
		if (j->state == QJ_SENDING) {
			if (job_read(q, "jobs", id, &l) == 0) {
				const char *set[] = { "cancel", "1", NULL };
				(void)job_write(q, "jobs", id, &l, set);
				kv_free(&l);
			}
			j->cancel = 1;
			return "cancelled when its call ends";
		}
		return job_finish(q, id, "cancelled",
		    "cancelled by the administrator") == -1 ?
		    "cannot cancel" : "cancelled";
	}
	if (j->state == QJ_SENDING)
		return "on a modem now";
	if (strcmp(verb, "hold") == 0)
		state = "held";
	else if (strcmp(verb, "release") == 0 || strcmp(verb, "requeue") == 0)
		state = "ready";
	else
		return "unknown request";
	if (strcmp(verb, "release") == 0 && j->state != QJ_HELD)
		return "not held";
	if (job_read(q, "jobs", id, &l) == -1)
		return "cannot read the job";
	{
		const char *set[] = { "state", state, "not_before",
		    strcmp(verb, "requeue") == 0 ? "0" : kv_get(&l, "not_before") ?
		    kv_get(&l, "not_before") : "0", NULL };
		char nb[32];

		(void)str_copy(nb, set[3], sizeof(nb));
		set[3] = nb;
		r = job_write(q, "jobs", id, &l, set);
	}
	kv_free(&l);
	if (r == -1)
		return "cannot write the job";
	j->state = strcmp(state, "held") == 0 ? QJ_HELD : QJ_READY;
	if (strcmp(verb, "requeue") == 0)
		j->not_before = 0;
	qd_schedule_soon(q);
	return strcmp(verb, "hold") == 0 ? "held" :
	    strcmp(verb, "release") == 0 ? "released" : "requeued";
}

static int
one(const char *name, void *arg)
{
	struct qd *q = arg;
	char path[128], verb[16], job[ID_SIZE], user[64];
	struct kvlist l;
	const char *out;
	size_t len;
	char *buf;

	if (!id_valid(name))
		return 0;
	(void)spool_take(q->sp, "ctl", name);
	(void)path_fmt(path, sizeof(path), "ctl/cur/%s", name);
	if (spool_read(q->sp, path, 4096, &buf, &len) == -1)
		return 0;
	if (kv_parse(&l, buf, len, NULL, 0) == -1 ||
	    kv_str(&l, "verb", verb, sizeof(verb)) == -1 ||
	    kv_str(&l, "job", job, sizeof(job)) == -1 || !id_valid(job) ||
	    kv_str(&l, "user", user, sizeof(user)) == -1) {
		log_warnx("ctl=%s unreadable request, dropped", name);
		if (l.buf != NULL)
			kv_free(&l);
	} else {
		char esc[128];

		out = act(q, verb, job);
		log_info("id=%s ctl=%s verb=%s user=%s: %s", job, name, verb,
		    log_escape(esc, sizeof(esc), user), out);
		kv_free(&l);
	}
	free(buf);
	(void)spool_remove(q->sp, path);
	return 0;
}

void
ctl_scan(struct qd *q)
{
	(void)spool_scan(q->sp, "ctl/cur", one, q);
	(void)spool_scan(q->sp, "ctl/new", one, q);
}
