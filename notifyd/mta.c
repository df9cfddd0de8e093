/*
 * mta: one delivery child.  It finds the destination's hosts (the
 * relayhost, or MX records), connects to the first that answers, applies
 * the TLS policy, and carries every entry of its batch over that one
 * connection: MAIL, RCPT per recipient, DATA with the message streamed
 * from the spool and dot-stuffed.  Each recipient's outcome goes to the
 * parent as one line the moment it is known; the child writes nothing to
 * the spool.  Blocking I/O with a timeout on every read and write, so a
 * hung server costs this child only.
 */
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "log.h"
#include "notifyd.h"
#include "path.h"
#include "spool.h"

#define LINE_MAX_SMTP	1024

struct conn {
	struct notifyd	*nd;
	int		 fd;
	SSL		*ssl;
	char		 in[4096];
	size_t		 off, len;
	char		 out[65536];
	size_t		 olen;
	char		 host[HOST_MAX];
	char		 tls[128];
	char		 verified[64];
	int		 code;			/* of the last reply */
	char		 reply[REPLY_MAX];	/* its text, sanitized */
	int		 ext_size, ext_starttls, ext_auth_plain;
	int		 broken;		/* the connection is unusable */
};

struct session {
	struct notifyd	*nd;
	struct batch	*b;
	int		 out;			/* the pipe to the parent */
	const struct policy *pol;
	char		 nexthop[256];
	char		 port[8];
	char		 err[REPLY_MAX];	/* why no host took the session */
	char		 errhost[HOST_MAX];
	char		 errtls[128];
	char		 errverified[64];
	int		 perm;
};

static void
report(struct session *s, size_t item, size_t ri, char code,
    const struct conn *c, const char *reply)
{
	char line[HOST_MAX + REPLY_MAX + 256];
	int n;

	n = snprintf(line, sizeof(line), "%zu %zu %c\t%s\t%s\t%s\t%s\n", item,
	    ri, code, c ? c->host : s->errhost, c ? c->tls : s->errtls,
	    c ? c->verified : s->errverified, reply);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = sizeof(line) - 1, line[n - 1] = '\n';
	if (write(s->out, line, n) != n)
		_exit(1);
}

/* printable ASCII only, no tabs: it goes into a line to the parent */
static void
sanitize(char *dst, size_t dsz, const char *src, size_t len)
{
	size_t j = 0;

	for (size_t i = 0; i < len && j + 1 < dsz; i++)
		dst[j++] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : ' ';
	dst[j] = '\0';
}

static ssize_t
conn_read(struct conn *c, void *buf, size_t n)
{
	int r;

	if (c->ssl == NULL)
		return read(c->fd, buf, n);
	ERR_clear_error();
	r = SSL_read(c->ssl, buf, (int)n);
	return r > 0 ? r : -1;
}

static int
conn_flush(struct conn *c)
{
	size_t off = 0;
	ssize_t w;

	while (off < c->olen) {
		if (c->ssl != NULL) {
			ERR_clear_error();
			w = SSL_write(c->ssl, c->out + off, (int)(c->olen - off));
			if (w <= 0)
				w = -1;
		} else
			w = write(c->fd, c->out + off, c->olen - off);
		if (w == -1 && errno == EINTR && c->ssl == NULL)
			continue;
		if (w <= 0) {
			c->broken = 1;
			return -1;
		}
		off += w;
	}
	c->olen = 0;
	return 0;
}

static int
conn_put(struct conn *c, const void *p, size_t n)
{
	while (n > 0) {
		size_t k = sizeof(c->out) - c->olen;

		if (k > n)
			k = n;
		memcpy(c->out + c->olen, p, k);
		c->olen += k;
		p = (const char *)p + k;
		n -= k;
		if (c->olen == sizeof(c->out) && conn_flush(c) == -1)
			return -1;
	}
	return 0;
}

/* one line without its CRLF, or -1 on timeout, EOF or an overlong line */
static int
conn_line(struct conn *c, char *line, size_t sz)
{
	for (;;) {
		char *nl = memchr(c->in + c->off, '\n', c->len - c->off);
		ssize_t r;

		if (nl != NULL) {
			size_t n = nl - (c->in + c->off);

			if (n > 0 && nl[-1] == '\r')
				n--;
			sanitize(line, sz, c->in + c->off, n);
			c->off = nl + 1 - c->in;
			return 0;
		}
		if (c->off > 0) {
			memmove(c->in, c->in + c->off, c->len - c->off);
			c->len -= c->off;
			c->off = 0;
		}
		if (c->len == sizeof(c->in))
			return -1;
		r = conn_read(c, c->in + c->len, sizeof(c->in) - c->len);
		if (r <= 0)
			return -1;
		c->len += r;
	}
}

