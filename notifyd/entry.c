/*
 * entry: the files of one notify entry.  notify/cur/ID is queued's entry
 * as taken, never changed here; notify/cur/ID.state holds what notifyd
 * learned (tries, next attempt, last reply per recipient) and is replaced
 * durably after every attempt, so a restart resumes where it stopped and
 * never sends again to a recipient whose 250 was recorded.  When every
 * recipient is final, sent/ID is written, the admin is alerted if needed,
 * and only then are the two files removed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uuid/uuid.h>

#include "kv.h"
#include "log.h"
#include "notifyd.h"
#include "path.h"
#include "spool.h"

#define ENVELOPE_MAX	65536
#define STATE_MAX	(1024 * 1024)

static const char *const kinds[] = { "dsn", "fax", "alert" };
static const char *const results[] = { "pending", "delivered", "bounced",
    "expired" };

const char *
entry_kind_name(enum entry_kind k)
{
	return kinds[k];
}

const char *
rcpt_result_name(enum rcpt_result r)
{
	return results[r];
}

/* an addr-spec as notifyd will put it in MAIL FROM or RCPT TO */
static int
addr_ok(const char *a, int empty_ok)
{
	const char *at;

	if (*a == '\0')
		return empty_ok;
	if (strlen(a) >= ADDR_MAX)
		return 0;
	for (const char *p = a; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>')
			return 0;
	at = strrchr(a, '@');
	return at != NULL && at != a && at[1] != '\0';
}

static int
fail(char *err, size_t errsz, const char *what)
{
	snprintf(err, errsz, "%s", what);
	errno = EINVAL;
	return -1;
}

static int
envelope_rcpts(struct entry *e, const struct kvlist *l, size_t *i,
    char *err, size_t errsz)
{
	size_t first = *i;

	while (*i < l->n && strcmp(l->v[*i].key, "rcpt") == 0)
		(*i)++;
	if ((e->nrcpt = *i - first) == 0)
		return fail(err, errsz, "no rcpt");
	if ((e->rcpt = calloc(e->nrcpt, sizeof(*e->rcpt))) == NULL)
		return fail(err, errsz, "out of memory");
	for (size_t r = 0; r < e->nrcpt; r++) {
		if (str_copy(e->rcpt[r].addr, l->v[first + r].val,
		    ADDR_MAX) == -1 || kv_unescape(e->rcpt[r].addr) == -1 ||
		    !addr_ok(e->rcpt[r].addr, 0))
			return fail(err, errsz, "bad rcpt");
	}
	return 0;
}

/* the envelope's keys in rampart-spool(5)'s order, nothing else */
static int
envelope(struct entry *e, const struct kvlist *l, const char *id,
    char *err, size_t errsz)
{
	static const char *const head[] = { "version", "id", "kind", "about",
	    "created", "mail_from" };
	size_t i;
	char *end;
	int k;

	for (i = 0; i < 6; i++)
		if (i >= l->n || strcmp(l->v[i].key, head[i]) != 0)
			return fail(err, errsz, "missing or misplaced key");
	if (strcmp(l->v[0].val, "1") != 0)
		return fail(err, errsz, "unknown version");
	if (strcmp(l->v[1].val, id) != 0)
		return fail(err, errsz, "id does not match the file name");
	for (k = 0; k < 3; k++)
		if (strcmp(l->v[2].val, kinds[k]) == 0)
			break;
	if (k == 3)
		return fail(err, errsz, "unknown kind");
	e->kind = k;
	if (str_copy(e->about, l->v[3].val, sizeof(e->about)) == -1 ||
	    kv_unescape(e->about) == -1)
		return fail(err, errsz, "bad about");
	errno = 0;
	e->created = strtoll(l->v[4].val, &end, 10);
	if (*l->v[4].val == '\0' || *end != '\0' || errno != 0 || e->created < 0)
		return fail(err, errsz, "bad created");
	if (str_copy(e->mail_from, l->v[5].val, ADDR_MAX) == -1 ||
	    kv_unescape(e->mail_from) == -1 || !addr_ok(e->mail_from, 1))
		return fail(err, errsz, "bad mail_from");
	if (envelope_rcpts(e, l, &i, err, errsz) == -1)
		return -1;
	if (i + 1 != l->n || strcmp(l->v[i].key, "size") != 0)
		return fail(err, errsz, "missing or misplaced key");
	if (strlen(l->v[i].val) != 20 ||
	    strspn(l->v[i].val, "0123456789") != 20)
		return fail(err, errsz, "size is not 20 digits");
	e->size = strtoll(l->v[i].val, NULL, 10);
	return 0;
}

/* reads the envelope of notify/cur/ID and checks size against the file */
static int
read_envelope(struct notifyd *nd, struct entry *e, char *err, size_t errsz)
{
	char path[64], *buf, *sep;
	struct kvlist l;
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd, rc = -1;

	if (path_fmt(path, sizeof(path), "notify/cur/%s", e->id) == -1 ||
	    (fd = spool_open_read(nd->spool, path)) == -1) {
		snprintf(err, errsz, "open: %s", strerror(errno));
		return -1;
	}
	if ((buf = malloc(ENVELOPE_MAX + 1)) == NULL) {
		close(fd);
		return fail(err, errsz, "out of memory");
	}
	while (len < ENVELOPE_MAX && (n = read(fd, buf + len,
	    ENVELOPE_MAX - len)) > 0)
		len += n;
	buf[len] = '\0';
	if (fstat(fd, &st) == -1 || (sep = memmem(buf, len, "\n\n", 2)) ==
	    NULL) {
		fail(err, errsz, "no end of envelope");
		goto out;
	}
	if (kv_parse(&l, buf, sep + 1 - buf, err, errsz) == -1)
		goto out;
	rc = envelope(e, &l, e->id, err, errsz);
	kv_free(&l);
	e->body = sep + 2 - buf;
	if (rc == 0 && e->size != st.st_size - e->body) {
		rc = fail(err, errsz, "size does not match the message");
	}
out:
	free(buf);
	close(fd);
	return rc;
}

static const char *const state_keys[] = { "rcpt", "result", "tries",
    "next", "time", "host", "tls", "verified", "reply", NULL };
static const char *const sent_keys[] = { "rcpt", "result", "time", "tries",
    "host", "tls", "verified", "reply", NULL };

static const char *
val(const char *const *keys, const char **v, const char *key)
{
	for (int k = 0; keys[k] != NULL; k++)
		if (strcmp(keys[k], key) == 0)
			return v[k];
	return "0";
}

/* one recipient's group, its keys in the order keys gives */
static int
group(struct rcpt *r, const struct kvlist *l, size_t *i,
    const char *const *keys)
{
	const char *v[9];
	char addr[ADDR_MAX];
	int k;

	for (k = 0; keys[k] != NULL; k++, (*i)++) {
		if (*i >= l->n || strcmp(l->v[*i].key, keys[k]) != 0)
			return -1;
		v[k] = l->v[*i].val;
	}
	for (k = 0; k < 4; k++)
		if (strcmp(v[1], results[k]) == 0)
			break;
	if (k == 4)
		return -1;
	if (str_copy(addr, v[0], sizeof(addr)) == -1 ||
	    kv_unescape(addr) == -1 || strcmp(addr, r->addr) != 0)
		return -1;
	r->result = k;
	r->tries = atoi(val(keys, v, "tries"));
	r->next = strtoll(val(keys, v, "next"), NULL, 10);
	r->last = strtoll(val(keys, v, "time"), NULL, 10);
	if (str_copy(r->host, val(keys, v, "host"), sizeof(r->host)) == -1 ||
	    str_copy(r->tls, val(keys, v, "tls"), sizeof(r->tls)) == -1 ||
	    str_copy(r->verified, val(keys, v, "verified"),
	    sizeof(r->verified)) == -1 ||
	    str_copy(r->reply, val(keys, v, "reply"), sizeof(r->reply)) == -1 ||
	    kv_unescape(r->host) == -1 || kv_unescape(r->tls) == -1 ||
	    kv_unescape(r->verified) == -1 || kv_unescape(r->reply) == -1)
		return -1;
	return 0;
}

/*
 * What is known of the recipients: sent/ID if the record was written
 * (a crash before the entry was removed: it must not be sent again),
 * else notify/cur/ID.state if there is one, else nothing yet.
 */
static int
read_state(struct notifyd *nd, struct entry *e, char *err, size_t errsz)
{
	const char *const *keys = sent_keys;
	char path[64], *buf;
	struct kvlist l;
	size_t len, i = 6;
	int rc = -1;

	if (path_fmt(path, sizeof(path), "sent/%s", e->id) == -1)
		return -1;
	if (spool_read(nd->spool, path, STATE_MAX, &buf, &len) == -1) {
		if (errno != ENOENT)
			goto bad;
		keys = state_keys;
		i = 2;
		if (path_fmt(path, sizeof(path), "notify/cur/%s.state",
		    e->id) == -1)
			return -1;
		if (spool_read(nd->spool, path, STATE_MAX, &buf, &len) == -1) {
			if (errno == ENOENT)
				return 0;
			goto bad;
		}
	}
	if (kv_parse(&l, buf, len, err, errsz) == -1)
		goto out;
	if (l.n < i || strcmp(l.v[0].key, "version") != 0 ||
	    strcmp(l.v[1].key, "id") != 0 || strcmp(l.v[1].val, e->id) != 0) {
		fail(err, errsz, "state: bad header");
		goto done;
	}
	for (size_t r = 0; r < e->nrcpt; r++)
		if (group(&e->rcpt[r], &l, &i, keys) == -1) {
			snprintf(err, errsz, "%s: bad or foreign rcpt lines",
			    path);
			goto done;
		}
	rc = i == l.n ? 0 : fail(err, errsz, "state: trailing lines");
done:
	kv_free(&l);
out:
	free(buf);
	return rc;
bad:
	snprintf(err, errsz, "%s: %s", path, strerror(errno));
	return -1;
}

int
entry_load(struct notifyd *nd, const char *id, int fresh, struct entry **ep,
    char *err, size_t errsz)
{
	struct entry *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return fail(err, errsz, "out of memory");
	snprintf(e->id, sizeof(e->id), "%s", id);
	if (read_envelope(nd, e, err, errsz) == -1 ||
	    (!fresh && read_state(nd, e, err, errsz) == -1)) {
		entry_free(e);
		return -1;
	}
	*ep = e;
	return 0;
}

void
entry_free(struct entry *e)
{
	if (e == NULL)
		return;
	free(e->rcpt);
	free(e);
}

/* a recipient's group in sent/ID, in rampart-spool(5)'s order */
static void
rcpt_lines(struct kvbuf *b, const struct rcpt *r)
{
	kvb_str(b, "rcpt", r->addr);
	kvb_str(b, "result", results[r->result]);
	kvb_num(b, "time", r->last);
	kvb_num(b, "tries", r->tries);
	kvb_str(b, "host", r->host);
	kvb_str(b, "tls", r->tls[0] ? r->tls : "none");
	kvb_str(b, "verified", r->verified);
	kvb_str(b, "reply", r->reply);
}

int
entry_save_state(struct notifyd *nd, const struct entry *e)
{
	struct kvbuf b;
	char name[64];
	int rc;

	kvb_init(&b);
	kvb_num(&b, "version", 1);
	kvb_str(&b, "id", e->id);
	for (size_t r = 0; r < e->nrcpt; r++) {
		const struct rcpt *rc_ = &e->rcpt[r];

		/* the state's order: rcpt result tries next time host ... */
		kvb_str(&b, "rcpt", rc_->addr);
		kvb_str(&b, "result", results[rc_->result]);
		kvb_num(&b, "tries", rc_->tries);
		kvb_num(&b, "next", rc_->next);
		kvb_num(&b, "time", rc_->last);
		kvb_str(&b, "host", rc_->host);
		kvb_str(&b, "tls", rc_->tls);
		kvb_str(&b, "verified", rc_->verified);
		kvb_str(&b, "reply", rc_->reply);
	}
	if (b.err || path_fmt(name, sizeof(name), "%s.state", e->id) == -1) {
		kvb_free(&b);
		errno = ENOMEM;
		return -1;
	}
	rc = spool_replace(nd->spool, "notify/cur", name, b.buf, b.len);
	kvb_free(&b);
	return rc;
}

static void
uuid_for(const char *name, char out[ID_SIZE])
{
	/* a fixed namespace: the same entry always gets the same alert id */
	static const uuid_t ns = { 0x6e, 0x6f, 0x74, 0x69, 0x66, 0x79, 0x64,
	    0x2d, 0x72, 0x61, 0x6d, 0x70, 0x61, 0x72, 0x74, 0x31 };
	uuid_t u;

	uuid_generate_sha1(u, ns, name, strlen(name));
	uuid_unparse_lower(u, out);
}

/* formatted text into the alert; each piece is far below the buffer */
static void __attribute__((format(printf, 2, 3)))
put(struct kvbuf *m, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		m->err = 1;
	else
		kvb_raw(m, line, n);
}

static void
alert_body(struct kvbuf *m, const struct entry *e, const char *hostname)
{
	put(m, "rampart could not deliver mail %s "
	    "(%s about %s) from <%s>.\r\n\r\n", e->id, kinds[e->kind],
	    e->about, e->mail_from);
	for (size_t r = 0; r < e->nrcpt; r++) {
		const struct rcpt *rc = &e->rcpt[r];

		if (rc->result == RCPT_DELIVERED)
			continue;
		put(m, "<%s>: %s after %d tries\r\n"
		    "  host: %s\r\n  reply: %s\r\n", rc->addr,
		    results[rc->result], rc->tries,
		    rc->host[0] ? rc->host : "-",
		    rc->reply[0] ? rc->reply : "-");
	}
	put(m, "\r\nThe delivery record is sent/%s on %s.\r\n", e->id,
	    hostname);
}

/* RFC 4161 2.5: the admin hears of mail that could not be delivered */
static int
alert(struct notifyd *nd, const struct entry *e)
{
	char aid[ID_SIZE], name[64], admin[ADDR_MAX], date[64], hdr[2048];
	struct kvbuf m, b;
	time_t now = time(NULL);
	int rc;

	uuid_for(e->id, aid);
	if (path_fmt(admin, sizeof(admin), strchr(nd->conf->admin, '@') ?
	    "%s" : "%s@%s", nd->conf->admin, nd->hostname) == -1)
		return -1;
	/* after a crash: published (or sent) already */
	for (int i = 0; i < 3; i++) {
		static const char *const where[] = { "notify/new", "notify/cur",
		    "sent" };
		if (path_fmt(name, sizeof(name), "%s/%s", where[i], aid) == 0 &&
		    faccessat(spool_dirfd(nd->spool), name, F_OK,
		    AT_SYMLINK_NOFOLLOW) == 0)
			return 0;
	}
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    gmtime(&now));
	snprintf(hdr, sizeof(hdr), "From: Mail Delivery System "
	    "<MAILER-DAEMON@%s>\r\nTo: <%s>\r\nSubject: rampart: undelivered "
	    "%s %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n"
	    "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=us-ascii\r\n\r\n", nd->hostname,
	    admin, kinds[e->kind], e->id, date, aid, nd->hostname);
	kvb_init(&m);
	kvb_raw(&m, hdr, strlen(hdr));
	alert_body(&m, e, nd->hostname);
	kvb_init(&b);
	kvb_num(&b, "version", 1);
	kvb_str(&b, "id", aid);
	kvb_str(&b, "kind", "alert");
	kvb_str(&b, "about", e->id);
	kvb_num(&b, "created", now);
	kvb_str(&b, "mail_from", "");
	kvb_str(&b, "rcpt", admin);
	kvb_fmt(&b, "size", "%020zu", m.len);
	kvb_raw(&b, "\n", 1);
	kvb_raw(&b, m.buf, m.len);
	if (b.err || m.err) {
		errno = ENOMEM;
		rc = -1;
	} else
		rc = spool_put(nd->spool, "notify", aid, b.buf, b.len);
	if (rc == -1 && errno == EEXIST)
		rc = 0;
	kvb_free(&m);
	kvb_free(&b);
	if (rc == 0) {
		log_info("id=%s alert=%s admin=%s", e->id, aid, admin);
		queue_add(nd, aid);
	}
	return rc;
}

