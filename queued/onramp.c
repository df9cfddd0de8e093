/*
 * onramp: received faxes (recv/new/ID from faxgetty) authorized, routed
 * and mailed (RFC 4161 section 3).
 *
 * Each fax goes through steps that are each durable and safe to redo, so
 * that a crash anywhere ends in exactly one mail per fax:
 *   1. recv/new/ID is taken into recv/cur/ID;
 *   2. the decision (authorized or not, by which rule; the route, its
 *      recipients, attachments and encryption; the notice id, derived
 *      from the fax id) is written as recv/cur/ID/route, unless it is
 *      there already: a redo keeps the first decision;
 *   3. the mail is composed and published as notify/new/NID unless NID
 *      was published already (mail_publish checks notify/ and sent/);
 *   4. one onramp log line, then recv/cur/ID moves to done/ID.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "faxrules.h"
#include "kv.h"
#include "log.h"
#include "mail.h"
#include "onramp.h"
#include "path.h"
#include "queued.h"
#include "spool.h"
#include "xferlog.h"

#define META_MAX	(64 * 1024)
#define TIFF_MAX	(512L * 1024 * 1024)
#define MAXRCPT		32

struct fax {
	char		 id[ID_SIZE];
	char		 dir[64];		/* recv/cur/ID */
	int		 meta_ok;
	int		 meta_line;		/* the bad line */
	char		 cid[64], name[64], did[64], sub[64], tsi[64];
	char		 dtmf[64], device[64];
	long long	 pages, complete, started, duration, rate;

	/* the decision (the route file) */
	int		 authorized;
	char		 rule[300], route[300], reason[512];
	char		 rcpt[MAXRCPT][256];
	size_t		 nrcpt;
	int		 attach;
	char		 cert[256];		/* "" = not encrypted */
	char		 nid[ID_SIZE];
};

static void
copy_clean(char *dst, size_t sz, const char *src)
{
	char *c = mail_clean(src, sz - 1);

	(void)str_copy(dst, c, sz);
	g_free(c);
}

static void
meta_read(struct qd *q, struct fax *f)
{
	char path[128], *buf = NULL, tmp[256];
	struct kvlist l;
	size_t len;
	int r;

	f->meta_ok = 0;
	(void)path_fmt(path, sizeof(path), "%s/meta", f->dir);
	if (spool_read(q->sp, path, META_MAX, &buf, &len) == -1) {
		log_warn("fax=%s meta", f->id);
		return;
	}
	if (kv_parse(&l, buf, len, NULL, 0) == -1) {
		f->meta_line = l.line;
		free(buf);
		return;
	}
	free(buf);
	r = 0;
#define STR(k, dst) \
	do { \
		if (kv_str(&l, k, tmp, sizeof(tmp)) == -1) \
			r = -1; \
		else \
			copy_clean(dst, sizeof(dst), tmp); \
	} while (0)
	STR("caller_id", f->cid);
	STR("caller_name", f->name);
	STR("did", f->did);
	STR("subaddress", f->sub);
	STR("tsi", f->tsi);
	STR("dtmf", f->dtmf);
	STR("device", f->device);
#undef STR
	if (r == -1 || kv_str(&l, "id", tmp, sizeof(tmp)) == -1 ||
	    strcmp(tmp, f->id) != 0 ||
	    kv_num(&l, "pages", 0, 100000, 0, &f->pages) == -1 ||
	    kv_num(&l, "complete", 0, 1, 1, &f->complete) == -1 ||
	    kv_num(&l, "started", 0, INT64_MAX, 0, &f->started) == -1 ||
	    kv_num(&l, "duration", 0, INT64_MAX, 0, &f->duration) == -1 ||
	    kv_num(&l, "bit_rate", 0, 1000000, 0, &f->rate) == -1)
		f->meta_line = 0;
	else
		f->meta_ok = 1;
	kv_free(&l);
}