/* reads a whole (multi-line) reply; the code, or -1 if the link broke */
static int
reply(struct conn *c)
{
	char line[LINE_MAX_SMTP];
	size_t rl = 0;

	c->reply[0] = '\0';
	if (conn_flush(c) == -1)
		goto broken;
	for (int lines = 0; lines < 100; lines++) {
		if (conn_line(c, line, sizeof(line)) == -1)
			goto broken;
		if (strlen(line) < 3 || line[0] < '2' || line[0] > '5' ||
		    line[1] < '0' || line[1] > '9' || line[2] < '0' ||
		    line[2] > '9' || (line[3] != ' ' && line[3] != '-' &&
		    line[3] != '\0'))
			goto broken;
		if (lines == 0 || rl + 4 < sizeof(c->reply)) {
			int n = snprintf(c->reply + rl, sizeof(c->reply) - rl,
			    "%s%s", rl ? " " : "", lines ? line + 4 : line);
			rl = n < 0 ? rl : rl + n;
			if (rl >= sizeof(c->reply))
				rl = sizeof(c->reply) - 1;
		}
		if (strncmp(line, "250", 3) == 0 && lines > 0) {
			if (strncasecmp(line + 4, "STARTTLS", 8) == 0)
				c->ext_starttls = 1;
			else if (strncasecmp(line + 4, "SIZE", 4) == 0)
				c->ext_size = 1;
			else if (strncasecmp(line + 4, "AUTH ", 5) == 0 &&
			    strcasestr(line + 9, "PLAIN") != NULL)
				c->ext_auth_plain = 1;
		}
		c->code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
		    line[2] - '0';
		if (line[3] != '-')
			return c->code;
	}
broken:
	c->broken = 1;
	c->code = -1;
	snprintf(c->reply, sizeof(c->reply), "lost connection with %s",
	    c->host);
	return -1;
}

static int
cmd(struct conn *c, const char *fmt, ...)
{
	char buf[LINE_MAX_SMTP];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf) - 2)
		return -1;
	memcpy(buf + n, "\r\n", 2);
	if (conn_put(c, buf, n + 2) == -1)
		return -1;
	return reply(c);
}

static void
conn_close(struct conn *c)
{
	if (c->ssl != NULL) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
}

static int
connect_to(struct conn *c, const struct addrinfo *ai, long timeout)
{
	struct timeval tv = { timeout, 0 };
	struct pollfd pfd;
	socklen_t sl = sizeof(int);
	int err = 0, fl;

	if ((c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol)) == -1)
		return -1;
	fl = fcntl(c->fd, F_GETFL);
	fcntl(c->fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS)
			return -1;
		pfd.fd = c->fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, (int)c->nd->conf->notifyd_connect_timeout *
		    1000) != 1) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1 ||
		    err != 0) {
			errno = err;
			return -1;
		}
	}
	fcntl(c->fd, F_SETFL, fl);
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1)
		return -1;
	return 0;
}

static int
ehlo(struct conn *c)
{
	c->ext_size = c->ext_starttls = c->ext_auth_plain = 0;
	if (cmd(c, "EHLO %s", c->nd->hostname) == 250)
		return 0;
	if (c->broken)
		return -1;
	return cmd(c, "HELO %s", c->nd->hostname) == 250 ? 0 : -1;
}

static int
fail(struct session *s, struct conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	snprintf(s->errhost, sizeof(s->errhost), "%s", c->host);
	snprintf(s->errtls, sizeof(s->errtls), "%s", c->tls);
	snprintf(s->errverified, sizeof(s->errverified), "%s", c->verified);
	return -1;
}

