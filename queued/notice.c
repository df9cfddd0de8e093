/*
 * notice: delivery status notices (RFC 3464 multipart/report, RFC 4161
 * 2.4) and admin alerts, composed with GMime and published into notify/.
 * A notice's id is derived from the job (per-recipient) or the message
 * (per-message), so a notice made again after a crash is the same notice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "kv.h"
#include "log.h"
#include "mail.h"
#include "path.h"
#include "queued.h"
#include "spool.h"

#define NOTICE_MAXJOBS	256

/* one recipient's facts, from its job file and its last result */
struct rcptinfo {
	char	id[ID_SIZE];
	char	address[512], number[64], outcome[32], reason[1024];
	char	remote[128], t30[256];
	long long pages, confirmed, tries, rate, finished;
};

static const struct {
	const char *reason, *words, *status;
} reasons[] = {
	{ "ok", "every page was received by the far end", "2.0.0" },
	{ "busy", "the number was busy at every try", "5.4.1" },
	{ "no_answer", "nobody answered the call", "5.4.1" },
	{ "no_carrier", "the call was answered, but not by a fax machine",
	    "5.4.1" },
	{ "no_dialtone", "the gateway's line had no dial tone", "5.4.0" },
	{ "number_invalid", "the number is not a valid fax number", "5.1.1" },
	{ "modem_failure", "the gateway's fax modem failed", "5.3.0" },
	{ "modem_lost", "the gateway's fax modem stopped during the call",
	    "5.3.0" },
	{ "too_many_rtn", "the receiving machine could not read the pages "
	    "and asked for them again too often", "5.3.0" },
	{ "cancelled by the administrator", "the fax was cancelled by the "
	    "gateway's administrator", "5.0.0" },
	{ "nothing_to_fax", "the message had no attachment or text that "
	    "could be faxed", "5.6.0" },
	{ "too_many_pages", "the documents have more pages than this "
	    "gateway sends in one fax", "5.3.4" },
	{ NULL, NULL, NULL }
};

static void
explain(const char *reason, const char **words, const char **status)
{
	int i;

	for (i = 0; reasons[i].reason != NULL; i++)
		if (strcmp(reasons[i].reason, reason) == 0) {
			*words = reasons[i].words;
			*status = reasons[i].status;
			return;
		}
	if (strncmp(reason, "document:", 9) == 0) {
		*words = reason + 9;	/* convert's own words */
		*status = "5.6.1";
		return;
	}
	*words = "the fax call failed";
	*status = "5.0.0";
}

/* text that goes into a delivery-status field: printable ASCII only */
static void
ascii(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

static int
info_read(struct qd *q, const char *dir, const char *id, struct kvlist *job,
    struct rcptinfo *r)
{
	char path[128], *buf;
	struct kvlist res;
	long long tr;
	size_t len;

	memset(r, 0, sizeof(*r));
	(void)str_copy(r->id, id, sizeof(r->id));
	if (kv_str(job, "address", r->address, sizeof(r->address)) == -1 ||
	    kv_str(job, "e164", r->number, sizeof(r->number)) == -1 ||
	    kv_str(job, "outcome", r->outcome, sizeof(r->outcome)) == -1 ||
	    kv_str(job, "reason", r->reason, sizeof(r->reason)) == -1 ||
	    kv_num(job, "pages", 0, 100000, 0, &r->pages) == -1 ||
	    kv_num(job, "try", 1, 1000, 1, &tr) == -1 ||
	    kv_num(job, "finished", 0, INT64_MAX, 0, &r->finished) == -1)
		return -1;
	r->tries = tr - 1;
	ascii(r->address);
	if (r->tries > 0 &&
	    path_fmt(path, sizeof(path), "%s/%s/result.%lld", dir, id,
	    r->tries) == 0 &&
	    spool_read(q->sp, path, 64 * 1024, &buf, &len) == 0) {
		if (kv_parse(&res, buf, len, NULL, 0) == 0) {
			(void)kv_str(&res, "remote_id", r->remote,
			    sizeof(r->remote));
			(void)kv_str(&res, "t30_text", r->t30, sizeof(r->t30));
			(void)kv_num(&res, "pages_confirmed", 0, 100000, 0,
			    &r->confirmed);
			(void)kv_num(&res, "bit_rate", 0, 100000, 0, &r->rate);
			kv_free(&res);
		}
		free(buf);
	}
	ascii(r->remote);
	ascii(r->t30);
	if (strcmp(r->outcome, "ok") == 0)
		r->confirmed = r->pages;
	return 0;
}

static void
date822(char *buf, size_t sz, time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, sz, "%a, %d %b %Y %H:%M:%S %z", &tm);
}

