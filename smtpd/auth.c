/*
 * auth: who may send.  Owns the accounts file (one device per line, see
 * rampart-accounts(5)), password checks (auth_start(): the crypt(3)
 * hash itself runs in authpool's processes, off the event loop), the
 * per-address failure count and lock-out, the client-certificate map
 * and the per-account hourly message count.  Never logs or keeps a
 * password: a verified one is remembered only as an HMAC under a
 * per-process key so that a device sending many messages costs one slow
 * hash, not one each.
 */
#include <sys/stat.h>

#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "authpool.h"
#include "log.h"
#include "smtpd.h"
#include "tls.h"

#define ACCOUNTS_MAX	10000
#define DELAY_MAX	30

static int
name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= NAME_MAX_ACCT)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._@+-") == n;
}

static int
number_ok(const char *s, long *out)
{
	char *end;

	if (*s == '\0') {
		*out = 0;
		return 1;
	}
	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && *end == '\0' && *out <= 1000000;
}

/* name:hash:numbers:max_rcpts:per_hour */
static int
parse_line(char *line, struct account *a)
{
	char *f[5];
	int i;

	for (i = 0; i < 5; i++)
		if ((f[i] = strsep(&line, ":")) == NULL)
			return -1;
	if (line != NULL || !name_ok(f[0]) || f[1][0] == '\0' ||
	    strspn(f[2], "+0123456789*, ") != strlen(f[2]) ||
	    !number_ok(f[3], &a->max_rcpts) || !number_ok(f[4], &a->per_hour))
		return -1;
	memset(a->name, 0, sizeof(a->name));
	memcpy(a->name, f[0], strlen(f[0]));
	if ((a->hash = strdup(f[1])) == NULL ||
	    (a->numbers = strdup(f[2])) == NULL) {
		free(a->hash);
		return -1;
	}
	a->cached = 0;
	return 0;
}

static void
accounts_free(struct account *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		explicit_bzero(v[i].hash, strlen(v[i].hash));
		free(v[i].hash);
		free(v[i].numbers);
	}
	free(v);
}

static int
read_all(FILE *fp, const char *path, struct account **vp, size_t *np,
    char *err, size_t errsz)
{
	struct account *v = NULL, *nv;
	char line[2048];
	size_t n = 0, ln = 0, len;

	while (fgets(line, sizeof(line), fp) != NULL) {
		ln++;
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		if (n == ACCOUNTS_MAX || (nv = reallocarray(v, n + 1,
		    sizeof(*v))) == NULL)
			goto fail;
		v = nv;
		if (parse_line(line, &v[n]) == -1) {
			snprintf(err, errsz, "%s:%zu: bad account line", path, ln);
			goto fail;
		}
		n++;
	}
	explicit_bzero(line, sizeof(line));
	*vp = v;
	*np = n;
	return 0;
fail:
	if (err[0] == '\0')
		snprintf(err, errsz, "%s:%zu: too many accounts", path, ln);
	explicit_bzero(line, sizeof(line));
	accounts_free(v, n);
	return -1;
}