static int
starttls(struct session *s, struct conn *c, const char *mxhost)
{
	char why[REPLY_MAX];

	if (cmd(c, "STARTTLS") != 220)
		return fail(s, c, "STARTTLS refused: %s", c->reply);
	/* RFC 3207 6: nothing sent before the handshake may be used after */
	if (c->len != c->off) {
		c->broken = 1;
		return fail(s, c, "data after STARTTLS reply");
	}
	if ((c->ssl = SSL_new(s->nd->ssl_ctx)) == NULL ||
	    !SSL_set_fd(c->ssl, c->fd) ||
	    policy_prepare(c->ssl, s->pol, mxhost, s->nexthop) == -1)
		return fail(s, c, "TLS set-up failed");
	ERR_clear_error();
	if (SSL_connect(c->ssl) != 1) {
		unsigned long e = ERR_peek_last_error();
		char buf[200] = "handshake failed";

		if (e != 0)
			ERR_error_string_n(e, buf, sizeof(buf));
		c->broken = 1;
		return fail(s, c, "TLS handshake: %s", buf);
	}
	snprintf(c->tls, sizeof(c->tls), "%s %s", SSL_get_version(c->ssl),
	    SSL_get_cipher_name(c->ssl));
	if (policy_check(c->ssl, s->pol, c->verified, sizeof(c->verified),
	    why, sizeof(why)) == -1) {
		cmd(c, "QUIT");
		return fail(s, c, "TLS policy %s: %s",
		    policy_level_name(s->pol->level), why);
	}
	return ehlo(c) == 0 ? 0 : fail(s, c, "EHLO after STARTTLS: %s",
	    c->reply);
}

static int
auth(struct session *s, struct conn *c)
{
	const char *user = s->nd->conf->relay_auth_user;
	unsigned char raw[600], b64[820];
	size_t ul = strlen(user), pl = strlen(s->nd->auth_pass);
	int n, code;

	if (user[0] == '\0')
		return 0;
	if (c->ssl == NULL)
		return fail(s, c, "relay_auth_user is set: AUTH needs TLS");
	if (!c->ext_auth_plain)
		return fail(s, c, "server offers no AUTH PLAIN");
	if (ul + pl + 2 > sizeof(raw))
		return fail(s, c, "AUTH: user or password too long");
	raw[0] = '\0';
	memcpy(raw + 1, user, ul);
	raw[ul + 1] = '\0';
	memcpy(raw + ul + 2, s->nd->auth_pass, pl);
	n = EVP_EncodeBlock(b64, raw, (int)(ul + pl + 2));
	OPENSSL_cleanse(raw, sizeof(raw));
	code = cmd(c, "AUTH PLAIN %.*s", n, b64);
	OPENSSL_cleanse(b64, sizeof(b64));
	OPENSSL_cleanse(c->out, sizeof(c->out));
	return code == 235 ? 0 : fail(s, c, "AUTH failed: %s", c->reply);
}

/* greeting, EHLO, the TLS policy, AUTH: 0 if mail can be sent */
static int
open_session(struct session *s, struct conn *c, const char *mxhost,
    int notls)
{
	const struct policy *p = s->pol;

	if (reply(c) != 220)
		return fail(s, c, "greeting: %s", c->reply);
	if (ehlo(c) == -1)
		return fail(s, c, "EHLO: %s", c->reply);
	snprintf(c->verified, sizeof(c->verified), "%s no",
	    policy_level_name(p->level));
	if (p->level >= TLS_ENCRYPT && !c->ext_starttls) {
		cmd(c, "QUIT");
		return fail(s, c, "TLS policy %s: server offers no STARTTLS",
		    policy_level_name(p->level));
	}
	if (p->level != TLS_NONE && c->ext_starttls && !notls &&
	    starttls(s, c, mxhost) == -1) {
		/* "may": a STARTTLS refused with a reply goes on in the clear */
		if (p->level != TLS_MAY || c->ssl != NULL || c->broken)
			return -1;
	}
	return auth(s, c);
}

/* the message of notify/cur/ID, dot-stuffed (RFC 5321 4.5.2) */
static int
send_body(struct conn *c, struct entry *e)
{
	char path[64], buf[65536];
	int fd, bol = 1, last = '\n';
	ssize_t n;

	if (path_fmt(path, sizeof(path), "notify/cur/%s", e->id) == -1 ||
	    (fd = spool_open_read(c->nd->spool, path)) == -1 ||
	    lseek(fd, e->body, SEEK_SET) == -1)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		size_t start = 0;

		for (ssize_t i = 0; i < n; i++) {
			if (bol && buf[i] == '.') {
				if (conn_put(c, buf + start, i - start) == -1 ||
				    conn_put(c, ".", 1) == -1)
					goto fail;
				start = i;
			}
			bol = buf[i] == '\n';
		}
		if (conn_put(c, buf + start, n - start) == -1)
			goto fail;
		last = buf[n - 1];
	}
	close(fd);
	if (n == -1)
		return -1;
	if (last != '\n' && conn_put(c, "\r\n", 2) == -1)
		return -1;
	return conn_put(c, ".\r\n", 3);
