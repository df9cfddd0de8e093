/*
 * fuzz-smtp: smtpd's command parser (cmd.c) and AUTH PLAIN/LOGIN
 * decoders (sasl.c, b64_decode in auth.c) driven line by line as
 * session.c drives them, without the event loop: the few session.c
 * functions cmd.c and sasl.c call are replaced here by ones that keep
 * the replies in memory.  auth.c is linked as it is (accounts file,
 * lock-out, rate, the cache of good passwords) but authpool.c is not:
 * the pool here answers a check from the password the harness set
 * instead of calling crypt(3), and like the real pool it never calls
 * done() from inside authpool_submit(); the line loop runs the waiting
 * answers after each command, where smtpd's event loop would take its
 * next turn.  The one good login is dev1 / s3cret.
 *
 * Input: the first byte holds flags: bit 0, TLS is already up; bit 1,
 * the pool has lost its workers (every hash answers "no answer", so
 * AUTH gets 454); bit 2, the client goes away while its last check is
 * in flight (auth_cancel(), then the answer comes to nobody).  The
 * rest is what the client sends, lines ended by LF.  All of it counts
 * as sent at once (pipelined), except that a line starting with byte
 * 0xff (dropped) was sent after the client read the replies so far: so
 * "STARTTLS\r\n\xffEHLO ..." goes on inside TLS, while bytes right
 * behind STARTTLS are the injection smtpd must drop.  Aborts when
 *  - a reply is not one line of printable ASCII starting "NNN " or
 *    "NNN-", or is longer than 512 bytes with CRLF (RFC 5321 4.5.3.1.5);
 *  - the session holds an account other than the one whose password
 *    was given, or has a mail transaction without TLS and AUTH;
 *  - a password check is still waiting once the pool has answered
 *    everything, or auth.c asks the pool to hash against anything but
 *    an account's hash or its dummy, or sends it an unterminated
 *    password;
 *  - a recipient was accepted that the account may not dial, that the
 *    dial plan refuses, or beyond the account's limit;
 *  - b64_decode accepts a line OpenSSL's decoder decodes differently,
 *    or what it decodes does not survive encoding and decoding again.
 * Built by `make fuzz` (tests/fuzz/local.mk).
 */
#include <sys/queue.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <openssl/evp.h>

#include "authpool.h"
#include "config.h"
#include "log.h"
#include "session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

static struct conf conf;
static struct server srv;
static size_t input_left;	/* bytes after the current line */
static int good_login;		/* the pool said "match" this run */
static int trace;		/* FUZZ_TRACE set: replies on stdout */

/* ---- what session.c gives cmd.c, kept in memory --------------------- */

static void
check_reply(const char *fmt, va_list ap)
{
	char buf[2048];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap), i;

	if (trace)
		printf("S: %s\n", buf), fflush(stdout);
	if (n < 4 || n + 2 > 512)
		abort();
	for (i = 0; i < 3; i++)
		if (buf[i] < '0' || buf[i] > '9')
			abort();
	if (buf[3] != ' ' && buf[3] != '-')
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			abort();
}

void
reply(struct session *s, const char *fmt, ...)
{
	va_list ap;

	(void)s;
	va_start(ap, fmt);
	check_reply(fmt, ap);
	va_end(ap);
}

void
session_close_after(struct session *s, const char *result, const char *fmt,
    ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		check_reply(fmt, ap);
		va_end(ap);
	}
	s->result = result;
	s->state = SESS_CLOSING;
}

void
session_starttls(struct session *s)
{
	s->state = SESS_STARTTLS;
}

void
session_delay(struct session *s, int seconds, const char *line)
{
	(void)seconds;
	snprintf(s->pending, sizeof(s->pending), "%s", line ? line : "");
	s->resume = s->state == SESS_PAUSED ? s->resume : s->state;
	s->state = SESS_PAUSED;
}

void
session_reset(struct session *s)
{
	free(s->rcpts);
	s->rcpts = NULL;
	s->nrcpts = 0;
	s->in_mail = 0;
	s->mail_from[0] = '\0';
}

void
session_error(struct session *s)
{
	s->errors++;
}

int
data_begin(struct session *s)
{
	(void)s;
	return 0;
}

struct evbuffer *
bufferevent_get_input(struct bufferevent *bev)
{
	return (struct evbuffer *)bev;
}

size_t
evbuffer_get_length(const struct evbuffer *b)
{
	(void)b;
	return input_left;
}

/* the line loop reads the next line itself, as process() would */
void
session_resume(struct session *s)
{
	(void)s;
}