int
accounts_load(struct accounts *a, const char *path, char *err, size_t errsz)
{
	struct account *v;
	struct stat st;
	size_t n;
	FILE *fp;
	int rc;

	err[0] = '\0';
	if ((fp = fopen(path, "re")) == NULL || fstat(fileno(fp), &st) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	rc = read_all(fp, path, &v, &n, err, errsz);
	fclose(fp);
	if (rc == -1)
		return -1;
	if (a->v == NULL && (RAND_bytes(a->cachekey, sizeof(a->cachekey)) != 1 ||
	    crypt_gensalt_rn("$y$", 0, NULL, 0, a->dummy, sizeof(a->dummy)) ==
	    NULL)) {
		snprintf(err, errsz, "RAND_bytes or crypt_gensalt failed");
		accounts_free(v, n);
		return -1;
	}
	accounts_free(a->v, a->n);
	a->v = v;
	a->n = n;
	a->mtime = st.st_mtim;
	if (path != a->path)	/* a reload passes a->path itself */
		snprintf(a->path, sizeof(a->path), "%s", path);
	return 0;
}

void
auth_free(struct server *srv)
{
	accounts_free(srv->accounts.v, srv->accounts.n);
	srv->accounts.v = NULL;
	srv->accounts.n = 0;
	free(srv->certmap);
	free(srv->rates);
	srv->certmap = NULL;
	srv->rates = NULL;
}

/* a changed file is read again; if that fails the old accounts stay */
void
accounts_reload(struct server *srv)
{
	struct accounts *a = &srv->accounts;
	struct stat st;
	char err[512];

	if (stat(a->path, &st) == -1 ||
	    (st.st_mtim.tv_sec == a->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == a->mtime.tv_nsec))
		return;
	if (accounts_load(a, a->path, err, sizeof(err)) == -1)
		log_warnx("accounts not reloaded: %s", err);
	else
		log_info("accounts reloaded file=%s accounts=%zu", a->path, a->n);
}

const struct account *
account_find(const struct server *srv, const char *name)
{
	size_t i;

	for (i = 0; i < srv->accounts.n; i++)
		if (strcmp(srv->accounts.v[i].name, name) == 0)
			return &srv->accounts.v[i];
	return NULL;
}

/*
 * A check in flight: the worker pool hashes, the rest happens here on
 * the event loop.  Every request ends in one call of cb (unless
 * cancelled), always from the loop, never from auth_start() itself.
 */
struct authreq {
	struct authjob	 job;		/* first: a job is its request */
	struct server	*srv;
	char		 name[NAME_MAX_ACCT];
	unsigned char	 mac[32];	/* HMAC of the password */
	enum auth_result result;	/* when no hash was needed */
	int		 counted;	/* in its peer's pending */
	auth_done_fn	 cb;
	void		*arg;
};

static struct peer *
peer_get(struct server *srv, const char *addr, int create)
{
	struct peer *p, *old = NULL;
	size_t i;

	for (i = 0; i < sizeof(srv->peers) / sizeof(srv->peers[0]); i++) {
		p = &srv->peers[i];
		if (strcmp(p->addr, addr) == 0)
			return p;
		/* one with checks in flight must stay */
		if (p->pending == 0 && (old == NULL || p->last < old->last))
			old = p;
	}
	if (!create || old == NULL)
		return NULL;
	memset(old, 0, sizeof(*old));
	snprintf(old->addr, sizeof(old->addr), "%s", addr);
	return old;
}

int
auth_locked(struct server *srv, const char *addr)
{
	struct peer *p = peer_get(srv, addr, 0);

	return p != NULL && p->locked_until > time(NULL);
}

/* counts a failure; returns the delay before the 535, in seconds */
static int
auth_failed(struct server *srv, const char *addr)
{
	const struct conf *c = srv->conf;
	struct peer *p = peer_get(srv, addr, 1);
	time_t now = time(NULL);
	long delay;

	if (p == NULL)		/* every slot has checks in flight */
		return DELAY_MAX;
	if (now - p->last > c->auth_lockout)
		p->failures = 0;
	p->failures++;
	p->last = now;
	if (p->failures >= c->auth_max_failures) {
		p->locked_until = now + c->auth_lockout;
		log_warnx("login lockout client=%s failures=%d seconds=%ld",
		    addr, p->failures, c->auth_lockout);
	}
	delay = p->failures * c->auth_fail_delay;
	return delay > DELAY_MAX ? DELAY_MAX : (int)delay;
}

static void
req_free(struct authreq *r)
{
	if (r->job.hash != NULL) {
		explicit_bzero(r->job.hash, strlen(r->job.hash));
		free(r->job.hash);
	}
	explicit_bzero(r, sizeof(*r));
	free(r);
}

/* the pool is done with a request: count it, then tell the session */
static void
req_done(struct authjob *j)
{
	struct authreq *r = (struct authreq *)j;
	struct server *srv = r->srv;
	struct account *a;
	struct peer *p;
	int delay = 0;

	if (r->counted && (p = peer_get(srv, j->client, 0)) != NULL &&
	    p->pending > 0)
		p->pending--;
	if (j->hash != NULL)
		r->result = j->match == 1 ? AUTH_OK : j->match == 0 ?
		    AUTH_FAILED : AUTH_BUSY;
	if (r->result == AUTH_FAILED)
		delay = auth_failed(srv, j->client);
	/* remember a good password, unless the account changed meanwhile */
	if (r->result == AUTH_OK && j->hash != NULL &&
	    (a = (struct account *)account_find(srv, r->name)) != NULL &&
	    strcmp(a->hash, j->hash) == 0) {
		memcpy(a->pwcache, r->mac, sizeof(r->mac));
		a->cached = 1;
	}
	if (r->cb != NULL)
		r->cb(r->arg, r->result, delay);
	req_free(r);
}

static void
req_drop(struct authjob *j)
{
	req_free((struct authreq *)j);
}

/*
 * The lock-out is checked here, when the credentials arrive, and a check
 * in flight counts as a failure until it is known not to be one: an
 * address never has more than auth_max_failures wrong passwords checked
 * per auth_lockout, however many connections it opens.
 */
struct authreq *
auth_start(struct server *srv, const char *client, const char *name,
    const char *pass, auth_done_fn cb, void *arg)
{
	const struct conf *c = srv->conf;
	const struct account *a;
	struct authreq *r;
	unsigned int maclen = sizeof(r->mac);
	time_t now = time(NULL);
	struct peer *p;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->srv = srv;
	r->cb = cb;
	r->arg = arg;
	r->job.done = req_done;
	snprintf(r->job.client, sizeof(r->job.client), "%s", client);
	snprintf(r->name, sizeof(r->name), "%s", name);
	if ((p = peer_get(srv, client, 1)) == NULL) {
		r->result = AUTH_BUSY;
		goto now;
	}
	if (p->failures > 0 && now - p->last > c->auth_lockout)
		p->failures = 0;
	if (p->locked_until > now) {
		r->result = AUTH_LOCKED;
		goto now;
	}
	if (p->failures + p->pending >= c->auth_max_failures) {
		r->result = AUTH_IN_FLIGHT;
		goto now;
	}
	p->pending++;
	r->counted = 1;
	accounts_reload(srv);
	a = account_find(srv, name);
	if (HMAC(EVP_sha256(), srv->accounts.cachekey,
	    sizeof(srv->accounts.cachekey), (const unsigned char *)pass,
	    strlen(pass), r->mac, &maclen) == NULL) {
		r->result = AUTH_BUSY;
		goto now;
	}
	if (a != NULL && a->cached &&
	    CRYPTO_memcmp(r->mac, a->pwcache, sizeof(r->mac)) == 0) {
		r->result = AUTH_OK;
		goto now;
	}
	if (strlen(pass) >= sizeof(r->job.pass)) {
		r->result = AUTH_FAILED;	/* longer than any SASL response */
		goto now;
	}
	/* an unknown name costs a hash too: names do not leak by timing */
	if ((r->job.hash = strdup(a != NULL ? a->hash :
	    srv->accounts.dummy)) == NULL) {
		r->result = AUTH_BUSY;
		goto now;
	}
	memcpy(r->job.pass, pass, strlen(pass) + 1);
now:
	authpool_submit(srv->authpool, &r->job);
	return r;
}

/* the session is going away: its request completes without it */
void
auth_cancel(struct authreq *r)
{
	r->cb = NULL;
	r->arg = NULL;
}

int
auth_pool_start(struct server *srv, char *err, size_t errsz)
{
	srv->authpool = authpool_new(srv->base, (int)srv->conf->auth_workers,
	    (int)srv->conf->auth_hashes_per_client, err, errsz);
	return srv->authpool == NULL ? -1 : 0;
}

void
auth_pool_stop(struct server *srv)
{
	authpool_free(srv->authpool, req_drop);
	srv->authpool = NULL;
}

/* tls_client_map: "FINGERPRINT account" per line */
int
certmap_load(struct server *srv, const char *path, char *err, size_t errsz)
{
	char line[512], fpr[TLS_FPR_SIZE], *p, *f, *acct;
	char (*v)[2][CONF_STRMAX];
	size_t ln = 0;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		ln++;
		p = line;
		f = strsep(&p, " \t\r\n");
		if (f == NULL || *f == '\0' || *f == '#')
			continue;
		while (p != NULL && (*p == ' ' || *p == '\t'))
			p++;
		acct = strsep(&p, " \t\r\n");
		if (tls_fingerprint_norm(f, fpr) == -1 || acct == NULL ||
		    !name_ok(acct) || (v = reallocarray(srv->certmap,
		    srv->ncertmap + 1, sizeof(*v))) == NULL) {
			snprintf(err, errsz, "%s:%zu: bad line", path, ln);
			fclose(fp);
			return -1;
		}
		srv->certmap = v;
		snprintf(v[srv->ncertmap][0], CONF_STRMAX, "%s", fpr);
		snprintf(v[srv->ncertmap][1], CONF_STRMAX, "%s", acct);
		srv->ncertmap++;
	}
	fclose(fp);
	return 0;
}

