/*
 * queue: which recipient goes out when, and with whom.  Due recipients
 * are grouped by destination (the relayhost, or the recipient's domain)
 * into batches; each batch is one child and one connection carrying up to
 * notifyd_max_per_connection entries.  At most notifyd_max_parallel
 * children run, and at most notifyd_destination_concurrency for one
 * destination, so a dead or slow destination holds only its own share.
 * Results come back over a pipe and are written to the entry's state
 * before anything else happens, which is what makes kill -9 harmless.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "ids.h"
#include "log.h"
#include "notifyd.h"
#include "path.h"
#include "spool.h"

static void	child_read(evutil_socket_t, short, void *);
static void	finish_later(struct notifyd *, struct entry *);

static struct entry *
find(struct notifyd *nd, const char *id)
{
	struct entry *e;

	TAILQ_FOREACH(e, &nd->entries, link)
		if (strcmp(e->id, id) == 0)
			return e;
	return NULL;
}

/* an entry that cannot be read goes to notify/bad/, the rest go on */
static void
set_aside(struct notifyd *nd, const char *id, const char *why)
{
	char from[64], to[64];

	log_warnx("id=%s bad entry, moved to notify/bad: %s", id, why);
	if (path_fmt(from, sizeof(from), "notify/cur/%s", id) == -1 ||
	    path_fmt(to, sizeof(to), "notify/bad/%s", id) == -1 ||
	    spool_move(nd->spool, from, to) == -1)
		log_warn("id=%s: moving to notify/bad", id);
}

static void
load(struct notifyd *nd, const char *id, int fresh)
{
	struct entry *e;
	char err[256];

	if (entry_load(nd, id, fresh, &e, err, sizeof(err)) == -1) {
		if (errno == ENOMEM)
			log_warnx("id=%s: %s", id, err);
		else
			set_aside(nd, id, err);
		return;
	}
	TAILQ_INSERT_TAIL(&nd->entries, e, link);
	nd->nentries++;
	if (fresh)
		log_info("id=%s queued kind=%s about=%s rcpts=%zu size=%lld",
		    e->id, entry_kind_name(e->kind), e->about, e->nrcpt,
		    (long long)e->size);
	else
		log_info("id=%s resumed rcpts=%zu", e->id, e->nrcpt);
	/* all final already: the crash came between state and removal */
	for (size_t r = 0; r < e->nrcpt; r++)
		if (e->rcpt[r].result == RCPT_PENDING)
			return;
	finish_later(nd, e);
}

/* notify/new/ID: take it, unless it was sent already (republished) */
void
queue_add(struct notifyd *nd, const char *id)
{
	char path[64];

	if (!id_valid(id) || find(nd, id) != NULL)
		return;
	if (path_fmt(path, sizeof(path), "sent/%s", id) == 0 &&
	    faccessat(spool_dirfd(nd->spool), path, F_OK,
	    AT_SYMLINK_NOFOLLOW) == 0) {
		log_info("id=%s already sent, dropping the copy", id);
		if (path_fmt(path, sizeof(path), "notify/new/%s", id) == 0 &&
		    spool_remove(nd->spool, path) == -1 && errno != ENOENT)
			log_warn("id=%s: remove %s", id, path);
		return;
	}
	/* not synced: after a crash the entry is in new/ or in cur/ */
	if (spool_take_lazy(nd->spool, "notify", id) == -1) {
		if (errno != ENOENT)
			log_warn("id=%s: take", id);
		return;
	}
	load(nd, id, 1);
}

static int
scan_new(const char *name, void *arg)
{
	struct notifyd *nd = arg;

	if (!id_valid(name)) {
		log_warnx("notify/new/%s: not an id, left alone", name);
		return 0;
	}
	queue_add(nd, name);
	return 0;
}

