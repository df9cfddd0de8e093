/*
 * smtpload: the load client of bench/smtpd.  N threads, each running
 * sessions back to back: connect, EHLO, STARTTLS, EHLO, AUTH PLAIN, MAIL,
 * RCPT, DATA with a body of SIZE bytes, QUIT.  The latency of a message
 * is from connect to the 250 after the final dot.  Prints messages per
 * second and latency percentiles.  The same client drives rampart's smtpd
 * and Postfix's, so its own CPU use weighs the same on both.
 *
 * usage: smtpload -p PORT -u USER -w PASS [-c CONC] [-t SECONDS]
 *            [-s SIZE] [-r RCPT]
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

struct opts {
	int		 port;
	const char	*user, *pass, *rcpt;
	int		 conc;
	double		 seconds;
	size_t		 size;
	char		*body;		/* dot-safe, CRLF lines, ends in CRLF */
	char		 auth[512];	/* base64 PLAIN response */
	SSL_CTX		*ctx;
};

struct worker {
	pthread_t	 th;
	struct opts	*o;
	double		 stop;
	double		*lat;
	size_t		 n, cap;
	long		 errors;
	char		 lasterr[160];
};

static double
now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* the I/O of one session: plain fd or SSL */
struct conn {
	int	 fd;
	SSL	*ssl;
	char	 buf[8192];
	size_t	 len;
};