static void
to_admin(struct qd *q, struct fax *f, const char *reason)
{
	(void)str_copy(f->route, "admin", sizeof(f->route));
	(void)str_copy(f->reason, reason, sizeof(f->reason));
	(void)str_copy(f->rcpt[0], q->conf->admin, sizeof(f->rcpt[0]));
	f->nrcpt = 1;
	f->attach = FR_ATTACH_PDF;
	f->cert[0] = '\0';
}

/* step 2: authorize and route with the table as it is now */
static int
decide(struct qd *q, struct fax *f)
{
	char err[2048], where[300], reason[512];
	const struct fr_rule *r, *rt;
	struct faxrules t;
	struct fr_call c;
	size_t i;

	id_derive(f->nid, f->id, "fax", 3);
	if (!f->meta_ok) {
		f->authorized = 0;
		(void)str_copy(f->rule, "default", sizeof(f->rule));
		(void)snprintf(reason, sizeof(reason), "the fax's meta file is "
		    "unreadable (line %d): not authorized", f->meta_line);
		to_admin(q, f, reason);
		return 0;
	}
	if (faxrules_load(&t, q->conf->route_file, err, sizeof(err)) == -1) {
		log_warnx("fax=%s left in recv/cur: route_file has errors: %s",
		    f->id, err);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.f[FR_DID] = f->did;
	c.f[FR_CID] = f->cid;
	c.f[FR_TSI] = f->tsi;
	c.f[FR_SUB] = f->sub;
	c.f[FR_DTMF] = f->dtmf;
	f->authorized = faxrules_authorize(&t, &c, &r);
	faxrules_where(&t, r, f->rule, sizeof(f->rule));
	if (!f->authorized) {
		(void)snprintf(reason, sizeof(reason), "not authorized: %s%s",
		    r != NULL ? "refused by rule " : "the default is deny",
		    r != NULL ? f->rule : "");
		to_admin(q, f, reason);
	} else if ((rt = faxrules_route(&t, &c)) == NULL) {
		(void)snprintf(reason, sizeof(reason), "unroutable: no route "
		    "for called number \"%s\", sub-address \"%s\", TSI \"%s\" "
		    "and no default route", f->did, f->sub, f->tsi);
		to_admin(q, f, reason);
	} else {
		faxrules_where(&t, rt, where, sizeof(where));
		(void)str_copy(f->route, where, sizeof(f->route));
		f->reason[0] = '\0';
		for (i = 0; i < rt->nto && i < MAXRCPT; i++)
			(void)str_copy(f->rcpt[i], rt->to[i],
			    sizeof(f->rcpt[i]));
		f->nrcpt = i;
		f->attach = rt->attach;
		(void)str_copy(f->cert, rt->encrypt ? rt->encrypt : "",
		    sizeof(f->cert));
	}
	faxrules_free(&t);
	return 0;
}

static int
route_write(struct qd *q, struct fax *f)
{
	struct kvbuf b;
	char notice[64];
	size_t i;
	int r;

	kvb_init(&b);
	kvb_str(&b, "version", "1");
	kvb_str(&b, "id", f->id);
	kvb_num(&b, "authorized", f->authorized);
	kvb_str(&b, "rule", f->rule);
	kvb_str(&b, "route", f->route);
	kvb_str(&b, "reason", f->reason);
	for (i = 0; i < f->nrcpt; i++)
		kvb_str(&b, "rcpt", f->rcpt[i]);
	kvb_str(&b, "attach", faxrules_attach_name(f->attach));
	kvb_num(&b, "encrypted", f->cert[0] != '\0');
	if (f->cert[0] != '\0')
		kvb_str(&b, "certificate", f->cert);
	(void)snprintf(notice, sizeof(notice), "%s fax", f->nid);
	kvb_str(&b, "notice", notice);
	if (b.err) {
		kvb_free(&b);
		errno = ENOMEM;
		return -1;
	}
	r = spool_replace(q->sp, f->dir, "route", b.buf, b.len);
	kvb_free(&b);
	return r;
}

/* a route file written before a crash: its decision is kept */
static int
route_read(struct qd *q, struct fax *f)
{
	char path[128], *buf, att[16], nt[64], enc[4];
	struct kvlist l;
	long long a;
	size_t len, i = 0;
	const char *v;
	int ok = 0;

	(void)path_fmt(path, sizeof(path), "%s/route", f->dir);
	if (spool_read(q->sp, path, META_MAX, &buf, &len) == -1)
		return -1;
	if (kv_parse(&l, buf, len, NULL, 0) == -1) {
		free(buf);
		return -1;
	}
	free(buf);
	f->nrcpt = 0;
	while ((v = kv_next(&l, "rcpt", &i)) != NULL && f->nrcpt < MAXRCPT)
		if (str_copy(f->rcpt[f->nrcpt++], v, sizeof(f->rcpt[0])) == -1)
			goto out;
	if (f->nrcpt == 0 ||
	    kv_num(&l, "authorized", 0, 1, 0, &a) == -1 ||
	    kv_str(&l, "rule", f->rule, sizeof(f->rule)) == -1 ||
	    kv_str(&l, "route", f->route, sizeof(f->route)) == -1 ||
	    kv_str(&l, "reason", f->reason, sizeof(f->reason)) == -1 ||
	    kv_str(&l, "attach", att, sizeof(att)) == -1 ||
	    kv_str(&l, "encrypted", enc, sizeof(enc)) == -1 ||
	    kv_str(&l, "certificate", f->cert, sizeof(f->cert)) == -1 ||
	    kv_str(&l, "notice", nt, sizeof(nt)) == -1)
		goto out;
	f->authorized = (int)a;
	f->attach = strcmp(att, "tiff") == 0 ? FR_ATTACH_TIFF :
	    strcmp(att, "both") == 0 ? FR_ATTACH_BOTH : FR_ATTACH_PDF;
	if (strlen(nt) < ID_LEN + 1 || nt[ID_LEN] != ' ')
		goto out;
	nt[ID_LEN] = '\0';
	if (!id_valid(nt))
		goto out;
	(void)str_copy(f->nid, nt, sizeof(f->nid));
	if (strcmp(enc, "1") == 0 && f->cert[0] == '\0')
		goto out;
	ok = 1;
out:
	kv_free(&l);
	return ok ? 0 : -1;
}

static void
when(char *buf, size_t sz, time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, sz, "%a, %d %b %Y %H:%M:%S %z", &tm);
}