static int
scan_cur(const char *name, void *arg)
{
	struct notifyd *nd = arg;
	size_t len = strlen(name);

	if (len == ID_LEN + 6 && strcmp(name + ID_LEN, ".state") == 0)
		return 0;
	if (!id_valid(name)) {
		log_warnx("notify/cur/%s: not an id, left alone", name);
		return 0;
	}
	if (find(nd, name) == NULL)
		load(nd, name, 0);
	return 0;
}

void
queue_scan(struct notifyd *nd)
{
	static int started;
	struct entry *e;

	if (!started) {
		started = 1;
		if (spool_scan(nd->spool, "notify/cur", scan_cur, nd) == -1)
			log_warn("scan notify/cur");
	}
	if (spool_scan(nd->spool, "notify/new", scan_new, nd) == -1)
		log_warn("scan notify/new");
	/* entries whose record could not be written: try again */
	TAILQ_FOREACH(e, &nd->entries, link) {
		size_t r;

		for (r = 0; r < e->nrcpt; r++)
			if (e->rcpt[r].result == RCPT_PENDING)
				break;
		if (r == e->nrcpt)
			finish_later(nd, e);
	}
	queue_run(nd);
}

/* the nexthop: the relayhost, or the recipient's domain in lower case */
static void
dest_of(const struct notifyd *nd, const struct rcpt *r, char *d, size_t dsz)
{
	const char *at;

	if (nd->conf->relayhost[0] != '\0') {
		snprintf(d, dsz, "%s", nd->conf->relayhost);
		return;
	}
	at = strrchr(r->addr, '@');
	snprintf(d, dsz, "%s", at + 1);
	for (; *d != '\0'; d++)
		*d = tolower((unsigned char)*d);
}

static size_t
dest_running(const struct notifyd *nd, const char *dest)
{
	const struct batch *b;
	size_t n = 0;

	TAILQ_FOREACH(b, &nd->batches, link)
		n += strcmp(b->dest, dest) == 0;
	return n;
}

static int
batch_add(struct batch *b, struct entry *e, size_t ri, size_t max)
{
	struct batch_item *it;

	if (b->n > 0 && b->item[b->n - 1].e == e) {
		it = &b->item[b->n - 1];
	} else {
		if (b->n == max)
			return -1;
		if (b->n == b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 8;
			void *p = reallocarray(b->item, cap, sizeof(*b->item));

			if (p == NULL)
				return -1;
			b->item = p;
			b->cap = cap;
		}
		it = &b->item[b->n++];
		memset(it, 0, sizeof(*it));
		it->e = e;
		e->refs++;
		if ((it->ri = calloc(e->nrcpt, sizeof(*it->ri))) == NULL) {
			e->refs--;
			b->n--;
			return -1;
		}
	}
	it->ri[it->n++] = ri;
	e->rcpt[ri].inflight = 1;
	return 0;
}

static void
batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->item[i].ri);
	free(b->item);
	if (b->ev != NULL)
		event_free(b->ev);
	if (b->fd != -1)
		close(b->fd);
	free(b);
}

/* a batch for dest with room, or a new one if the limits allow */
static struct batch *
batch_for(struct notifyd *nd, const char *dest)
{
	const struct conf *c = nd->conf;
	struct batch *b;

	TAILQ_FOREACH(b, &nd->batches, link)
		if (b->pid == 0 && strcmp(b->dest, dest) == 0 &&
		    b->n < (size_t)c->notifyd_max_per_connection)
			return b;
	if (nd->nbatches >= (size_t)c->notifyd_max_parallel ||
	    dest_running(nd, dest) >= (size_t)c->notifyd_destination_concurrency)
		return NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	snprintf(b->dest, sizeof(b->dest), "%s", dest);
	b->fd = -1;
	b->nd = nd;
	TAILQ_INSERT_TAIL(&nd->batches, b, link);
	nd->nbatches++;
	return b;
}