int
bufferevent_enable(struct bufferevent *bev, short ev)
{
	(void)bev;
	(void)ev;
	return 0;
}

int
bufferevent_disable(struct bufferevent *bev, short ev)
{
	(void)bev;
	(void)ev;
	return 0;
}

/* ---- authpool.h, answered from the passwords set here --------------- */

TAILQ_HEAD(authjobs, authjob);
struct authpool {
	struct authjobs	 ready;		/* answered at the loop's next turn */
};

static struct authpool pool;
static int pool_broken;		/* input flag: no worker left */

/* the accounts' hashes (LLVMFuzzerInitialize) and their passwords */
static const struct {
	const char	*hash;
	const char	*pass;		/* NULL: none matches */
} known[] = {
	{ "$6$x$notahash", "s3cret" },	/* dev1 */
	{ "$6$y$notahash", NULL },	/* dev2 */
};

struct authpool *
authpool_new(struct event_base *base, int workers, int per_client,
    char *err, size_t errsz)
{
	(void)base;
	(void)workers;
	(void)per_client;
	(void)err;
	(void)errsz;
	TAILQ_INIT(&pool.ready);
	return &pool;
}

/* decides at once, answers later (never from inside submit) */
void
authpool_submit(struct authpool *p, struct authjob *j)
{
	size_t i;

	j->match = -1;
	if (j->hash != NULL) {
		if (memchr(j->pass, '\0', sizeof(j->pass)) == NULL)
			abort();
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(j->hash, known[i].hash) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]) &&
		    strcmp(j->hash, srv.accounts.dummy) != 0)
			abort();	/* neither an account's hash nor the dummy */
		if (!pool_broken)
			j->match = i < sizeof(known) / sizeof(known[0]) &&
			    known[i].pass != NULL &&
			    strcmp(j->pass, known[i].pass) == 0;
		explicit_bzero(j->pass, sizeof(j->pass));
	}
	TAILQ_INSERT_TAIL(&p->ready, j, entry);
}

/* the event loop's turn: every answer so far, including new ones */
static void
pool_run(void)
{
	struct authjob *j;

	while ((j = TAILQ_FIRST(&pool.ready)) != NULL) {
		TAILQ_REMOVE(&pool.ready, j, entry);
		if (j->hash != NULL && j->match == 1)
			good_login = 1;
		j->done(j);
	}
}

void
authpool_free(struct authpool *p, void (*drop)(struct authjob *))
{
	struct authjob *j;

	while ((j = TAILQ_FIRST(&p->ready)) != NULL) {
		TAILQ_REMOVE(&p->ready, j, entry);
		if (drop != NULL)
			drop(j);
	}
}

/* ---- properties ------------------------------------------------------ */

static void
check_b64(const char *line)
{
	unsigned char mine[1024], ossl[1024], again[1024];
	unsigned char enc[1400];
	size_t len, len2, pad = 0, l = strlen(line);
	int n;

	if (l > 1000 || b64_decode(line, mine, sizeof(mine), &len) == -1)
		return;
	if (l > 0) {
		n = EVP_DecodeBlock(ossl, (const unsigned char *)line, (int)l);
		pad = (line[l - 1] == '=') + (l > 1 && line[l - 2] == '=');
		if (n < 0 || (size_t)n - pad != len ||
		    memcmp(ossl, mine, len) != 0)
			abort();
	} else if (len != 0)
		abort();
	EVP_EncodeBlock(enc, mine, (int)len);
	if (b64_decode((char *)enc, again, sizeof(again), &len2) == -1 ||
	    len2 != len || memcmp(again, mine, len) != 0)
		abort();
}

static void
check_session(const struct session *s)
{
	const struct account *a;
	size_t i;
	char dial[FAXADDR_DIAL_SIZE];
	const char *why;

	if (s->account[0] != '\0' && (!good_login ||
	    strcmp(s->account, "dev1") != 0))
		abort();
	if (s->in_mail && (!s->tls || s->account[0] == '\0'))
		abort();
	if (s->nrcpts == 0)
		return;
	if (!s->in_mail || (a = account_find(&srv, s->account)) == NULL ||
	    s->nrcpts > (size_t)a->max_rcpts)
		abort();
	for (i = 0; i < s->nrcpts; i++)
		if (!faxaddr_match(a->numbers, s->rcpts[i].fa.e164) ||
		    dialplan_check(&srv.dialplan, s->rcpts[i].fa.e164, dial,
		    sizeof(dial), &why) == -1 ||
		    strcmp(dial, s->rcpts[i].dial) != 0)
			abort();
}

