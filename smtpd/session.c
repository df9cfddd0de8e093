/*
 * session: the life of one SMTP connection: limits at accept, line
 * reading with the 1000-byte limit, replies, timeouts, the switch to TLS
 * after STARTTLS, and the one log line per connection.  Commands are
 * cmd.c's, message bodies data.c's.  A session is freed only from an
 * event callback entry point, never from inside a command handler.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>

#include "log.h"
#include "session.h"
#include "spool.h"

static void	read_cb(struct bufferevent *, void *);
static void	write_cb(struct bufferevent *, void *);
static void	event_cb(struct bufferevent *, short, void *);

static void
set_timeout(struct session *s, long seconds)
{
	struct timeval tv = { seconds, 0 };

	bufferevent_set_timeouts(s->bev, &tv, &tv);
}

static int
too_many(struct server *srv, const char *addr, int fd)
{
	const struct sessions *l = &srv->sessions;
	struct session *o;
	long n = 0;
	const char *why = NULL;

	if ((long)srv->nsessions >= srv->conf->smtpd_max_connections)
		why = "421 4.7.0 too many connections, try later\r\n";
	TAILQ_FOREACH(o, l, entry)
		n += strcmp(o->addr, addr) == 0;
	if (why == NULL && n >= srv->conf->smtpd_max_connections_per_client)
		why = "421 4.7.0 too many connections from your address\r\n";
	if (why == NULL)
		return 0;
	log_warnx("refused client=%s reason=%s", addr,
	    n >= srv->conf->smtpd_max_connections_per_client ?
	    "max_connections_per_client" : "max_connections");
	/* best effort: the client may be gone already */
	(void)!write(fd, why, strlen(why));
	return 1;
}