static void
spawn(struct notifyd *nd, struct batch *b)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) == -1)
		goto fail;
	switch (b->pid = fork()) {
	case -1:
		close(p[0]);
		close(p[1]);
		goto fail;
	case 0:
		close(p[0]);
		mta_run(nd, b, p[1]);
	}
	close(p[1]);
	b->fd = p[0];
	if (fcntl(b->fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (b->ev = event_new(nd->base, b->fd, EV_READ | EV_PERSIST,
	    child_read, b)) == NULL || event_add(b->ev, NULL) == -1)
		fatalx("child event");
	log_debug("delivery pid=%d dest=%s entries=%zu", (int)b->pid,
	    b->dest, b->n);
	return;
fail:
	/* try again at the next wake-up: nothing was sent */
	log_warn("dest=%s: cannot start a delivery", b->dest);
	for (size_t i = 0; i < b->n; i++) {
		for (size_t k = 0; k < b->item[i].n; k++)
			b->item[i].e->rcpt[b->item[i].ri[k]].inflight = 0;
		b->item[i].e->refs--;
	}
	b->pid = -1;
}

static void
arm(struct notifyd *nd)
{
	struct timeval tv = { 0, 0 };
	time_t now = time(NULL), first = 0;
	struct entry *e;

	TAILQ_FOREACH(e, &nd->entries, link)
		for (size_t r = 0; r < e->nrcpt; r++) {
			struct rcpt *rc = &e->rcpt[r];

			if (rc->result != RCPT_PENDING || rc->inflight)
				continue;
			if (first == 0 || rc->next < first)
				first = rc->next;
		}
	if (first == 0)
		return;
	/* due but held back by a limit: a finishing child runs us again */
	tv.tv_sec = first > now ? first - now : 1;
	evtimer_add(nd->wake, &tv);
}

void
queue_run(struct notifyd *nd)
{
	time_t now = time(NULL);
	struct batch *b, *bn;
	struct entry *e;
	char dest[ADDR_MAX];

	if (nd->stopping)
		return;
	TAILQ_FOREACH(e, &nd->entries, link) {
		for (size_t r = 0; r < e->nrcpt; r++) {
			struct rcpt *rc = &e->rcpt[r];

			if (rc->result != RCPT_PENDING || rc->inflight ||
			    rc->next > now)
				continue;
			dest_of(nd, rc, dest, sizeof(dest));
			/* a full batch makes batch_for open the next one */
			for (int k = 0; k < 2; k++)
				if ((b = batch_for(nd, dest)) == NULL ||
				    batch_add(b, e, r, (size_t)
				    nd->conf->notifyd_max_per_connection) == 0)
					break;
		}
	}
	for (b = TAILQ_FIRST(&nd->batches); b != NULL; b = bn) {
		bn = TAILQ_NEXT(b, link);
		if (b->pid == 0)
			spawn(nd, b);
		if (b->pid == -1) {
			TAILQ_REMOVE(&nd->batches, b, link);
			nd->nbatches--;
			batch_free(b);
		}
	}
	arm(nd);
}

static time_t
backoff(const struct conf *c, int tries)
{
	time_t d = c->notifyd_retry_min;

	while (--tries > 0 && d < c->notifyd_retry_max)
		d *= 2;
	return d < c->notifyd_retry_max ? d : c->notifyd_retry_max;
}

struct result {
	size_t		 item, ri;
	char		 code;		/* D delivered, T temporary, P permanent */
	const char	*host, *tls, *verified, *reply;
};

