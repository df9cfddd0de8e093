/*
 * sched: which modems are free, and which job goes to which.  A modem is
 * free when status/DEV says state=idle, its pid lives, and queued has not
 * handed it a job whose result is still to come.  Jobs go out by priority,
 * then age; at most max_calls_per_number calls to one number at once.
 * A modem whose faxgetty died or stopped refreshing its status while it
 * had a job gets the job taken back (confirmed pages kept) and the admin
 * is told once per modem.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "config.h"
#include "kv.h"
#include "log.h"
#include "path.h"
#include "queued.h"
#include "spool.h"
#include "status.h"

/* "key=value" in a status line */
static int
word(const char *line, const char *key, char *val, size_t sz)
{
	size_t kl = strlen(key);
	const char *p = line;

	while (*p != '\0') {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, " ");
			if (n >= sz)
				return -1;
			memcpy(val, p + kl + 1, n);
			val[n] = '\0';
			return 0;
		}
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	return -1;
}

static struct qmodem *
modem_get(struct qd *q, const char *name)
{
	size_t i;

	for (i = 0; i < q->nmodems; i++)
		if (strcmp(q->modems[i].name, name) == 0)
			return &q->modems[i];
	if (q->nmodems == QD_MAXDEV)
		return NULL;
	memset(&q->modems[q->nmodems], 0, sizeof(q->modems[0]));
	(void)str_copy(q->modems[q->nmodems].name, name, QD_DEVNAME);
	return &q->modems[q->nmodems++];
}

static int
status_one(const char *name, void *arg)
{
	struct qd *q = arg;
	char line[STATUS_MAX], pid[32], t[32], state[32];
	struct qmodem *m;
	long p;

	if (!spool_name_ok(name) || status_read(q->sp, name, line,
	    sizeof(line)) == -1 || (m = modem_get(q, name)) == NULL)
		return 0;
	m->seen = 1;
	m->idle = m->alive = 0;
	if (word(line, "pid", pid, sizeof(pid)) == -1 ||
	    word(line, "time", t, sizeof(t)) == -1 ||
	    word(line, "state", state, sizeof(state)) == -1)
		return 0;
	p = strtol(pid, NULL, 10);
	m->time = (time_t)strtoll(t, NULL, 10);
	m->alive = p > 1 && (kill((pid_t)p, 0) == 0 || errno == EPERM) &&
	    strcmp(state, "stopped") != 0;
	m->idle = m->alive && strcmp(state, "idle") == 0;
	return 0;
}

/* takes a job back from a modem that will not report on it */
static void
reclaim(struct qd *q, struct qmodem *m, const char *why)
{
	struct qjob *j = jobs_find(q, m->job);
	struct kvlist l;
	char tr[16], text[512];

	if (j != NULL && job_read(q, "jobs", j->id, &l) == 0) {
		(void)snprintf(tr, sizeof(tr), "%d", j->try + 1);
		const char *set[] = { "state", "ready", "device", "", "try", tr,
		    "last_outcome", "recoverable", "last_reason", "modem_lost",
		    NULL };
		if (job_write(q, "jobs", j->id, &l, set) == 0) {
			j->state = QJ_READY;
			j->device[0] = '\0';
			j->try++;
			log_warnx("id=%s dev=%s %s: job requeued at its first "
			    "unconfirmed page", j->id, m->name, why);
		}
		kv_free(&l);
	}
	m->job[0] = '\0';
	if (!m->alerted) {
		m->alerted = 1;
		(void)snprintf(text, sizeof(text), "The fax modem %s stopped "
		    "answering rampart (%s).\nIts job was put back in the "
		    "queue; it will be sent on another modem or when %s comes "
		    "back.\nCheck faxgetty on %s (journalctl, or the log).\n",
		    m->name, why, m->name, m->name);
		(void)notice_alert(q, m->name, "fax modem down", text);
	}
}

/* "send ID" on the modem's FIFO */
static void
poke(struct qd *q, struct qmodem *m, const char *id)
{
	char fifo[4200], line[64];

	(void)path_fmt(fifo, sizeof(fifo), "%s/FIFO.%s", spool_dir(q->sp),
	    m->name);
	(void)path_fmt(line, sizeof(line), "send %s", id);
	if (fifo_send(fifo, line) != 1)
		log_warnx("id=%s dev=%s FIFO not read; the modem will be "
		    "checked at the next rescan", id, m->name);
}

/*
 * A job on a modem whose result has not come although the modem has been
 * idle a while: the FIFO line was lost (faxgetty restarted between).  Sent
 * again only when no result of this try exists, so never twice a call.
 */
static void
repoke(struct qd *q, struct qmodem *m, struct qjob *j, time_t now)
{
	char a[128], b[128];

	if (!m->idle || j->handed == 0 || now - j->handed < 30 ||
	    m->time <= j->handed)
		return;
	(void)path_fmt(a, sizeof(a), "results/new/%s.%d", j->id, j->try);
	(void)path_fmt(b, sizeof(b), "results/cur/%s.%d", j->id, j->try);
	if (qd_exists(q, a) || qd_exists(q, b))
		return;
	log_warnx("id=%s dev=%s idle with no result: asked again", j->id,
	    m->name);
	j->handed = now;
	poke(q, m, j->id);
}