/* ---- set-up and the line loop (as session.c's one_line) ------------- */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/fuzz-smtp-accounts.XXXXXX", err[256];
	const char *acc = "# test accounts\n"
	    "dev1:$6$x$notahash:+1212*,+4420*:3:0\n"
	    "dev2:$6$y$notahash:*:0:5\n";
	int fd;

	(void)argc;
	(void)argv;
	log_init("fuzz-smtp", 1, 0);
	trace = getenv("FUZZ_TRACE") != NULL;
	conf_defaults(&conf);
	snprintf(conf.fax_domains, sizeof(conf.fax_domains), "fax.test");
	snprintf(conf.dial_country_code, sizeof(conf.dial_country_code), "1");
	snprintf(conf.dial_deny, sizeof(conf.dial_deny), "+1900 +1212555");
	conf.dial_international = 1;
	srv.conf = &conf;
	snprintf(srv.hostname, sizeof(srv.hostname), "gw.fax.test");
	srv.dialplan = (struct dialplan){ conf.dial_country_code,
	    conf.dial_national_prefix, conf.dial_international_prefix,
	    conf.dial_prefix, (int)conf.dial_international, conf.dial_allow,
	    conf.dial_deny };
	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, acc, strlen(acc)) != (ssize_t)strlen(acc) ||
	    close(fd) == -1 ||
	    accounts_load(&srv.accounts, path, err, sizeof(err)) == -1 ||
	    auth_pool_start(&srv, err, sizeof(err)) == -1) {
		fprintf(stderr, "fuzz-smtp: accounts: %s\n", err);
		abort();
	}
	unlink(path);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[SMTP_LINE_MAX + 1];
	struct session s;
	size_t off = 1, n, len, i;
	const uint8_t *nl;
	int gone = 0;

	if (size == 0)
		return 0;
	memset(&s, 0, sizeof(s));
	memset(srv.peers, 0, sizeof(srv.peers));
	/* each run a new smtpd: no remembered password, no failures */
	for (i = 0; i < srv.accounts.n; i++)
		srv.accounts.v[i].cached = 0;
	good_login = 0;
	pool_broken = (data[0] & 2) != 0;
	s.srv = &srv;
	s.bev = (struct bufferevent *)&s;
	s.tls = data[0] & 1;
	snprintf(s.addr, sizeof(s.addr), "192.0.2.1");
	cmd_greet(&s);
	while (off < size && s.state != SESS_CLOSING && !gone) {
		nl = memchr(data + off, '\n', size - off);
		n = nl != NULL ? (size_t)(nl - (data + off)) + 1 : size - off;
		input_left = size - off - n;
		if (input_left > 0 && data[off + n] == 0xff)
			input_left = 0;	/* the client waited */
		if (data[off] == 0xff && n > 1) {
			off++;
			n--;
		}
		len = n;
		if (len > SMTP_LINE_MAX) {
			off += n;
			if (s.state != SESS_DATA) {
				reply(&s, "500 5.5.2 line too long");
				s.state = SESS_CMD;
			}
			continue;
		}
		memcpy(buf, data + off, len);
		buf[len] = '\0';
		off += n;
		if (s.state == SESS_DATA) {
			if (strcmp(buf, ".\r\n") == 0 || strcmp(buf, ".\n") == 0) {
				s.state = SESS_CMD;
				session_reset(&s);
				reply(&s, "250 2.0.0 Ok: queued");
			}
			continue;
		}
		if (memchr(buf, '\0', len) != NULL) {
			reply(&s, "500 5.5.2 NUL in command");
			s.state = SESS_CMD;
			continue;
		}
		if (buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '\r')
			buf[--len] = '\0';
		check_b64(buf);
		cmd_line(&s, buf);
		/* the client leaves with its check in flight: session_free() */
		if (s.authreq != NULL && off >= size && (data[0] & 4)) {
			auth_cancel(s.authreq);
			s.authreq = NULL;
			gone = 1;
		}
		pool_run();	/* auth_done(): 235, 535 (maybe delayed), 454 */
		if (s.state == SESS_AUTH_WAIT && !gone)
			abort();	/* a check nobody will ever answer */
		if (s.state == SESS_PAUSED) {	/* the timer fires */
			s.state = s.resume;
			if (s.pending[0] != '\0')
				reply(&s, "%s", s.pending);
		} else if (s.state == SESS_STARTTLS) {	/* tls_done() */
			s.tls = 1;
			s.state = SESS_CMD;
			session_reset(&s);
			s.helo[0] = '\0';
			s.ehlo = 0;
		}
		check_session(&s);
	}
	session_reset(&s);
	return 0;
}