static void
apply(struct notifyd *nd, struct entry *e, const struct result *res)
{
	struct rcpt *r = &e->rcpt[res->ri];
	time_t now = time(NULL), deadline = e->created + nd->conf->notifyd_max_age;
	char reply[REPLY_MAX * 4], host[HOST_MAX * 4], tls[512], ver[256];

	r->inflight = 0;
	r->tries++;
	r->last = now;
	snprintf(r->host, sizeof(r->host), "%s", res->host);
	snprintf(r->tls, sizeof(r->tls), "%s", res->tls);
	snprintf(r->verified, sizeof(r->verified), "%s", res->verified);
	snprintf(r->reply, sizeof(r->reply), "%s", res->reply);
	if (res->code == 'D')
		r->result = RCPT_DELIVERED;
	else if (res->code == 'P')
		r->result = RCPT_BOUNCED;
	else if (now >= deadline)
		r->result = RCPT_EXPIRED;
	else {
		r->next = now + backoff(nd->conf, r->tries);
		if (r->next > deadline)
			r->next = deadline;	/* the last try */
	}
	log_escape(reply, sizeof(reply), r->reply);
	log_escape(host, sizeof(host), r->host[0] ? r->host : "-");
	log_escape(tls, sizeof(tls), r->tls[0] ? r->tls : "none");
	log_escape(ver, sizeof(ver), r->verified[0] ? r->verified : "-");
	log_info("id=%s rcpt=%s result=%s tries=%d host=%s tls=%s "
	    "verified=%s reply=%s", e->id, r->addr,
	    r->result == RCPT_PENDING ? "deferred" :
	    rcpt_result_name(r->result), r->tries, host, tls, ver, reply);
}

/*
 * After each result: the state if some recipient is still pending, else
 * the entry joins the round of records that queue_flush() writes once the
 * loop has read what is ready (one sync of sent/ for all of them).  The
 * entry is freed once it is done and no batch refers to it.
 */
static void
settle(struct notifyd *nd, struct entry *e)
{
	int pending = 0;

	if (e->done) {
		if (e->refs == 0)
			entry_free(e);
		return;
	}
	for (size_t r = 0; r < e->nrcpt; r++)
		pending += e->rcpt[r].result == RCPT_PENDING;
	if (pending > 0) {
		if (entry_save_state(nd, e) == -1)
			log_warn("id=%s: saving state", e->id);
		return;
	}
	finish_later(nd, e);
}

static void
finish_later(struct notifyd *nd, struct entry *e)
{
	struct timeval tv = { 0, 0 };

	if (e->finishing)
		return;
	e->finishing = 1;
	TAILQ_INSERT_TAIL(&nd->finishing, e, flink);
	if (!evtimer_pending(nd->flush, NULL))
		evtimer_add(nd->flush, &tv);
}

/* the round: every record, one sync of sent/, then alerts and removal */
void
queue_flush(evutil_socket_t fd, short ev, void *arg)
{
	struct notifyd *nd = arg;
	struct entry *e;
	int synced;

	(void)fd;
	(void)ev;
	TAILQ_FOREACH(e, &nd->finishing, flink)
		if (entry_record(nd, e) == -1) {
			log_warn("id=%s: writing the delivery record", e->id);
			e->finishing = -1;
		}
	synced = spool_sync(nd->spool, "sent") == 0;
	if (!synced)
		log_warn("sync sent/");
	while ((e = TAILQ_FIRST(&nd->finishing)) != NULL) {
		TAILQ_REMOVE(&nd->finishing, e, flink);
		if (e->finishing == -1 || !synced) {
			/* kept, all final: the next rescan tries again */
			e->finishing = 0;
			if (entry_save_state(nd, e) == -1)
				log_warn("id=%s: saving state", e->id);
			continue;
		}
		e->finishing = 0;
		entry_close(nd, e);
		log_info("id=%s done", e->id);
		e->done = 1;
		TAILQ_REMOVE(&nd->entries, e, link);
		nd->nentries--;
		if (e->refs == 0)
			entry_free(e);
	}
}