const char *
certmap_find(const struct server *srv, const char *fpr)
{
	size_t i;

	for (i = 0; i < srv->ncertmap; i++)
		if (strcmp(srv->certmap[i][0], fpr) == 0)
			return srv->certmap[i][1];
	return NULL;
}

static struct rate *
rate_get(struct server *srv, const char *name)
{
	struct rate *v;
	size_t i;

	for (i = 0; i < srv->nrates; i++)
		if (strcmp(srv->rates[i].name, name) == 0)
			return &srv->rates[i];
	if ((v = reallocarray(srv->rates, srv->nrates + 1, sizeof(*v))) == NULL)
		return NULL;
	srv->rates = v;
	memset(&v[srv->nrates], 0, sizeof(*v));
	snprintf(v[srv->nrates].name, sizeof(v->name), "%s", name);
	return &v[srv->nrates++];
}

/* a fixed one-hour window per account, in memory (reset by a restart) */
int
rate_ok(struct server *srv, const struct account *a)
{
	struct rate *r;
	time_t now = time(NULL);

	if (a->per_hour == 0)
		return 1;
	if ((r = rate_get(srv, a->name)) == NULL)
		return 0;
	if (now - r->hour >= 3600) {
		r->hour = now;
		r->count = 0;
	}
	return r->count < a->per_hour;
}

