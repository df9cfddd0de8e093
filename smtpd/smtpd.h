/*
 * smtpd: rampart's forced-TLS, authenticated SMTP intake.  Shared types
 * of the smtpd modules: the runtime context (struct server, owned by
 * main()), one struct session per connection, and the module entry
 * points.
 */
#ifndef RAMPART_SMTPD_H
#define RAMPART_SMTPD_H

#include <sys/queue.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <crypt.h>
#include <time.h>

#include <openssl/ssl.h>

#include "config.h"
#include "faxaddr.h"
#include "ids.h"

#define SMTP_LINE_MAX	1000	/* RFC 5321 4.5.3.1.6, with CRLF */
#define NAME_MAX_ACCT	64
#define PATH_MAX_SMTP	256	/* RFC 5321 4.5.3.1.3 */
#define ADDR_SIZE	64	/* numeric address text */

struct account {
	char	 name[NAME_MAX_ACCT];
	char	*hash;		/* crypt(3) */
	char	*numbers;	/* faxaddr_match() patterns */
	long	 max_rcpts;	/* 0: max_recipients */
	long	 per_hour;	/* 0: no limit */
	unsigned char pwcache[32];	/* HMAC of the last good password */
	int	 cached;
};

struct accounts {
	struct account	*v;
	size_t		 n;
	char		 path[CONF_STRMAX];
	struct timespec	 mtime;
	unsigned char	 cachekey[32];	/* random, per process */
	char		 dummy[CRYPT_GENSALT_OUTPUT_SIZE];	/* for unknown names */
};

/* per-client-address memory: auth failures and lock-out */
struct peer {
	char	addr[ADDR_SIZE];
	int	failures;
	int	pending;	/* password checks in flight */
	time_t	last;		/* last failure */
	time_t	locked_until;
};

/* per-account message counts for messages_per_hour */
struct rate {
	char	name[NAME_MAX_ACCT];
	time_t	hour;		/* start of the current window */
	long	count;
};

struct authpool;
struct session;
TAILQ_HEAD(sessions, session);

struct server {
	const struct conf	*conf;
	struct event_base	*base;
	SSL_CTX			*ssl_ctx;
	struct spool		*spool;
	char			 fifo[CONF_STRMAX + 8];
	char			 hostname[CONF_STRMAX];
	struct dialplan		 dialplan;
	struct accounts		 accounts;
	struct sessions		 sessions;
	size_t			 nsessions;
	struct peer		 peers[256];
	struct authpool		*authpool;
	struct rate		 *rates;
	size_t			 nrates;
	char			 (*certmap)[2][CONF_STRMAX];	/* fpr, account */
	size_t			 ncertmap;
};

/* listener.c: sockets, accept, connection limits */
int	listener_open(struct server *srv, const char *list, int implicit_tls,
	    char *err, size_t errsz);
void	listener_close_all(void);

/* session.c */
void	session_new(struct server *srv, int fd, const struct sockaddr *sa,
	    int implicit_tls);
void	session_close_all(struct server *srv);

/* auth.c: accounts file, AUTH, lock-out, certificate map, rates */
int	accounts_load(struct accounts *a, const char *path, char *err,
	    size_t errsz);
void	accounts_reload(struct server *srv);
void	auth_free(struct server *srv);
const struct account *account_find(const struct server *srv,
	    const char *name);
int	auth_locked(struct server *srv, const char *addr);
/*
 * A password check: name and pass from client.  The answer comes later,
 * from the event loop, as cb(arg, result, delay): delay is the seconds
 * to wait before answering a failure.  NULL: out of memory.  This and
 * auth_cancel() are all a session knows of password checking.
 */
enum auth_result {
	AUTH_OK,
	AUTH_FAILED,
	AUTH_LOCKED,		/* the address is locked out */
	AUTH_IN_FLIGHT,		/* auth_max_failures checks would be passed */
	AUTH_BUSY,		/* no room to check now */
};
struct authreq;
typedef void (*auth_done_fn)(void *arg, enum auth_result result, int delay);
struct authreq *auth_start(struct server *srv, const char *client,
	    const char *name, const char *pass, auth_done_fn cb, void *arg);
void	auth_cancel(struct authreq *r);	/* cb will not be called */
int	auth_pool_start(struct server *srv, char *err, size_t errsz);
void	auth_pool_stop(struct server *srv);
int	certmap_load(struct server *srv, const char *path, char *err,
	    size_t errsz);
const char *certmap_find(const struct server *srv, const char *fpr);
int	rate_ok(struct server *srv, const struct account *a);
void	rate_add(struct server *srv, const struct account *a);
int	b64_decode(const char *in, unsigned char *out, size_t outsz,
	    size_t *outlen);

/* passwd.c: smtpd -a NAME */
int	passwd_add(const struct conf *c, const char *name,
	    const char *numbers, long max_rcpts, long per_hour);

#endif