static void
human(GString *t, const struct rcptinfo *r)
{
	const char *words, *status;

	explain(r->reason, &words, &status);
	g_string_append_printf(t, "  To:        %s (fax number %s)\n",
	    r->address, r->number);
	g_string_append_printf(t, "  Result:    %s: %s\n",
	    strcmp(r->outcome, "ok") == 0 ? "SENT" :
	    strcmp(r->outcome, "cancelled") == 0 ? "CANCELLED" : "NOT SENT",
	    words);
	g_string_append_printf(t, "  Pages:     %lld of %lld confirmed by "
	    "the receiving machine\n", r->confirmed, r->pages);
	if (r->remote[0] != '\0')
		g_string_append_printf(t, "  Remote:    %s\n", r->remote);
	g_string_append_printf(t, "  Tries:     %lld\n", r->tries);
	if (r->t30[0] != '\0' && strcmp(r->outcome, "ok") != 0)
		g_string_append_printf(t, "  Detail:    %s\n", r->t30);
	g_string_append_printf(t, "  Fax job:   %s\n\n", r->id);
}

static void
fields(GString *d, const struct rcptinfo *r)
{
	const char *words, *status;
	char date[64];

	explain(r->reason, &words, &status);
	date822(date, sizeof(date), r->finished ? r->finished : time(NULL));
	g_string_append_printf(d, "\nOriginal-Recipient: rfc822;%s\n"
	    "Final-Recipient: rfc822;%s\nAction: %s\nStatus: %s\n"
	    "Diagnostic-Code: X-fax; %s\nLast-Attempt-Date: %s\n",
	    r->address, r->address,
	    strcmp(r->outcome, "ok") == 0 ? "delivered" : "failed", status,
	    r->reason, date);
	g_string_append_printf(d, "X-Fax-Number: %s\nX-Fax-Pages-Confirmed: "
	    "%lld\nX-Fax-Pages-Total: %lld\nX-Fax-Tries: %lld\n", r->number,
	    r->confirmed, r->pages, r->tries);
	if (r->remote[0] != '\0')
		g_string_append_printf(d, "X-Fax-Remote-Id: %s\n", r->remote);
	if (r->rate > 0)
		g_string_append_printf(d, "X-Fax-Bit-Rate: %lld\n", r->rate);
	g_string_append_printf(d, "X-Fax-Job: %s\n", r->id);
}

/* the original header section for the third part, 7bit or QP */
static GMimeObject *
headers_part(struct qd *q, const char *dir, const char *id)
{
	char path[128], *buf = NULL;
	GMimeObject *p;
	size_t len = 0, i;
	int eight = 0;

	if (path_fmt(path, sizeof(path), "%s/%s/headers", dir, id) == -1 ||
	    spool_read(q->sp, path, 256 * 1024, &buf, &len) == -1)
		return NULL;
	for (i = 0; i < len; i++)
		eight |= (unsigned char)buf[i] > 0x7e ||
		    ((unsigned char)buf[i] < 0x20 && buf[i] != '\r' &&
		    buf[i] != '\n' && buf[i] != '\t');
	p = mail_blob("text", "rfc822-headers", buf, len, NULL, 0);
	g_mime_part_set_content_encoding(GMIME_PART(p), eight ?
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE :
	    GMIME_CONTENT_ENCODING_7BIT);
	free(buf);
	return p;
}

