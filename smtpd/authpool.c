/*
 * authpool: password hashing in a few worker processes (see authpool.h).
 * Each worker is a child started at start-up, after the privilege drop,
 * as smtpd again ("smtpd -W", a fresh image) with nothing open but its
 * socket to the loop (descriptor 3) and standard error; it runs at a
 * lower priority (nice) than the loop and does one thing: read a hash
 * and a password, answer whether they match.
 *
 * Processes, not threads: yescrypt maps and unmaps 16 MB for every
 * hash, and in a threaded smtpd every one of those waited on the same
 * address-space lock as the event loop's own page faults, so that a
 * low-priority hashing thread set aside by the scheduler while holding
 * it stalled the loop for tens of milliseconds (measured: p99 53-94 ms
 * for a logged-in session's NOOPs under 40 guessing addresses).
 *
 * The event loop owns every list: the queue, which job each worker
 * has, the fairness ranks.  It sends a job to an idle worker as one
 * datagram (SOCK_SEQPACKET) and gets one byte back.  Nothing here
 * blocks: an idle worker's socket is empty.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <crypt.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/crypto.h>

#include "authpool.h"
#include "log.h"

#define WORKER_NICE	10	/* nice of a hashing process */

TAILQ_HEAD(authjobs, authjob);

/* one datagram loop -> worker; the answer is one byte, 1 for a match */
struct request {
	char	hash[CRYPT_OUTPUT_SIZE];
	char	pass[AUTHPOOL_PASS];
};

struct worker {
	struct authpool	*pool;
	pid_t		 pid;
	int		 fd;		/* -1: gone */
	struct event	*ev;
	struct authjob	*job;		/* what it is hashing */
};

struct authpool {
	struct authjobs	 queue;		/* waiting for a worker */
	struct authjobs	 ready;		/* answered at the next turn */
	int		 per_client;
	int		 nworkers;
	int		 alive;
	struct worker	*workers;
	struct event	*ev_ready;
};

static int
check(const struct request *r, struct crypt_data *cd)
{
	const char *h;
	size_t n = strlen(r->hash);
	int ok;

	h = crypt_rn(r->pass, r->hash, cd, sizeof(*cd));
	ok = h != NULL && h[0] != '*' && strlen(h) == n &&
	    CRYPTO_memcmp(h, r->hash, n) == 0;
	explicit_bzero(cd, sizeof(*cd));
	return ok;
}

/* the child: until the loop closes its end */
void
authpool_worker(int fd)
{
	static struct crypt_data cd;
	static struct request r;
	unsigned char ok;
	ssize_t n;

	(void)setpriority(PRIO_PROCESS, 0, WORKER_NICE);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_IGN);	/* the parent stops us: EOF */
	signal(SIGHUP, SIG_IGN);
	for (;;) {
		n = recv(fd, &r, sizeof(r), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(r))
			break;
		r.hash[sizeof(r.hash) - 1] = '\0';
		r.pass[sizeof(r.pass) - 1] = '\0';
		ok = check(&r, &cd);
		explicit_bzero(&r, sizeof(r));
		while (send(fd, &ok, 1, 0) == -1 && errno == EINTR)
			;
	}
	_exit(0);
}

static int
running(const struct authpool *p, const char *client)
{
	int i, n = 0;

	for (i = 0; i < p->nworkers; i++)
		n += p->workers[i].job != NULL &&
		    strcmp(p->workers[i].job->client, client) == 0;
	return n;
}

/* the waiting job of lowest rank whose client may hash one more; FIFO */
static struct authjob *
pick(struct authpool *p)
{
	struct authjob *j, *best = NULL, *o;

	TAILQ_FOREACH(j, &p->queue, entry)
		if ((best == NULL || j->rank < best->rank) &&
		    running(p, j->client) < p->per_client) {
			best = j;
			if (j->rank == 0)
				break;
		}
	if (best == NULL)
		return NULL;
	TAILQ_REMOVE(&p->queue, best, entry);
	TAILQ_FOREACH(o, &p->queue, entry)
		if (o->rank > 0 && strcmp(o->client, best->client) == 0)
			o->rank--;
	return best;
}

static void
answer_later(struct authpool *p, struct authjob *j, int match)
{
	j->match = match;
	TAILQ_INSERT_TAIL(&p->ready, j, entry);
	event_active(p->ev_ready, EV_TIMEOUT, 0);
}

/* gives waiting jobs to idle workers */
static void
dispatch(struct authpool *p)
{
	static struct request r;
	struct worker *w;
	struct authjob *j;
	int i;

	for (i = 0; i < p->nworkers; i++) {
		w = &p->workers[i];
		if (w->fd == -1 || w->job != NULL)
			continue;
		if ((j = pick(p)) == NULL)
			return;
		memset(&r, 0, sizeof(r));
		snprintf(r.hash, sizeof(r.hash), "%s", j->hash);
		memcpy(r.pass, j->pass, sizeof(r.pass));
		explicit_bzero(j->pass, sizeof(j->pass));
		if (send(w->fd, &r, sizeof(r), MSG_DONTWAIT | MSG_NOSIGNAL) !=
		    (ssize_t)sizeof(r))
			answer_later(p, j, -1);
		else
			w->job = j;
		explicit_bzero(&r, sizeof(r));
	}
	/* no worker left at all: nothing queued would ever be answered */
	if (p->alive == 0)
		while ((j = TAILQ_FIRST(&p->queue)) != NULL) {
			TAILQ_REMOVE(&p->queue, j, entry);
			answer_later(p, j, -1);
		}
}