static GString *
body_text(struct qd *q, const struct fax *f, const char *pdf_err)
{
	GString *t = g_string_new(NULL);
	char date[64];

	g_string_append_printf(t, "A fax was received by the fax gateway "
	    "%s.\n\n", q->hostname);
	if (f->reason[0] != '\0')
		g_string_append_printf(t, "It was NOT delivered to a "
		    "recipient: %s.\n\n", f->reason);
	if (!f->meta_ok) {
		g_string_append_printf(t, "The fax's details (caller, pages) "
		    "could not be read.\n  Fax id:      %s\n", f->id);
		return t;
	}
	g_string_append_printf(t, "  Caller id:   %s\n",
	    f->cid[0] ? f->cid : "(none)");
	if (f->name[0] != '\0')
		g_string_append_printf(t, "  Caller name: %s\n", f->name);
	g_string_append_printf(t, "  Station id:  %s\n",
	    f->tsi[0] ? f->tsi : "(none)");
	g_string_append_printf(t, "  Called:      %s\n",
	    f->did[0] ? f->did : "(unknown)");
	if (f->sub[0] != '\0')
		g_string_append_printf(t, "  Sub-address: %s\n", f->sub);
	g_string_append_printf(t, "  Pages:       %lld\n", f->pages);
	when(date, sizeof(date), (time_t)f->started);
	g_string_append_printf(t, "  Received:    %s\n", date);
	g_string_append_printf(t, "  Duration:    %lld s\n", f->duration);
	if (f->complete)
		g_string_append(t, "  Status:      complete\n");
	else
		g_string_append_printf(t, "  Status:      incomplete: the call "
		    "broke after page %lld\n", f->pages);
	g_string_append_printf(t, "  Fax id:      %s\n", f->id);
	if (pdf_err != NULL)
		g_string_append_printf(t, "\nThe fax could not be made into a "
		    "PDF (%s); the TIFF file is attached as received.\n",
		    pdf_err);
	return t;
}