static int
start_bev(struct session *s)
{
	struct server *srv = s->srv;

	if (s->implicit_tls) {
		if ((s->ssl = SSL_new(srv->ssl_ctx)) == NULL)
			return -1;
		s->bev = bufferevent_openssl_socket_new(srv->base, s->fd,
		    s->ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
		if (s->bev == NULL) {
			SSL_free(s->ssl);
			return -1;
		}
		s->state = SESS_HANDSHAKE;
	} else {
		/* no CLOSE_ON_FREE: the fd outlives this bev at STARTTLS */
		s->bev = bufferevent_socket_new(srv->base, s->fd, 0);
		if (s->bev == NULL)
			return -1;
	}
	bufferevent_setcb(s->bev, read_cb, write_cb, event_cb, s);
	set_timeout(s, srv->conf->smtpd_starttls_timeout);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
	return 0;
}

static void	timer_cb(evutil_socket_t, short, void *);
static void	deadline_cb(evutil_socket_t, short, void *);

void
session_new(struct server *srv, int fd, const struct sockaddr *sa,
    int implicit_tls)
{
	char host[ADDR_SIZE], port[16];
	struct timeval tv = { 0, 0 };
	struct session *s;

	if (getnameinfo(sa, sa->sa_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
	    host, sizeof(host), port, sizeof(port),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(host, sizeof(host), "unknown");
	if (too_many(srv, host, fd) || (s = calloc(1, sizeof(*s))) == NULL) {
		close(fd);
		return;
	}
	s->srv = srv;
	s->fd = fd;
	s->implicit_tls = implicit_tls;
	s->result = "eof";
	memcpy(s->addr, host, sizeof(s->addr));
	s->port = atoi(port);
	if ((s->timer = evtimer_new(srv->base, timer_cb, s)) == NULL ||
	    (s->deadline = evtimer_new(srv->base, deadline_cb, s)) == NULL ||
	    start_bev(s) == -1) {
		log_warn("client=%s: session setup", s->addr);
		if (s->timer != NULL)
			event_free(s->timer);
		if (s->deadline != NULL)
			event_free(s->deadline);
		free(s);
		close(fd);
		return;
	}
	tv.tv_sec = srv->conf->smtpd_starttls_timeout;
	evtimer_add(s->deadline, &tv);
	TAILQ_INSERT_TAIL(&srv->sessions, s, entry);
	srv->nsessions++;
	if (!implicit_tls)
		cmd_greet(s);
}

static void
session_free(struct session *s)
{
	struct server *srv = s->srv;

	log_info("disconnect client=%s:%d account=%s tls=%s cipher=%s "
	    "messages=%d result=%s", s->addr, s->port,
	    s->account[0] ? s->account : "-",
	    s->tls_version[0] ? s->tls_version : "-",
	    s->tls_cipher[0] ? s->tls_cipher : "-", s->nmsgs, s->result);
	session_reset(s);
	if (s->authreq != NULL)
		auth_cancel(s->authreq);
	TAILQ_REMOVE(&srv->sessions, s, entry);
	srv->nsessions--;
	event_free(s->timer);
	event_free(s->deadline);
	bufferevent_free(s->bev);	/* with TLS: also the SSL and the fd */
	if (s->ssl == NULL)
		close(s->fd);
	free(s);
}

void
session_close_all(struct server *srv)
{
	struct session *s;

	while ((s = TAILQ_FIRST(&srv->sessions)) != NULL) {
		s->result = "shutdown";
		session_free(s);
	}
}

/* every 4xx or 5xx reply is an error (the 421 that ends it is not one) */
void
reply(struct session *s, const char *fmt, ...)
{
	struct evbuffer *out = bufferevent_get_output(s->bev);
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = snprintf(line, sizeof(line), "451 4.3.0 internal error");
	else if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;	/* none is near: bounded fields */
	evbuffer_add(out, line, n);
	evbuffer_add(out, "\r\n", 2);
	if (line[0] == '4' || line[0] == '5') {
		s->errors++;
		s->error_new = 1;
	}
}

void
session_close_after(struct session *s, const char *result, const char *fmt,
    ...)
{
	struct evbuffer *out = bufferevent_get_output(s->bev);
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		evbuffer_add_vprintf(out, fmt, ap);
		va_end(ap);
		evbuffer_add(out, "\r\n", 2);
	}
	s->result = result;
	s->state = SESS_CLOSING;
	evtimer_del(s->timer);	/* no delayed reply after this one */
	bufferevent_disable(s->bev, EV_READ);
	evbuffer_drain(bufferevent_get_input(s->bev),
	    evbuffer_get_length(bufferevent_get_input(s->bev)));
}

void
session_reset(struct session *s)
{
	if (s->msg != NULL)
		data_abort(s);
	free(s->rcpts);
	s->rcpts = NULL;
	s->nrcpts = 0;
	s->in_mail = 0;
	s->mail_from[0] = '\0';
}

/* reads nothing for seconds, then sends line (unless NULL) */
void
session_delay(struct session *s, int seconds, const char *line)
{
	struct timeval tv = { seconds, 0 };

	snprintf(s->pending, sizeof(s->pending), "%s", line ? line : "");
	s->resume = s->state == SESS_PAUSED ? s->resume : s->state;
	s->state = SESS_PAUSED;
	bufferevent_disable(s->bev, EV_READ);
	evtimer_add(s->timer, &tv);
}

void
session_starttls(struct session *s)
{
	s->state = SESS_STARTTLS;
	bufferevent_disable(s->bev, EV_READ);
}

/*
 * One line from the input into buf (with its LF).  Returns its length,
 * 0 if no full line is there yet, or -1 for a line over 1000 bytes
 * (consumed, or being skipped until its end).
 */
static long
get_line(struct session *s, char *buf)
{
	struct evbuffer *in = bufferevent_get_input(s->bev);
	struct evbuffer_ptr p;
	size_t eol, avail = evbuffer_get_length(in);

	p = evbuffer_search_eol(in, NULL, &eol, EVBUFFER_EOL_LF);
	if (p.pos == -1) {
		if (avail <= SMTP_LINE_MAX)
			return 0;
		evbuffer_drain(in, avail);
		s->skip_line = 1;
		return 0;
	}
	if (s->skip_line || (size_t)p.pos + 1 > SMTP_LINE_MAX) {
		evbuffer_drain(in, p.pos + 1);
		s->skip_line = 0;
		return -1;
	}
	evbuffer_remove(in, buf, p.pos + 1);
	buf[p.pos + 1] = '\0';
	return p.pos + 1;
}

static int
reading(const struct session *s)
{
	return s->state == SESS_CMD || s->state == SESS_DATA ||
	    s->state == SESS_AUTH_PLAIN || s->state == SESS_AUTH_USER ||
	    s->state == SESS_AUTH_PASS;
}

static void
one_line(struct session *s, char *buf, long len)
{
	if (s->state == SESS_DATA) {
		if (len == -1)
			s->msg->long_line = 1;
		else
			data_line(s, buf, len);
		return;
	}
	if (len == -1 || memchr(buf, '\0', len) != NULL) {
		reply(s, "500 5.5.2 %s", len == -1 ?
		    "line too long (1000 bytes at most)" : "NUL in command");
		if (s->state != SESS_CMD)
			s->state = SESS_CMD;
		return;
	}
	buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	cmd_line(s, buf);
}

/*
 * Postfix's error limits: from smtpd_soft_errors on, each error costs
 * smtpd_error_sleep seconds in which nothing is read; at
 * smtpd_max_errors the session ends with 421.
 */
static void
error_limits(struct session *s)
{
	const struct conf *c = s->srv->conf;

	s->error_new = 0;
	if (s->state == SESS_CLOSING)
		return;
	if (s->errors >= c->smtpd_max_errors)
		session_close_after(s, "too-many-errors",
		    "421 4.7.0 too many errors, closing connection");
	else if (s->errors >= c->smtpd_soft_errors &&
	    c->smtpd_error_sleep > 0 && reading(s))
		session_delay(s, (int)c->smtpd_error_sleep, NULL);
}

/* runs commands while there are lines; frees s if it is done */
static void
process(struct session *s)
{
	char buf[SMTP_LINE_MAX + 1];
	long len;

	for (;;) {
		if (s->error_new)
			error_limits(s);
		if (!reading(s) || (len = get_line(s, buf)) == 0)
			break;
		one_line(s, buf, len);
	}
	if (s->state == SESS_CLOSING && evbuffer_get_length(
	    bufferevent_get_output(s->bev)) == 0)
		session_free(s);
}

/* after an asynchronous step (a password check): read on */
void
session_resume(struct session *s)
{
	if (reading(s))
		bufferevent_enable(s->bev, EV_READ);
	process(s);
}

static void
read_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	process(arg);
}

static void
timer_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct session *s = arg;

	(void)fd;
	(void)ev;
	if (s->state != SESS_PAUSED)
		return;
	s->state = s->resume;
	if (s->pending[0] != '\0')
		reply(s, "%s", s->pending);
	session_resume(s);
}