fail:
	close(fd);
	return -1;
}

static char
class_of(int code)
{
	return code >= 500 ? 'P' : 'T';
}

/* one entry's transaction; -1 if the connection cannot carry another */
static int
transaction(struct session *s, struct conn *c, size_t item)
{
	struct batch_item *it = &s->b->item[item];
	struct entry *e = it->e;
	size_t ok[it->n], nok = 0;
	int code;

	code = c->ext_size ? cmd(c, "MAIL FROM:<%s> SIZE=%lld", e->mail_from,
	    (long long)e->size) : cmd(c, "MAIL FROM:<%s>", e->mail_from);
	if (code != 250) {
		for (size_t k = 0; k < it->n; k++)
			report(s, item, it->ri[k], c->broken ? 'T' :
			    class_of(code), c, c->reply);
		if (!c->broken)
			cmd(c, "RSET");
		return c->broken || code == 421 ? -1 : 0;
	}
	for (size_t k = 0; k < it->n; k++) {
		code = cmd(c, "RCPT TO:<%s>", e->rcpt[it->ri[k]].addr);
		if (code == 250 || code == 251)
			ok[nok++] = it->ri[k];
		else
			report(s, item, it->ri[k], c->broken ? 'T' :
			    class_of(code), c, c->reply);
		if (c->broken || code == 421) {
			/* the rest of this entry's recipients: not tried */
			for (size_t j = k + 1; j < it->n; j++)
				report(s, item, it->ri[j], 'T', c, c->reply);
			c->broken = 1;
			break;
		}
	}
	if (c->broken || nok == 0) {
		for (size_t k = 0; k < nok; k++)
			report(s, item, ok[k], 'T', c, c->reply);
		if (!c->broken)
			cmd(c, "RSET");
		return c->broken ? -1 : 0;
	}
	if ((code = cmd(c, "DATA")) == 354) {
		if (send_body(c, e) == -1) {
			snprintf(c->reply, sizeof(c->reply), "%s while sending "
			    "the message", c->broken ? "lost connection" :
			    "cannot read the entry");
			c->broken = 1;	/* mid-DATA: the session is over */
			code = -1;
		} else
			code = reply(c);
	}
	for (size_t k = 0; k < nok; k++)
		report(s, item, ok[k], code == 250 ? 'D' : c->broken ? 'T' :
		    class_of(code), c, c->reply);
	return c->broken || code == 421 ? -1 : 0;
}

/* nexthop and port: relayhost "host", "host:port" or "[host]:port" */
static void
relay_split(const char *relay, char *host, size_t hsz, char *port,
    size_t psz)
{
	const char *colon;

	if (relay[0] == '[' && (colon = strchr(relay, ']')) != NULL) {
		snprintf(host, hsz, "%.*s", (int)(colon - relay - 1), relay + 1);
		snprintf(port, psz, "%s", colon[1] == ':' ? colon + 2 : "25");
	} else if ((colon = strrchr(relay, ':')) != NULL &&
	    strchr(relay, ':') == colon) {
		snprintf(host, hsz, "%.*s", (int)(colon - relay), relay);
		snprintf(port, psz, "%s", colon + 1);
	} else {
		snprintf(host, hsz, "%s", relay);
		snprintf(port, psz, "25");
	}
}

/* every entry of the batch over an open session, then QUIT */
static void
deliver_all(struct session *s, struct conn *c)
{
	size_t i, j, k;

	for (i = 0; i < s->b->n; i++)
		if (transaction(s, c, i) == -1)
			break;
	/* the connection broke: the rest are deferred, naming this host */
	for (j = i + 1; j < s->b->n; j++)
		for (k = 0; k < s->b->item[j].n; k++)
			report(s, j, s->b->item[j].ri[k], 'T', c, c->reply);
	if (!c->broken)
		cmd(c, "QUIT");
}