/* not started again: a hash that kills its worker could do it again */
static void
worker_gone(struct worker *w)
{
	event_del(w->ev);
	close(w->fd);
	w->fd = -1;
	w->pool->alive--;
	log_warnx("password hashing process %ld is gone, %d left%s",
	    (long)w->pid, w->pool->alive, w->pool->alive == 0 ?
	    ": every login gets 454 until smtpd is restarted" : "");
}

static void
answer_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker *w = arg;
	struct authpool *p = w->pool;
	struct authjob *j = w->job;
	unsigned char ok;
	ssize_t n;

	(void)ev;
	n = recv(fd, &ok, 1, MSG_DONTWAIT);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n != 1)
		worker_gone(w);
	w->job = NULL;
	dispatch(p);
	/* done() may submit again: the workers have their next jobs now */
	if (j != NULL) {
		j->match = n == 1 ? ok == 1 : -1;
		j->done(j);
	}
}

static void
ready_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct authpool *p = arg;
	struct authjobs l = TAILQ_HEAD_INITIALIZER(l);
	struct authjob *j;

	(void)fd;
	(void)ev;
	TAILQ_CONCAT(&l, &p->ready, entry);
	while ((j = TAILQ_FIRST(&l)) != NULL) {
		TAILQ_REMOVE(&l, j, entry);
		j->done(j);
	}
}

void
authpool_submit(struct authpool *p, struct authjob *j)
{
	struct authjob *o;

	j->rank = 0;
	if (j->hash == NULL) {
		TAILQ_INSERT_TAIL(&p->ready, j, entry);
		event_active(p->ev_ready, EV_TIMEOUT, 0);
		return;
	}
	TAILQ_FOREACH(o, &p->queue, entry)
		j->rank += strcmp(o->client, j->client) == 0;
	TAILQ_INSERT_TAIL(&p->queue, j, entry);
	dispatch(p);
}

static int
spawn(struct authpool *p, struct worker *w, struct event_base *base)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if ((w->pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (w->pid == 0) {
		/* nothing of the parent's but standard error */
		if (dup2(sv[1], 3) == -1)
			_exit(1);
		closefrom(4);
		/* a clean image: nothing of smtpd's memory, such as the key */
		execl("/proc/self/exe", "smtpd", "-W", (char *)NULL);
		authpool_worker(3);	/* no /proc: the forked image will do */
	}
	close(sv[1]);
	w->fd = sv[0];
	p->alive++;
	if ((w->ev = event_new(base, w->fd, EV_READ | EV_PERSIST, answer_cb,
	    w)) == NULL || event_add(w->ev, NULL) == -1)
		return -1;
	return 0;
}

struct authpool *
authpool_new(struct event_base *base, int nworkers, int per_client,
    char *err, size_t errsz)
{
	struct authpool *p;
	int i;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->workers = calloc(nworkers, sizeof(*p->workers))) == NULL) {
		free(p);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	TAILQ_INIT(&p->queue);
	TAILQ_INIT(&p->ready);
	p->per_client = per_client;
	p->nworkers = nworkers;
	for (i = 0; i < nworkers; i++) {
		p->workers[i].pool = p;
		p->workers[i].fd = -1;
	}
	if ((p->ev_ready = event_new(base, -1, 0, ready_cb, p)) == NULL) {
		snprintf(err, errsz, "event_new");
		authpool_free(p, NULL);
		return NULL;
	}
	for (i = 0; i < nworkers; i++)
		if (spawn(p, &p->workers[i], base) == -1) {
			snprintf(err, errsz, "worker: %s", strerror(errno));
			authpool_free(p, NULL);
			return NULL;
		}
	return p;
}

void
authpool_free(struct authpool *p, void (*drop)(struct authjob *))
{
	struct worker *w;
	struct authjob *j;
	int i;

	if (p == NULL)
		return;
	/* a closed socket stops its worker once its hash is done */
	for (i = 0; i < p->nworkers; i++) {
		w = &p->workers[i];
		if (w->ev != NULL)
			event_free(w->ev);
		if (w->fd != -1)
			close(w->fd);
		if (w->pid > 0)
			while (waitpid(w->pid, NULL, 0) == -1 && errno == EINTR)
				;
		if (w->job != NULL)
			TAILQ_INSERT_TAIL(&p->queue, w->job, entry);
	}
	TAILQ_CONCAT(&p->queue, &p->ready, entry);
	while ((j = TAILQ_FIRST(&p->queue)) != NULL) {
		TAILQ_REMOVE(&p->queue, j, entry);
		explicit_bzero(j->pass, sizeof(j->pass));
		if (drop != NULL)
			drop(j);
	}
	if (p->ev_ready != NULL)
		event_free(p->ev_ready);
	free(p->workers);
	free(p);
}
