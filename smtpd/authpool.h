/*
 * authpool: crypt(3) password checks in worker processes, so that a slow
 * hash (yescrypt: tens of milliseconds) never holds up the event loop.
 * A job says "does crypt(pass, hash) give hash?"; its done() callback
 * runs later on the event loop.  Jobs are served fairly across client
 * addresses (a client's second waiting job comes after every other
 * client's first) and no client has more than per_client jobs hashing
 * at once, so one address cannot fill the pool.
 *
 * The pool knows nothing of accounts, sessions or lock-outs (auth.c
 * does); it could as well serve a separate authentication process.
 */
#ifndef RAMPART_SMTPD_AUTHPOOL_H
#define RAMPART_SMTPD_AUTHPOOL_H

#include <sys/queue.h>

#include <stddef.h>

#define AUTHPOOL_CLIENT	64
#define AUTHPOOL_PASS	1024	/* more than a SASL response holds */

struct authpool;
struct event_base;

struct authjob {
	/* set by the caller before authpool_submit() */
	char		 client[AUTHPOOL_CLIENT];	/* fairness key */
	char		*hash;		/* crypt(3) string; NULL: no hashing */
	char		 pass[AUTHPOOL_PASS];	/* wiped once sent */
	void		(*done)(struct authjob *);	/* on the event loop */
	/* the result, valid in done(): 1 match, 0 not, -1 no answer */
	int		 match;
	/* the pool's */
	TAILQ_ENTRY(authjob) entry;
	unsigned	 rank;		/* the client's jobs waiting before it */
};

struct authpool *authpool_new(struct event_base *base, int workers,
	    int per_client, char *err, size_t errsz);
/* queues j; j->done(j) will run on the loop (at once if no hash) */
void	authpool_submit(struct authpool *p, struct authjob *j);
/* stops the workers; drop(j), not done(), for every job still there */
void	authpool_free(struct authpool *p, void (*drop)(struct authjob *));
/* "smtpd -W": a worker's life, on descriptor fd; never returns */
void	authpool_worker(int fd) __attribute__((noreturn));

#endif