static GMimeObject *
attachment(const char *type, const char *sub, const guint8 *data,
    size_t len, const char *name)
{
	GMimeObject *p = mail_blob(type, sub, data, len, name, 1);

	g_mime_object_set_disposition(p, "attachment");
	g_mime_part_set_filename(GMIME_PART(p), name);
	return p;
}

/* the text and the attachments, as a multipart/mixed entity */
static GMimeObject *
content(struct qd *q, const struct fax *f)
{
	char path[128], err[256], name[64];
	GMimeMultipart *mp = g_mime_multipart_new_with_subtype("mixed");
	struct pdfbuf pdf = { NULL, 0, 0 };
	GMimeObject *p;
	GString *t;
	char *tif = NULL;
	size_t tiflen = 0;
	int fd, np, want_tiff = f->attach & FR_ATTACH_TIFF;
	const char *pdf_err = NULL;

	(void)path_fmt(path, sizeof(path), "%s/fax.tif", f->dir);
	if (f->attach & FR_ATTACH_PDF) {
		if ((fd = spool_open_read(q->sp, path)) == -1)
			(void)snprintf(err, sizeof(err), "%s", strerror(errno));
		if (fd == -1 || pdf_from_tiff(fd, &pdf, &np, err,
		    sizeof(err)) == -1) {
			pdf_err = err;
			want_tiff = 1;
			log_warnx("fax=%s no PDF: %s", f->id, err);
		}
	}
	if (want_tiff && spool_read(q->sp, path, TIFF_MAX, &tif,
	    &tiflen) == -1) {
		log_warn("fax=%s cannot read fax.tif", f->id);
		tif = NULL;
	}
	t = body_text(q, f, pdf_err);
	if (want_tiff && tif == NULL)
		g_string_append(t, "\nThe fax's TIFF file could not be read; "
		    "the gateway's administrator has it.\n");
	p = mail_text(t->str);
	g_string_free(t, TRUE);
	g_mime_multipart_add(mp, p);
	g_object_unref(p);
	if (pdf.data != NULL) {
		(void)snprintf(name, sizeof(name), "fax-%.8s.pdf", f->id);
		p = attachment("application", "pdf", (const guint8 *)pdf.data,
		    pdf.len, name);
		g_mime_multipart_add(mp, p);
		g_object_unref(p);
		free(pdf.data);
	}
	if (tif != NULL) {
		/* RFC 3965 simple mode */
		(void)snprintf(name, sizeof(name), "fax-%.8s.tif", f->id);
		p = attachment("image", "tiff", (const guint8 *)tif, tiflen,
		    name);
		g_mime_object_set_content_type_parameter(p, "application",
		    "faxbw");
		g_mime_multipart_add(mp, p);
		g_object_unref(p);
		free(tif);
	}
	return GMIME_OBJECT(mp);
}