void
rate_add(struct server *srv, const struct account *a)
{
	struct rate *r;

	if (a->per_hour > 0 && (r = rate_get(srv, a->name)) != NULL)
		r->count++;
}

static int
b64_value(int c)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p;

	if (c == '\0' || (p = strchr(tab, c)) == NULL)
		return -1;
	return p - tab;
}

/* strict RFC 4648 base64 with padding; -1 if malformed or too long */
int
b64_decode(const char *in, unsigned char *out, size_t outsz, size_t *outlen)
{
	size_t len = strlen(in), i, n = 0;
	int v[4], j, pad;

	if (len % 4 != 0 || len / 4 * 3 > outsz)
		return -1;
	for (i = 0; i < len; i += 4) {
		pad = 0;
		for (j = 0; j < 4; j++) {
			if (in[i + j] == '=' && i + 4 == len && j >= 2) {
				v[j] = 0;
				pad++;
			} else if (pad || (v[j] = b64_value(in[i + j])) == -1)
				return -1;
		}
		out[n++] = v[0] << 2 | v[1] >> 4;
		if (pad < 2)
			out[n++] = (v[1] & 15) << 4 | v[2] >> 2;
		if (pad < 1)
			out[n++] = (v[2] & 3) << 6 | v[3];
	}
	*outlen = n;
	return 0;
}