/*
 * Idle time alone would let a client chat in the clear for ever with
 * NOOPs: before TLS the whole session has smtpd_starttls_timeout.
 */
static void
deadline_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct session *s = arg;

	(void)fd;
	(void)ev;
	if (!s->tls && (s->state == SESS_CMD || s->state == SESS_PAUSED))
		session_close_after(s, "no-starttls",
		    "421 4.7.0 TLS required, closing connection");
}

static void
to_tls(struct session *s)
{
	struct server *srv = s->srv;

	bufferevent_free(s->bev);
	s->bev = NULL;
	if ((s->ssl = SSL_new(srv->ssl_ctx)) != NULL)
		s->bev = bufferevent_openssl_socket_new(srv->base, s->fd,
		    s->ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (s->bev == NULL) {
		log_warnx("client=%s: cannot start TLS", s->addr);
		/* s->bev is gone: free by hand */
		SSL_free(s->ssl);
		close(s->fd);
		TAILQ_REMOVE(&srv->sessions, s, entry);
		srv->nsessions--;
		event_free(s->timer);
		event_free(s->deadline);
		free(s);
		return;
	}
	s->state = SESS_HANDSHAKE;
	bufferevent_setcb(s->bev, read_cb, write_cb, event_cb, s);
	set_timeout(s, srv->conf->smtpd_starttls_timeout);
	bufferevent_enable(s->bev, EV_READ | EV_WRITE);
}

static void
write_cb(struct bufferevent *bev, void *arg)
{
	struct session *s = arg;

	if (evbuffer_get_length(bufferevent_get_output(bev)) != 0)
		return;
	if (s->state == SESS_CLOSING)
		session_free(s);
	else if (s->state == SESS_STARTTLS)
		to_tls(s);
}

static void
tls_done(struct session *s)
{
	const struct server *srv = s->srv;
	char fpr[TLS_FPR_SIZE];
	const char *acct;

	s->tls = 1;
	s->state = SESS_CMD;
	event_del(s->deadline);
	snprintf(s->tls_version, sizeof(s->tls_version), "%s",
	    SSL_get_version(s->ssl));
	snprintf(s->tls_cipher, sizeof(s->tls_cipher), "%s",
	    SSL_get_cipher_name(s->ssl));
	/* RFC 3207 4.2: forget everything said before TLS */
	session_reset(s);
	s->helo[0] = '\0';
	s->ehlo = 0;
	s->errors = 0;
	s->error_new = 0;
	s->junk = 0;
	set_timeout(s, srv->conf->smtpd_timeout);
	if (tls_peer_fingerprint(s->ssl, fpr) == 0 &&
	    (acct = certmap_find(srv, fpr)) != NULL) {
		snprintf(s->account, sizeof(s->account), "%s", acct);
		s->auth_via = "cert";
		log_info("login client=%s account=%s via=cert", s->addr, acct);
	}
	if (s->implicit_tls)
		cmd_greet(s);
	process(s);
}

static void
tls_error(struct session *s)
{
	char buf[256] = "";
	unsigned long e;

	while ((e = bufferevent_get_openssl_error(s->bev)) != 0)
		if (ERR_GET_LIB(e) != 0)
			ERR_error_string_n(e, buf, sizeof(buf));
	if (buf[0] != '\0')
		log_warnx("client=%s tls error: %s", s->addr, buf);
}

static void
event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct session *s = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		tls_done(s);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT && (what & BEV_EVENT_READING) &&
	    s->state != SESS_CLOSING && s->state != SESS_HANDSHAKE) {
		session_close_after(s, "timeout",
		    "421 4.4.2 timeout, closing connection");
		return;
	}
	if (s->state == SESS_HANDSHAKE)
		s->result = "tls-handshake-failed";
	else if (what & BEV_EVENT_TIMEOUT)
		s->result = "timeout";
	else if (s->state == SESS_DATA || s->in_mail)
		s->result = "lost-in-transaction";
	else if (what & BEV_EVENT_ERROR)
		s->result = "error";
	if (s->ssl != NULL)
		tls_error(s);
	session_free(s);
}