/* the entity in S/MIME enveloped-data; NULL with err */
static GMimeObject *
encrypt(const struct fax *f, GMimeObject *inner, char *err, size_t errsz)
{
	GMimeFormatOptions *fo = g_mime_format_options_clone(NULL);
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *ba, *der = NULL;
	GMimeObject *p = NULL;

	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	if (g_mime_object_write_to_stream(inner, fo, mem) == -1) {
		(void)snprintf(err, errsz, "cannot write the mail");
		goto out;
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (smime_encrypt(f->cert, ba->data, ba->len, &der, err, errsz) == -1)
		goto out;
	p = attachment("application", "pkcs7-mime", der->data, der->len,
	    "smime.p7m");
	g_mime_object_set_content_type_parameter(p, "smime-type",
	    "enveloped-data");
	g_mime_object_set_content_type_parameter(p, "name", "smime.p7m");
	g_byte_array_unref(der);
out:
	g_object_unref(mem);
	g_mime_format_options_free(fo);
	return p;
}

static void
from_addr(struct qd *q, char *buf, size_t sz)
{
	if (q->conf->fax_from[0] != '\0')
		(void)str_copy(buf, q->conf->fax_from, sz);
	else
		(void)snprintf(buf, sz, "fax@%s", q->hostname);
}

/* step 3; 0 published (now or before), -1 not (left for a rescan) */
static int
publish(struct qd *q, struct fax *f)
{
	char from[300], err[512], subj[400], reason[1024];
	const char *rcpt[MAXRCPT];
	GMimeMessage *m;
	GMimeObject *body, *enc;
	GString *s;
	size_t i;
	int r;

	if (mail_exists(q->sp, f->nid))
		return 0;
	from_addr(q, from, sizeof(from));
	body = content(q, f);
	if (f->cert[0] != '\0') {
		if ((enc = encrypt(f, body, err, sizeof(err))) == NULL) {
			/* never in clear to the recipient: to the admin */
			log_warnx("fax=%s cannot encrypt: %s", f->id, err);
			g_object_unref(body);
			(void)snprintf(reason, sizeof(reason), "the mail to %s "
			    "could not be encrypted: %s", f->rcpt[0], err);
			to_admin(q, f, reason);
			if (route_write(q, f) == -1) {
				log_warn("fax=%s route", f->id);
				return -1;
			}
			body = content(q, f);
		} else {
			g_object_unref(body);
			body = enc;
		}
	}
	s = g_string_new(NULL);
	if (f->cert[0] != '\0')
		g_string_append(s, "Fax received (encrypted)");
	else {
		if (f->reason[0] != '\0')
			g_string_append(s, f->authorized ? "Unroutable fax " :
			    "Unauthorized fax ");
		else
			g_string_append(s, "Fax ");
		g_string_append_printf(s, "from %s", f->cid[0] ? f->cid :
		    f->tsi[0] ? f->tsi : "an unknown caller");
		if (f->name[0] != '\0')
			g_string_append_printf(s, " (%s)", f->name);
		if (f->meta_ok)
			g_string_append_printf(s, ", %lld page%s%s", f->pages,
			    f->pages == 1 ? "" : "s",
			    f->complete ? "" : " (incomplete)");
	}
	(void)str_copy(subj, s->str, sizeof(subj));
	g_string_free(s, TRUE);
	m = mail_new(q->hostname, f->nid, "Fax gateway", from, NULL, subj,
	    "auto-generated");
	for (i = 0; i < f->nrcpt; i++) {
		g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, NULL,
		    f->rcpt[i]);
		rcpt[i] = f->rcpt[i];
	}
	g_mime_object_set_header(GMIME_OBJECT(m), "X-Fax-Id", f->id, NULL);
	g_mime_message_set_mime_part(m, body);
	g_object_unref(body);
	r = mail_publish(q, f->nid, "fax", f->id, from, rcpt, f->nrcpt,
	    GMIME_OBJECT(m));
	g_object_unref(m);
	return r == -1 ? -1 : 0;
}