/* no alert about an alert, nor about a null-sender notice refused */
static int
wants_alert(const struct entry *e)
{
	int failed = 0, expired = 0;

	if (e->kind == KIND_ALERT)
		return 0;
	for (size_t r = 0; r < e->nrcpt; r++) {
		failed += e->rcpt[r].result != RCPT_DELIVERED;
		expired += e->rcpt[r].result == RCPT_EXPIRED;
	}
	if (failed == 0)
		return 0;
	return e->mail_from[0] != '\0' || expired > 0;
}

/*
 * sent/ID, synced but not its directory: the caller syncs sent/ once for
 * all the records of a round (spool_sync) before entry_close().
 */
int
entry_record(struct notifyd *nd, struct entry *e)
{
	struct kvbuf b;
	int rc;

	kvb_init(&b);
	kvb_num(&b, "version", 1);
	kvb_str(&b, "id", e->id);
	kvb_str(&b, "kind", kinds[e->kind]);
	kvb_str(&b, "about", e->about);
	kvb_num(&b, "created", e->created);
	kvb_num(&b, "finished", time(NULL));
	for (size_t r = 0; r < e->nrcpt; r++)
		rcpt_lines(&b, &e->rcpt[r]);
	if (b.err) {
		kvb_free(&b);
		errno = ENOMEM;
		return -1;
	}
	rc = spool_replace_nosync(nd->spool, "sent", e->id, b.buf, b.len);
	kvb_free(&b);
	return rc;
}

/* once the record is durable: the alert if one is due, then removal */
int
entry_close(struct notifyd *nd, struct entry *e)
{
	char path[64];

	if (wants_alert(e) && alert(nd, e) == -1)
		log_warn("id=%s: alert", e->id);
	/*
	 * Not synced: an entry that comes back after a crash comes back with
	 * its record, and read_state() takes the results from it.
	 */
	if (path_fmt(path, sizeof(path), "notify/cur/%s.state", e->id) == 0 &&
	    spool_unlink_lazy(nd->spool, path) == -1 && errno != ENOENT)
		log_warn("id=%s: remove %s", e->id, path);
	if (path_fmt(path, sizeof(path), "notify/cur/%s", e->id) == 0 &&
	    spool_unlink_lazy(nd->spool, path) == -1 && errno != ENOENT) {
		log_warn("id=%s: remove %s", e->id, path);
		return -1;
	}
	return 0;
}