static int
c_write(struct conn *c, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = c->ssl ? SSL_write(c->ssl, p, n) : write(c->fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/* reads one whole reply; returns its code or -1 */
static int
c_reply(struct conn *c)
{
	char *nl, line[1024];
	ssize_t r;
	size_t l;

	for (;;) {
		while ((nl = memchr(c->buf, '\n', c->len)) == NULL) {
			if (c->len == sizeof(c->buf))
				return -1;
			r = c->ssl ? SSL_read(c->ssl, c->buf + c->len,
			    sizeof(c->buf) - c->len) :
			    read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
			if (r <= 0)
				return -1;
			c->len += r;
		}
		l = nl - c->buf + 1;
		memcpy(line, c->buf, l < sizeof(line) ? l : sizeof(line) - 1);
		line[l < sizeof(line) ? l : sizeof(line) - 1] = '\0';
		memmove(c->buf, c->buf + l, c->len - l);
		c->len -= l;
		if (l >= 4 && line[3] == ' ')
			return atoi(line);
		if (l < 4 || line[3] != '-')
			return -1;
	}
}

static int
cmd(struct conn *c, const char *s, int want)
{
	if (s != NULL && c_write(c, s, strlen(s)) == -1)
		return -1;
	return c_reply(c) == want ? 0 : -1;
}

static int
session(struct worker *w)
{
	struct opts *o = w->o;
	struct sockaddr_in sin = { 0 };
	struct conn c = { .fd = -1 };
	char line[600];
	int rc = -1, one = 1;

	sin.sin_family = AF_INET;
	sin.sin_port = htons(o->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((c.fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(c.fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		goto done;
	setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (cmd(&c, NULL, 220) || cmd(&c, "EHLO load.test\r\n", 250) ||
	    cmd(&c, "STARTTLS\r\n", 220) || c.len != 0)
		goto done;
	if ((c.ssl = SSL_new(o->ctx)) == NULL || !SSL_set_fd(c.ssl, c.fd) ||
	    SSL_connect(c.ssl) != 1)
		goto done;
	snprintf(line, sizeof(line), "AUTH PLAIN %s\r\n", o->auth);
	if (cmd(&c, "EHLO load.test\r\n", 250) || cmd(&c, line, 235) ||
	    cmd(&c, "MAIL FROM:<load@example.test>\r\n", 250))
		goto done;
	snprintf(line, sizeof(line), "RCPT TO:<%s>\r\n", o->rcpt);
	if (cmd(&c, line, 250) || cmd(&c, "DATA\r\n", 354) ||
	    c_write(&c, o->body, o->size) || cmd(&c, ".\r\n", 250))
		goto done;
	rc = 0;
	cmd(&c, "QUIT\r\n", 221);
done:
	if (rc == -1)
		snprintf(w->lasterr, sizeof(w->lasterr), "%s",
		    errno ? strerror(errno) : "protocol");
	if (c.ssl != NULL) {
		SSL_shutdown(c.ssl);
		SSL_free(c.ssl);
	}
	if (c.fd != -1)
		close(c.fd);
	return rc;
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	double t0;

	while ((t0 = now()) < w->stop) {
		errno = 0;
		if (session(w) == -1) {
			w->errors++;
			usleep(10000);
			continue;
		}
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 1024;
			if ((w->lat = realloc(w->lat, w->cap * sizeof(double))) == NULL)
				abort();
		}
		w->lat[w->n++] = now() - t0;
	}
	return NULL;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
make_body(struct opts *o)
{
	static const char hdr[] = "Subject: smtpload\r\nFrom: load@example.test\r\n"
	    "To: fax\r\n\r\n";
	size_t n = strlen(hdr), i;

	if ((o->body = malloc(o->size + 100)) == NULL)
		abort();
	memcpy(o->body, hdr, n);
	while (n + 78 <= o->size) {
		for (i = 0; i < 76; i++)
			o->body[n + i] = 'a' + (n + i) % 26;
		o->body[n + 76] = '\r';
		o->body[n + 77] = '\n';
		n += 78;
	}
	o->size = n;
}

static void
report(struct worker *ws, int conc, double elapsed)
{
	size_t total = 0, k = 0, i;
	long errors = 0;
	double *all;
	int j;

	for (j = 0; j < conc; j++) {
		total += ws[j].n;
		errors += ws[j].errors;
	}
	if ((all = calloc(total + 1, sizeof(double))) == NULL)
		abort();
	for (j = 0; j < conc; j++)
		for (i = 0; i < ws[j].n; i++)
			all[k++] = ws[j].lat[i];
	qsort(all, total, sizeof(double), cmpd);
	printf("concurrency=%d messages=%zu errors=%ld seconds=%.1f "
	    "msgs_per_s=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n", conc,
	    total, errors, elapsed, total / elapsed,
	    total ? all[total / 2] * 1000 : 0,
	    total ? all[(size_t)(total * 0.99)] * 1000 : 0,
	    total ? all[total - 1] * 1000 : 0);
	for (j = 0; j < conc; j++)
		if (ws[j].errors) {
			printf("last error: %s\n", ws[j].lasterr);
			break;
		}
	free(all);
}

int
main(int argc, char *argv[])
{
	struct opts o = { 0, NULL, NULL, "+12224567654@fax.test", 16, 10,
	    100 * 1024, NULL, "", NULL };
	struct worker *ws;
	char plain[300];
	double t0;
	int ch, j, n;

	while ((ch = getopt(argc, argv, "c:p:r:s:t:u:w:")) != -1) {
		switch (ch) {
		case 'c': o.conc = atoi(optarg); break;
		case 'p': o.port = atoi(optarg); break;
		case 'r': o.rcpt = optarg; break;
		case 's': o.size = strtoul(optarg, NULL, 10); break;
		case 't': o.seconds = atof(optarg); break;
		case 'u': o.user = optarg; break;
		case 'w': o.pass = optarg; break;
		default: goto usage;
		}
	}
	if (o.port <= 0 || o.user == NULL || o.pass == NULL || o.conc < 1 ||
	    o.conc > 1000 || o.size < 100)
		goto usage;
	n = snprintf(plain, sizeof(plain), "%c%s%c%s", 0, o.user, 0, o.pass);
	if (n < 0 || (size_t)n >= sizeof(plain))
		goto usage;
	EVP_EncodeBlock((unsigned char *)o.auth, (unsigned char *)plain, n);
	make_body(&o);
	if ((o.ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return 1;
	SSL_CTX_set_min_proto_version(o.ctx, TLS1_2_VERSION);
	if ((ws = calloc(o.conc, sizeof(*ws))) == NULL)
		return 1;
	t0 = now();
	for (j = 0; j < o.conc; j++) {
		ws[j].o = &o;
		ws[j].stop = t0 + o.seconds;
		pthread_create(&ws[j].th, NULL, run, &ws[j]);
	}
	for (j = 0; j < o.conc; j++)
		pthread_join(ws[j].th, NULL);
	report(ws, o.conc, now() - t0);
	return 0;
usage:
	fprintf(stderr, "usage: smtpload -p port -u user -w pass [-c conc] "
	    "[-r rcpt] [-s size] [-t seconds]\n");
	return 1;
}