/* the notice for the jobs in r (all of one message, or one job) */
static int
compose(struct qd *q, const char *nid, const char *about,
    const char *hdrdir, const char *hdrid, struct kvlist *job,
    struct rcptinfo *r, size_t n)
{
	char from[300], mail_from[512], subject[512], *subj, arrival[64];
	const char *rcpt[1];
	GMimeMultipart *rep;
	GMimeMessage *m;
	GMimeObject *p;
	GString *t, *d;
	long long created;
	size_t i, failed = 0;
	int ret;

	for (i = 0; i < n; i++)
		failed += strcmp(r[i].outcome, "ok") != 0;
	if (kv_str(job, "mail_from", mail_from, sizeof(mail_from)) == -1 ||
	    kv_str(job, "subject", subject, sizeof(subject)) == -1 ||
	    kv_num(job, "created", 0, INT64_MAX, 0, &created) == -1)
		return -1;
	if (mail_from[0] == '\0') {
		log_info("notice=%s about=%s: the null sender gets no notice",
		    nid, about);
		return 0;
	}
	(void)snprintf(from, sizeof(from), "MAILER-DAEMON@%s",
	    q->hostname);
	t = g_string_new(NULL);
	if (n == 1)
		g_string_printf(t, "Fax to %s %s", r[0].number,
		    strcmp(r[0].outcome, "ok") == 0 ? "delivered" :
		    "failed");
	else
		g_string_printf(t, "Fax: %zu of %zu recipients delivered",
		    n - failed, n);
	if (subject[0] != '\0') {
		subj = mail_clean(subject, 200);
		g_string_append_printf(t, " (%s)", subj);
		g_free(subj);
	}
	m = mail_new(q->hostname, nid, "Fax gateway", from, mail_from,
	    t->str, "auto-replied");
	g_string_free(t, TRUE);

	t = g_string_new(NULL);
	g_string_append_printf(t, "This is the fax gateway %s.\n\n",
	    q->hostname);
	g_string_append(t, failed == 0 ? "Your fax was sent.\n\n" :
	    failed == n ? "Your fax could NOT be sent.\n\n" :
	    "Your fax was sent to some recipients, NOT to others.\n\n");
	for (i = 0; i < n; i++)
		human(t, &r[i]);
	g_string_append(t, "The headers of your message are attached.\n");

	d = g_string_new(NULL);
	date822(arrival, sizeof(arrival), (time_t)created);
	g_string_append_printf(d, "Reporting-MTA: dns; %s\nArrival-Date: "
	    "%s\n", q->hostname, arrival);
	for (i = 0; i < n; i++)
		fields(d, &r[i]);

	rep = g_mime_multipart_new_with_subtype("report");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(rep),
	    "report-type", "delivery-status");
	p = mail_text(t->str);
	g_mime_multipart_add(rep, p);
	g_object_unref(p);
	p = mail_blob("message", "delivery-status", d->str, d->len, NULL, 0);
	g_mime_multipart_add(rep, p);
	g_object_unref(p);
	if ((p = headers_part(q, hdrdir, hdrid)) != NULL) {
		g_mime_multipart_add(rep, p);
		g_object_unref(p);
	}
	g_mime_message_set_mime_part(m, GMIME_OBJECT(rep));
	g_object_unref(rep);
	g_string_free(t, TRUE);
	g_string_free(d, TRUE);
	rcpt[0] = mail_from;
	ret = mail_publish(q, nid, "dsn", about, "", rcpt, 1, GMIME_OBJECT(m));
	g_object_unref(m);
	return ret == -1 ? -1 : 0;
}

/* notes the notice in a job file: "+notice NID dsn" unless there */
static int
note(struct qd *q, const char *dir, const char *id, const char *nid)
{
	char line[64];
	struct kvlist l;
	size_t i = 0;
	const char *v;
	int r;

	(void)snprintf(line, sizeof(line), "%s dsn", nid);
	if (job_read(q, dir, id, &l) == -1)
		return -1;
	while ((v = kv_next(&l, "notice", &i)) != NULL)
		if (strcmp(v, line) == 0) {
			kv_free(&l);
			return 0;
		}
	const char *set[] = { "+notice", line, NULL };
	r = job_write(q, dir, id, &l, set);
	kv_free(&l);
	return r;
}