/* "ITEM RI CODE\tHOST\tTLS\tVERIFIED\tREPLY" from the child */
static int
parse_result(char *line, struct result *res)
{
	char *f[5], *end;
	int i;

	for (i = 0; i < 5; i++) {
		f[i] = strsep(&line, "\t");
		if (f[i] == NULL)
			return -1;
	}
	if (line != NULL)
		return -1;
	res->item = strtoul(f[0], &end, 10);
	if (*end != ' ')
		return -1;
	res->ri = strtoul(end + 1, &end, 10);
	if (*end != ' ' || strchr("DTP", end[1]) == NULL || end[2] != '\0')
		return -1;
	res->code = end[1];
	res->host = f[1];
	res->tls = f[2];
	res->verified = f[3];
	res->reply = f[4];
	return 0;
}

static void
child_line(struct batch *b, char *line)
{
	struct result res;
	struct batch_item *it;

	if (parse_result(line, &res) == -1 || res.item >= b->n) {
		log_warnx("dest=%s: bad line from delivery agent", b->dest);
		return;
	}
	it = &b->item[res.item];
	for (size_t k = 0; k < it->n; k++) {
		if (it->ri[k] != res.ri ||
		    !it->e->rcpt[res.ri].inflight)
			continue;
		apply(b->nd, it->e, &res);
		settle(b->nd, it->e);
		return;
	}
	log_warnx("dest=%s: result for a recipient not sent", b->dest);
}

static void
child_gone(struct notifyd *nd, struct batch *b)
{
	struct result res = { 0, 0, 'T', "", "", "", "delivery agent ended "
	    "without a result" };
	int st;

	if (waitpid(b->pid, &st, 0) == b->pid && st != 0)
		log_warnx("dest=%s: delivery agent pid=%d ended with status "
		    "%d", b->dest, (int)b->pid, st);
	for (size_t i = 0; i < b->n; i++) {
		struct entry *e = b->item[i].e;
		int any = 0;

		for (size_t k = 0; k < b->item[i].n; k++) {
			res.ri = b->item[i].ri[k];
			if (e->rcpt[res.ri].inflight) {
				apply(nd, e, &res);
				any = 1;
			}
		}
		e->refs--;
		if (any || (e->done && e->refs == 0))
			settle(nd, e);
	}
	TAILQ_REMOVE(&nd->batches, b, link);
	nd->nbatches--;
	batch_free(b);
	queue_run(nd);
}

static void
child_read(evutil_socket_t fd, short ev, void *arg)
{
	struct batch *b = arg;
	char *nl, *p;
	ssize_t n;

	(void)ev;
	n = read(fd, b->rbuf + b->rlen, sizeof(b->rbuf) - 1 - b->rlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		child_gone(b->nd, b);
		return;
	}
	b->rlen += n;
	b->rbuf[b->rlen] = '\0';
	p = b->rbuf;
	while ((nl = strchr(p, '\n')) != NULL) {
		*nl = '\0';
		child_line(b, p);
		p = nl + 1;
	}
	b->rlen -= p - b->rbuf;
	memmove(b->rbuf, p, b->rlen);
	if (b->rlen == sizeof(b->rbuf) - 1)
		b->rlen = 0;	/* an overlong line: the child is broken */
}

void
queue_stop(struct notifyd *nd)
{
	struct batch *b;

	nd->stopping = 1;
	/* results already read are written down before anything else */
	if (!TAILQ_EMPTY(&nd->finishing))
		queue_flush(-1, 0, nd);
	/* what they were sending is sent again after the restart */
	TAILQ_FOREACH(b, &nd->batches, link)
		if (b->pid > 0)
			kill(b->pid, SIGTERM);
	while ((b = TAILQ_FIRST(&nd->batches)) != NULL) {
		if (b->pid > 0)
			waitpid(b->pid, NULL, 0);
		for (size_t i = 0; i < b->n; i++) {
			struct entry *e = b->item[i].e;

			if (--e->refs == 0 && e->done)
				entry_free(e);
		}
		TAILQ_REMOVE(&nd->batches, b, link);
		batch_free(b);
	}
	nd->nbatches = 0;
}