/*
 * One address: 1 if it took the session (every entry then has its
 * outcome), 0 if not; *again if "may" should try it once without TLS
 * after a failed handshake.
 */
static int
try_addr(struct session *s, struct conn *c, const struct addrinfo *ai,
    const char *mxhost, int notls, int *again)
{
	char addr[INET6_ADDRSTRLEN];
	int used = 0;

	memset(c, 0, sizeof(*c));
	c->nd = s->nd;
	c->fd = -1;
	snprintf(c->verified, sizeof(c->verified), "%s no",
	    policy_level_name(s->pol->level));
	*again = 0;
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL,
	    0, NI_NUMERICHOST) != 0)
		snprintf(addr, sizeof(addr), "?");
	path_fmt(c->host, sizeof(c->host), "%s[%s]:%s", mxhost, addr, s->port);
	if (connect_to(c, ai, s->nd->conf->notifyd_connect_timeout) == -1)
		fail(s, c, "connect: %s", strerror(errno));
	else if (open_session(s, c, mxhost, notls) == 0) {
		deliver_all(s, c);
		used = 1;
	} else
		*again = !notls && c->ssl != NULL && c->tls[0] == '\0' &&
		    s->pol->level == TLS_MAY;
	conn_close(c);
	return used;
}

/* the addresses of one mail host in turn; 1 if one took the session */
static int
try_host(struct session *s, const char *mxhost)
{
	struct addrinfo hints = { 0 }, *res, *ai;
	struct conn *c;
	int rc, used = 0, again;

	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(mxhost, s->port, &hints, &res)) != 0) {
		path_fmt(s->err, sizeof(s->err), "DNS: %s: %s", mxhost,
		    gai_strerror(rc));
		path_fmt(s->errhost, sizeof(s->errhost), "%s", mxhost);
		s->errtls[0] = '\0';
		snprintf(s->errverified, sizeof(s->errverified), "%s no",
		    policy_level_name(s->pol->level));
		return 0;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		_exit(1);
	for (ai = res; ai != NULL && !used; ai = ai->ai_next) {
		used = try_addr(s, c, ai, mxhost, 0, &again);
		if (!used && again)
			used = try_addr(s, c, ai, mxhost, 1, &again);
	}
	free(c);
	freeaddrinfo(res);
	return used;
}

void
mta_run(struct notifyd *nd, struct batch *b, int out)
{
	struct session s = { .nd = nd, .b = b, .out = out };
	struct mxhost mx[DNS_MAXHOSTS];
	size_t nmx = 0;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	/*
	 * Every read and write has its timeout; this caps a server that
	 * answers a byte at a time.  SIGALRM ends the child, and what it had
	 * not reported is deferred by the parent.
	 */
	alarm((unsigned)MIN(86400, nd->conf->notifyd_timeout * (3 + 3 *
	    (long)b->n) + nd->conf->notifyd_connect_timeout * DNS_MAXHOSTS));
	if (nd->conf->relayhost[0] != '\0') {
		relay_split(nd->conf->relayhost, s.nexthop, sizeof(s.nexthop),
		    s.port, sizeof(s.port));
		snprintf(mx[0].name, sizeof(mx[0].name), "%s", s.nexthop);
		nmx = 1;
	} else {
		snprintf(s.nexthop, sizeof(s.nexthop), "%s", b->dest);
		snprintf(s.port, sizeof(s.port), "%ld", nd->conf->smtp_port);
		if (dns_mx(b->dest, mx, &nmx, &s.perm, s.err,
		    sizeof(s.err)) == -1)
			nmx = 0;
	}
	s.pol = policy_lookup(nd, s.nexthop);
	snprintf(s.errverified, sizeof(s.errverified), "%s no",
	    policy_level_name(s.pol->level));
	if (nmx == 0 && s.err[0] == '\0')
		snprintf(s.err, sizeof(s.err), "no mail host for %s", b->dest);
	for (size_t i = 0; i < nmx; i++)
		if (try_host(&s, mx[i].name))
			_exit(0);
	for (size_t i = 0; i < b->n; i++)
		for (size_t k = 0; k < b->item[i].n; k++)
			report(&s, i, b->item[i].ri[k], s.perm ? 'P' : 'T',
			    NULL, s.err);
	_exit(0);
}