/* RFC 4161 3.2: log/onramp, one tab-separated line per fax */
static void
onramp_log(struct qd *q, const struct fax *f)
{
	char line[4096], date[32], cid[128], tsi[128], did[128], rc[2048];
	char rule[400], route[400];
	struct tm tm;
	time_t now = time(NULL);
	size_t i, used = 0;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	rc[0] = '\0';
	for (i = 0; i < f->nrcpt; i++) {
		int n = snprintf(rc + used, sizeof(rc) - used, "%s%s",
		    i ? "," : "", f->rcpt[i]);
		if (n < 0 || (size_t)n >= sizeof(rc) - used)
			break;
		used += (size_t)n;
	}
	if (snprintf(line, sizeof(line), "%s\t%s\t%s\t\"%s\"\t%s\t%lld\t%s\t"
	    "%s %s\t%s\t%s\t%s\n", date, f->id,
	    log_escape(cid, sizeof(cid), f->cid[0] ? f->cid : "-"),
	    log_escape(tsi, sizeof(tsi), f->tsi),
	    log_escape(did, sizeof(did), f->did[0] ? f->did : "-"),
	    f->pages, f->complete ? "complete" : "incomplete",
	    f->authorized ? "allow" : "deny",
	    log_escape(rule, sizeof(rule), f->rule),
	    log_escape(route, sizeof(route), f->route), rc,
	    f->nid) >= (int)sizeof(line))
		line[0] = '\0';	/* too long for one line: syslog only */
	log_info("fax=%s caller=%s tsi=%s did=%s pages=%lld %s auth=%s "
	    "rule=%s route=%s rcpt=%s notice=%s", f->id, cid, tsi, did,
	    f->pages, f->complete ? "complete" : "incomplete",
	    f->authorized ? "allow" : "deny", rule, route, rc, f->nid);
	if (line[0] != '\0' &&
	    xferlog_append_line(q->sp, "log/onramp", line) == -1)
		log_warn("fax=%s log/onramp", f->id);
}

/* steps 2 to 4 for recv/cur/ID */
static void
process(struct qd *q, const char *id)
{
	char to[64];
	struct fax *f;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		log_warn("fax=%s", id);
		return;
	}
	(void)str_copy(f->id, id, sizeof(f->id));
	(void)path_fmt(f->dir, sizeof(f->dir), "recv/cur/%s", id);
	meta_read(q, f);
	if (route_read(q, f) == -1) {
		if (decide(q, f) == -1)
			goto out;
		if (route_write(q, f) == -1) {
			log_warn("fax=%s cannot write its route", id);
			goto out;
		}
	}
	if (publish(q, f) == -1)
		goto out;
	onramp_log(q, f);
	(void)path_fmt(to, sizeof(to), "done/%s", id);
	if (spool_move(q->sp, f->dir, to) == -1)
		log_warn("fax=%s cannot move to done/", id);
out:
	free(f);
}

void
onramp_one(struct qd *q, const char *id)
{
	char path[64];

	if (!id_valid(id))
		return;
	if (spool_take(q->sp, "recv", id) == -1 && errno != ENOENT) {
		log_warn("fax=%s cannot take it", id);
		return;
	}
	(void)path_fmt(path, sizeof(path), "recv/cur/%s", id);
	if (qd_exists(q, path))
		process(q, id);
}

static int
cur_cb(const char *name, void *arg)
{
	if (id_valid(name))
		process(arg, name);
	return 0;
}

static int
new_cb(const char *name, void *arg)
{
	if (id_valid(name))
		onramp_one(arg, name);
	return 0;
}

void
onramp_scan(struct qd *q)
{
	(void)spool_scan(q->sp, "recv/cur", cur_cb, q);
	(void)spool_scan(q->sp, "recv/new", new_cb, q);
}

int onramp_strict_certs = 1;

int
onramp_conf_check(const struct conf *c, char *err, size_t errsz)
{
	char e[512];
	struct faxrules t;
	size_t i, used;
	int bad = 0;

	if (faxrules_load(&t, c->route_file, err, errsz) == -1)
		return -1;
	for (i = 0; i <= t.nrules; i++) {
		const struct fr_rule *r = i < t.nrules ? &t.rules[i] :
		    t.route_default;

		if (r == NULL || r->encrypt == NULL)
			continue;
		if (smime_check(r->encrypt, e, sizeof(e)) == 0)
			continue;
		if (!onramp_strict_certs) {
			/* at start: that route's faxes go to the admin */
			fprintf(stderr, "%s:%d: warning: encrypt: %s\n", t.file,
			    r->line, e);
			continue;
		}
		used = strnlen(err, errsz);
		if (used + 1 < errsz)
			(void)snprintf(err + used, errsz - used,
			    "%s:%d: encrypt: %s\n", t.file, r->line, e);
		bad = 1;
	}
	faxrules_free(&t);
	return bad ? -1 : 0;
}
