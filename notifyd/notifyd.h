/*
 * notifyd: rampart's outbound mail agent.  The queue (notifyd.c,
 * queue.c, entry.c) lives in the parent; each delivery runs in a child
 * (mta.c) that carries one or more entries to one destination and
 * reports per recipient over a pipe.  Only the parent writes the spool.
 */
#ifndef RAMPART_NOTIFYD_H
#define RAMPART_NOTIFYD_H

#include <sys/queue.h>
#include <sys/types.h>

#include <stddef.h>
#include <time.h>

#include <event2/util.h>
#include <openssl/ssl.h>

#include "config.h"
#include "ids.h"

#define ADDR_MAX	256		/* an addr-spec, as RFC 5321 4.5.3.1 */
#define HOST_MAX	320		/* "name [address]:port" */
#define REPLY_MAX	512

enum rcpt_result {
	RCPT_PENDING,
	RCPT_DELIVERED,
	RCPT_BOUNCED,			/* a permanent refusal */
	RCPT_EXPIRED,			/* retries used up */
};

enum entry_kind { KIND_DSN, KIND_FAX, KIND_ALERT };

struct rcpt {
	char		 addr[ADDR_MAX];
	enum rcpt_result result;
	int		 tries;
	time_t		 next;		/* earliest next attempt */
	time_t		 last;		/* last attempt */
	int		 inflight;
	char		 host[HOST_MAX];
	char		 tls[128];
	char		 verified[64];
	char		 reply[REPLY_MAX];
};

struct entry {
	char		 id[ID_SIZE];
	enum entry_kind	 kind;
	char		 about[64];
	long long	 created;
	char		 mail_from[ADDR_MAX];
	struct rcpt	*rcpt;
	size_t		 nrcpt;
	off_t		 body;		/* offset of the message in the file */
	off_t		 size;
	int		 done;		/* the record is written */
	int		 refs;		/* batches that name it */
	int		 finishing;	/* on the list of records to write */
	TAILQ_ENTRY(entry) link;
	TAILQ_ENTRY(entry) flink;	/* that list */
};
TAILQ_HEAD(entryq, entry);

/* TLS policy, Postfix's and CipherMail's names */
enum tls_level {
	TLS_NONE, TLS_MAY, TLS_ENCRYPT, TLS_VERIFY, TLS_SECURE,
	TLS_FINGERPRINT,
};

#define POLICY_MAXNAMES	8
#define POLICY_MAXFPR	8

struct policy {
	enum tls_level	 level;
	char		*match[POLICY_MAXNAMES];	/* secure: names */
	size_t		 nmatch;
	char		 fpr[POLICY_MAXFPR][97];	/* fingerprint: pins */
	size_t		 nfpr;
};

struct policy_rule {
	char		*domain;	/* "example.org" or ".example.org" */
	struct policy	 pol;
	int		 line;
};

struct policy_map {
	struct policy_rule *rule;
	size_t		 n;
};

/* what one child delivers: entries (by index of rcpt) to one nexthop */
struct batch_item {
	struct entry	*e;
	size_t		*ri;		/* indexes of the rcpts to send */
	size_t		 n;
};

struct batch {
	char		 dest[ADDR_MAX];	/* domain or relayhost */
	struct batch_item *item;
	size_t		 n, cap;
	pid_t		 pid;
	int		 fd;		/* results from the child */
	struct event	*ev;
	char		 rbuf[4096];
	size_t		 rlen;
	struct notifyd	*nd;
	TAILQ_ENTRY(batch) link;
};
TAILQ_HEAD(batchq, batch);

struct notifyd {
	const struct conf *conf;
	struct spool	*spool;
	struct event_base *base;
	struct event	*wake;		/* the next due attempt */
	struct event	*rescan;
	struct event	*fifo_ev;
	int		 fifo_fd;
	struct fifo_reader *fifo_rd;
	struct entryq	 entries;
	size_t		 nentries;
	struct event	*flush;		/* writes the records of a round */
	TAILQ_HEAD(, entry) finishing;
	struct batchq	 batches;
	size_t		 nbatches;
	SSL_CTX		*ssl_ctx;
	struct policy_map map;
	struct policy	 defpol;
	char		 hostname[256];
	char		 auth_pass[256];	/* relay_auth_password_file */
	int		 stopping;
};

/* entry.c: the files of an entry */
int	 entry_load(struct notifyd *, const char *id, int fresh,
	    struct entry **ep, char *err, size_t errsz);
void	 entry_free(struct entry *);
int	 entry_save_state(struct notifyd *, const struct entry *);
int	 entry_record(struct notifyd *, struct entry *);
int	 entry_close(struct notifyd *, struct entry *);
const char *entry_kind_name(enum entry_kind);
const char *rcpt_result_name(enum rcpt_result);

/* queue.c: scheduling and results */
void	 queue_scan(struct notifyd *);
void	 queue_add(struct notifyd *, const char *id);
void	 queue_run(struct notifyd *);
void	 queue_child_done(struct notifyd *, struct batch *);
void	 queue_stop(struct notifyd *);
void	 queue_flush(evutil_socket_t, short, void *);

/* mta.c: the child's SMTP session; never returns */
void	 mta_run(struct notifyd *, struct batch *, int fd)
	    __attribute__((noreturn));

/* policy.c */
int	 policy_parse_level(const char *s);
const char *policy_level_name(enum tls_level);
int	 policy_map_load(struct policy_map *, const char *path, char *err,
	    size_t errsz);
void	 policy_map_free(struct policy_map *);
const struct policy *policy_lookup(const struct notifyd *, const char *dest);
int	 policy_prepare(SSL *ssl, const struct policy *, const char *mxhost,
	    const char *nexthop);
int	 policy_check(SSL *ssl, const struct policy *, char *verified,
	    size_t vsz, char *why, size_t whysz);

/* dns.c */
#define DNS_MAXHOSTS	16

struct mxhost {
	char	name[256];
	int	pref;
};

/* 0 and the hosts in order, or -1: *perm set if the domain cannot have
 * mail (NXDOMAIN, null MX), else a temporary failure; why says which */
int	 dns_mx(const char *domain, struct mxhost *mx, size_t *n, int *perm,
	    char *why, size_t whysz);
int	 dns_parse_mx(const unsigned char *msg, int len, struct mxhost *mx,
	    size_t *n);

#endif
