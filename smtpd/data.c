/*
 * data: DATA into incoming/.  Owns the envelope format (written up in
 * rampart-spool(5)): "key = value" lines, a blank line, then the message
 * as received (CRLF lines, dot-unstuffed) behind our Received: header.
 * The file is built in incoming/tmp through lib/spool and published to
 * incoming/new only when complete and synced; 250 goes out after that,
 * and only then the wake-up on queued's FIFO.  Never parses the body.
 */
#include <sys/types.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fifo.h"
#include "log.h"
#include "session.h"
#include "spool.h"

#define SIZE_DIGITS	20
#define FREE_MIN_INODES	100

static void
flush(struct msg *m)
{
	if (m->buflen > 0 && !m->failed &&
	    spool_write(m->f, m->buf, m->buflen) == -1) {
		log_warn("id=%s: spool_write", m->id);
		m->failed = 1;
	}
	m->buflen = 0;
}

static void
put(struct msg *m, const void *p, size_t n)
{
	if (m->buflen + n > sizeof(m->buf))
		flush(m);
	if (n > sizeof(m->buf))
		abort();	/* callers put at most a line */
	memcpy(m->buf + m->buflen, p, n);
	m->buflen += n;
}

static void
putf(struct msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
putf(struct msg *m, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		abort();	/* every field is bounded well below this */
	put(m, line, n);
}

static off_t
offset(const struct msg *m)
{
	return spool_file_size(m->f) + (off_t)m->buflen;
}

static void
envelope(struct session *s, struct msg *m)
{
	char helo[sizeof(s->helo) * 4];
	size_t i;

	putf(m, "version = 1\nid = %s\ntime = %lld\nclient = %s\n", m->id,
	    (long long)time(NULL), s->addr);
	putf(m, "helo = %s\naccount = %s\nauth = %s\n",
	    log_escape(helo, sizeof(helo), s->helo), s->account, s->auth_via);
	putf(m, "tls_version = %s\ntls_cipher = %s\nmail_from = %s\n",
	    s->tls_version, s->tls_cipher, s->mail_from);
	for (i = 0; i < s->nrcpts; i++)
		putf(m, "rcpt = %s %s %s %s\n", s->rcpts[i].fa.e164,
		    s->rcpts[i].dial, s->rcpts[i].fa.sub[0] ?
		    s->rcpts[i].fa.sub : "-", s->rcpts[i].orig);
	putf(m, "size = ");
	m->size_at = offset(m);
	putf(m, "%0*d\n\n", SIZE_DIGITS, 0);
	m->hdrlen = offset(m);
}

/*
 * RFC 5321 4.4, with the RFC 3848 protocol name and the TLS details.  The
 * EHLO name is escaped and cut to 255 bytes here (the envelope keeps it
 * whole), so that no line passes RFC 5322's 998: escaped, a 255-byte
 * name can take 1,020.
 */
static void
received(struct session *s, struct msg *m)
{
	char helo[256], date[64];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	putf(m, "Received: from %s (%s)\r\n\tby %s (rampart) with %s id %s\r\n",
	    log_escape(helo, sizeof(helo), s->helo), s->addr,
	    s->srv->hostname, s->ehlo ? "ESMTPSA" : "SMTPSA", m->id);
	putf(m, "\t(version=%s cipher=%s)\r\n\t(authenticated account %s)"
	    ";\r\n\t%s\r\n", s->tls_version, s->tls_cipher, s->account, date);
}

int
data_begin(struct session *s)
{
	struct server *srv = s->srv;
	uint64_t bytes, inodes;
	struct msg *m;

	if (spool_free(srv->spool, &bytes, &inodes) == -1 ||
	    bytes < (uint64_t)srv->conf->max_message_size * 2 ||
	    inodes < FREE_MIN_INODES) {
		log_warnx("client=%s: spool nearly full, DATA refused", s->addr);
		reply(s, "452 4.3.1 insufficient system storage, try later");
		return -1;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		reply(s, "451 4.3.0 out of memory, try later");
		return -1;
	}
	id_new(m->id);
	if ((m->f = spool_create(srv->spool, "incoming", m->id)) == NULL) {
		log_warn("id=%s: spool_create", m->id);
		free(m);
		reply(s, "451 4.3.0 cannot queue message, try later");
		return -1;
	}
	s->msg = m;
	envelope(s, m);
	received(s, m);
	return 0;
}

void
data_abort(struct session *s)
{
	if (s->msg == NULL)
		return;
	if (s->msg->f != NULL)
		spool_abort(s->msg->f);
	free(s->msg);
	s->msg = NULL;
}

static int
commit(struct msg *m)
{
	char size[SIZE_DIGITS + 1];
	off_t total;

	flush(m);
	total = spool_file_size(m->f) - m->hdrlen;
	snprintf(size, sizeof(size), "%0*lld", SIZE_DIGITS, (long long)total);
	if (m->failed || pwrite(spool_file_fd(m->f), size, SIZE_DIGITS,
	    m->size_at) != SIZE_DIGITS) {
		if (!m->failed)
			log_warn("id=%s: pwrite", m->id);
		return -1;
	}
	if (spool_commit(m->f) == -1) {
		m->f = NULL;	/* spool_commit freed it */
		log_warn("id=%s: spool_commit", m->id);
		return -1;
	}
	m->f = NULL;
	m->size = total;
	return 0;
}

static void
accepted(struct session *s, struct msg *m)
{
	char line[64], rcpts[1024] = "", from[PATH_MAX_SMTP * 4];
	size_t i, n = 0;
	int rc;

	for (i = 0; i < s->nrcpts && n < sizeof(rcpts); i++) {
		rc = snprintf(rcpts + n, sizeof(rcpts) - n, "%s%s",
		    i ? "," : "", s->rcpts[i].fa.e164);
		n += rc > 0 ? (size_t)rc : 0;
	}
	log_info("id=%s accepted client=%s account=%s tls=%s cipher=%s "
	    "from=%s rcpts=%s nrcpts=%zu size=%zu", m->id, s->addr,
	    s->account, s->tls_version, s->tls_cipher,
	    log_escape(from, sizeof(from), s->mail_from), rcpts, s->nrcpts,
	    m->size);
	reply(s, "250 2.0.0 Ok: queued as %s", m->id);
	/* a client that delivers starts its error count again (Postfix) */
	s->errors = 0;
	s->junk = 0;
	snprintf(line, sizeof(line), "incoming %s", m->id);
	if (fifo_send(s->srv->fifo, line) == -1)
		log_warn("id=%s: fifo_send %s", m->id, s->srv->fifo);
	s->nmsgs++;
}

static void
data_end(struct session *s)
{
	const struct account *a = account_find(s->srv, s->account);
	struct msg *m = s->msg;
	const char *why = NULL;

	s->state = SESS_CMD;
	if (m->too_big) {
		why = "too-big";
		reply(s, "552 5.3.4 message exceeds the limit of %ld bytes",
		    s->srv->conf->max_message_size);
	} else if (m->long_line) {
		why = "long-line";
		reply(s, "500 5.5.2 message has a line over 1000 bytes");
	} else if (commit(m) == -1) {
		why = "spool-error";
		reply(s, "451 4.3.0 cannot queue message, try later");
	} else {
		accepted(s, m);
		if (a != NULL)
			rate_add(s->srv, a);
	}
	if (why != NULL)
		log_warnx("id=%s rejected client=%s account=%s reason=%s",
		    m->id, s->addr, s->account, why);
	data_abort(s);
	session_reset(s);
}

void
data_line(struct session *s, const char *line, size_t len)
{
	struct msg *m = s->msg;

	/*
	 * SMTP smuggling (CVE-2023-51766 and kin): with a bare LF accepted as
	 * a line end, "<LF>.<LF>" could end a message where a relay in front
	 * of us saw none.  Only CRLF ends a line here; a bare LF ends the
	 * session, as Postfix's smtpd_forbid_bare_newline does.
	 */
	if (len < 2 || line[len - 2] != '\r') {
		log_warnx("id=%s rejected client=%s account=%s reason=bare-lf",
		    m->id, s->addr, s->account);
		session_close_after(s, "bare-lf",
		    "521 5.5.2 bare <LF> received, closing connection");
		return;
	}
	len -= 2;
	if (len == 1 && line[0] == '.') {
		data_end(s);
		return;
	}
	if (line[0] == '.') {	/* RFC 5321 4.5.2 */
		line++;
		len--;
	}
	m->size += len + 2;
	if (m->size > (size_t)s->srv->conf->max_message_size)
		m->too_big = 1;
	if (m->too_big || m->failed)
		return;
	put(m, line, len);
	put(m, "\r\n", 2);
}