static int
per_recipient(struct qd *q, const char *id, struct kvlist *job, char *nid)
{
	struct rcptinfo r;
	long long succ;

	if (info_read(q, "jobs", id, job, &r) == -1 ||
	    kv_num(job, "notify_success", 0, 1, 1, &succ) == -1)
		return -1;
	if (strcmp(r.outcome, "ok") == 0 && !succ)
		return 0;
	id_derive(nid, id, "dsn", 3);
	if (compose(q, nid, id, "jobs", id, job, &r, 1) == -1)
		return -1;
	return note(q, "jobs", id, nid);
}

/*
 * The last of a message's jobs to finish sends the one notice; the
 * others are in done/ already, or still in jobs/ (then: not yet).
 */
static int
per_message(struct qd *q, const char *id, struct kvlist *job, char *nid)
{
	struct rcptinfo *r;
	struct kvlist sl;
	char msg[ID_SIZE], path[64];
	const char *sib;
	size_t i = 0, n = 0;
	long long succ;
	int ok = 1, failed = 0;

	if (kv_str(job, "message", msg, sizeof(msg)) == -1 || !id_valid(msg) ||
	    kv_num(job, "notify_success", 0, 1, 1, &succ) == -1)
		return -1;
	while ((sib = kv_next(job, "sibling", &i)) != NULL)
		if (id_valid(sib) && strcmp(sib, id) != 0) {
			(void)path_fmt(path, sizeof(path), "jobs/%s", sib);
			if (qd_exists(q, path))
				return 0;	/* not the last */
		}
	if ((r = calloc(NOTICE_MAXJOBS, sizeof(*r))) == NULL)
		return -1;
	if (info_read(q, "jobs", id, job, &r[n]) == 0)
		failed += strcmp(r[n++].outcome, "ok") != 0;
	i = 0;
	while ((sib = kv_next(job, "sibling", &i)) != NULL &&
	    n < NOTICE_MAXJOBS) {
		if (!id_valid(sib) || strcmp(sib, id) == 0)
			continue;
		if (job_read(q, "done", sib, &sl) == -1)
			continue;	/* expired or unreadable: left out */
		if (info_read(q, "done", sib, &sl, &r[n]) == 0)
			failed += strcmp(r[n++].outcome, "ok") != 0;
		kv_free(&sl);
	}
	id_derive(nid, msg, "dsn", 3);
	if (failed > 0 || succ)
		ok = compose(q, nid, msg, "jobs", id, job, r, n) == 0;
	free(r);
	if (!ok)
		return -1;
	if (failed == 0 && !succ)
		return 0;
	i = 0;
	while ((sib = kv_next(job, "sibling", &i)) != NULL)
		if (id_valid(sib) && strcmp(sib, id) != 0)
			(void)note(q, "done", sib, nid);
	return note(q, "jobs", id, nid);
}

int
notice_job(struct qd *q, const char *id, struct kvlist *job, char *nid)
{
	const char *mode = kv_get(job, "notify");

	nid[0] = '\0';
	if (mode != NULL && strcmp(mode, "per-message") == 0)
		return per_message(q, id, job, nid);
	return per_recipient(q, id, job, nid);
}

int
notice_alert(struct qd *q, const char *about, const char *subject,
    const char *text)
{
	char nid[ID_SIZE], from[300], subj[256];
	const char *rcpt[1] = { q->conf->admin };
	GMimeMessage *m;
	GMimeObject *p;
	int r;

	id_new(nid);
	(void)snprintf(from, sizeof(from), "MAILER-DAEMON@%s",
	    q->hostname);
	(void)snprintf(subj, sizeof(subj), "rampart alert: %s", subject);
	m = mail_new(q->hostname, nid, "Fax gateway", from,
	    q->conf->admin, subj, "auto-generated");
	p = mail_text(text);
	g_mime_message_set_mime_part(m, p);
	g_object_unref(p);
	r = mail_publish(q, nid, "alert", about, "", rcpt, 1, GMIME_OBJECT(m));
	g_object_unref(m);
	if (r != -1)
		log_warnx("alert about=%s: %s", about, subject);
	return r == -1 ? -1 : 0;
}