void
sched_modems(struct qd *q)
{
	time_t now = time(NULL), stale;
	struct qmodem *m;
	size_t i;

	for (i = 0; i < q->nmodems; i++)
		q->modems[i].seen = 0;
	(void)spool_scan(q->sp, "status", status_one, q);
	/* after a restart: the modems the jobs in state sending are on */
	for (i = 0; i < q->njobs; i++)
		if (q->jobs[i].state == QJ_SENDING &&
		    spool_name_ok(q->jobs[i].device) &&
		    (m = modem_get(q, q->jobs[i].device)) != NULL &&
		    m->job[0] == '\0')
			(void)str_copy(m->job, q->jobs[i].id, sizeof(m->job));
	stale = q->conf->call_timeout + q->conf->dial_timeout + 120;
	for (i = 0; i < q->nmodems; i++) {
		m = &q->modems[i];

		if (m->alive && m->alerted && now - m->time < stale) {
			log_info("dev=%s is back", m->name);
			m->alerted = 0;
		}
		if (m->job[0] == '\0')
			continue;
		if (!m->seen || !m->alive)
			reclaim(q, m, "faxgetty is gone");
		else if (now - m->time > stale)
			reclaim(q, m, "status not refreshed");
		else if (jobs_find(q, m->job) != NULL)
			repoke(q, m, jobs_find(q, m->job), now);
	}
}

static int
calls_to(struct qd *q, const char *number)
{
	size_t i;
	int n = 0;

	for (i = 0; i < q->njobs; i++)
		n += q->jobs[i].state == QJ_SENDING &&
		    strcmp(q->jobs[i].number, number) == 0;
	return n;
}

/*
 * nonurgent_hours "FROM-TO" (hours, local time; may wrap midnight): 1 if
 * a non-urgent job (priority above 127) may be sent at now.
 */
static int
nonurgent_ok(const struct qd *q, time_t now)
{
	const char *w = q->conf->nonurgent_hours;
	struct tm tm;
	int from, to;

	if (w[0] == '\0' || sscanf(w, "%d-%d", &from, &to) != 2)
		return 1;
	localtime_r(&now, &tm);
	if (from <= to)
		return tm.tm_hour >= from && tm.tm_hour < to;
	return tm.tm_hour >= from || tm.tm_hour < to;
}

static struct qjob *
best(struct qd *q, time_t now, time_t *wake)
{
	int nonurgent = nonurgent_ok(q, now);

	struct qjob *b = NULL, *j;
	size_t i;

	for (i = 0; i < q->njobs; i++) {
		j = &q->jobs[i];
		if (j->state != QJ_READY || (j->priority > 127 && !nonurgent))
			continue;
		if (j->not_before > now) {
			if (*wake == 0 || j->not_before < *wake)
				*wake = j->not_before;
			continue;
		}
		if (b != NULL && (j->priority > b->priority ||
		    (j->priority == b->priority && (j->created > b->created ||
		    (j->created == b->created && strcmp(j->id, b->id) > 0)))))
			continue;
		if (calls_to(q, j->number) >= q->conf->max_calls_per_number)
			continue;
		b = j;
	}
	return b;
}

static int
hand(struct qd *q, struct qjob *j, struct qmodem *m)
{
	struct kvlist l;
	int r;

	if (job_read(q, "jobs", j->id, &l) == -1)
		return -1;
	const char *set[] = { "state", "sending", "device", m->name, NULL };
	r = job_write(q, "jobs", j->id, &l, set);
	kv_free(&l);
	if (r == -1)
		return -1;
	j->state = QJ_SENDING;
	j->handed = time(NULL);
	(void)str_copy(j->device, m->name, sizeof(j->device));
	(void)str_copy(m->job, j->id, sizeof(m->job));
	m->idle = 0;
	poke(q, m, j->id);
	log_info("id=%s dev=%s try=%d number=%s handed to modem", j->id,
	    m->name, j->try, j->number);
	return 0;
}

void
sched_run(struct qd *q)
{
	time_t now = time(NULL), wake = 0;
	struct qjob *j;
	size_t i;

	sched_modems(q);
	for (i = 0; i < q->nmodems; i++) {
		struct qmodem *m = &q->modems[i];

		if (!m->idle || m->job[0] != '\0')
			continue;
		if ((j = best(q, now, &wake)) == NULL)
			break;
		if (hand(q, j, m) == -1)
			log_warn("id=%s cannot hand to dev=%s", j->id, m->name);
	}
	if (wake > now) {
		struct timeval tv = { wake - now, 0 };
		evtimer_add(q->sched_ev, &tv);
	}
}
