/*
 * text: the tables.  Every string shown comes from a spool file as the
 * file has it, escaped (printable ASCII, \xHH for anything else), so a
 * column's width is its length in bytes and nothing a sender or a remote
 * fax machine chose can move the cursor.  Lines fit 79 columns; a field
 * too long for its column is cut with an ellipsis.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "faxstat.h"

/* s in width columns: cut with the ellipsis, padded unless last */
void
col(const struct fs *fs, const char *s, int width, int right)
{
	int len = (int)strlen(s), cut, k;

	if (len > width) {
		/* never in the middle of an \xHH escape */
		cut = width - 1;
		for (k = 1; k <= 3 && cut - k >= 0; k++)
			if (s[cut - k] == '\\' && s[cut - k + 1] == 'x') {
				cut -= k;
				break;
			}
		printf("%.*s%s%*s", cut, s, fs->ellipsis,
		    right == 2 ? 0 : width - 1 - cut, "");
		return;
	}
	if (right == 1)
		printf("%*s", width, s);
	else if (right == 0)
		printf("%-*s", width, s);
	else
		fputs(s, stdout);	/* the last column: no padding */
}

/* local time: "11-29 14:05", or "2026-11-29 14:05:07" if full */
void
fmt_local(char *buf, size_t sz, long long t, int full)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL) {
		(void)snprintf(buf, sz, "-");
		return;
	}
	(void)strftime(buf, sz, full ? "%Y-%m-%d %H:%M:%S" : "%m-%d %H:%M",
	    &tm);
}

void
fmt_iso(char *buf, size_t sz, long long t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL) {
		(void)snprintf(buf, sz, "-");
		return;
	}
	(void)strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *
or_dash(const char *s)
{
	return s != NULL && *s != '\0' ? s : "-";
}

static void
short_id(const struct fs *fs, const char *id)
{
	(void)fs;
	printf("%.8s ", id);
}

static const char *
shown_number(const struct rec *r)
{
	return *r->e164 != '\0' ? r->e164 : or_dash(r->number);
}

static void
pages(const struct fs *fs, long long a, long long b, int width)
{
	char buf[48];

	(void)snprintf(buf, sizeof(buf), "%lld/%lld", a, b);
	col(fs, buf, width, 1);
}

void
text_modems(struct fs *fs, const struct modem *m, size_t n)
{
	char buf[64], t[32];
	const char *what;
	size_t i;

	printf("DEVICE     STATE       JOB      NUMBER/REMOTE       "
	    " PAGE  RATE ECM SINCE\n");
	for (i = 0; i < n; i++) {
		col(fs, m[i].dev, 10, 0);
		putchar(' ');
		col(fs, m[i].stale ? "down" : m[i].state, 11, 0);
		putchar(' ');
		printf("%-8.8s ", m[i].stale || m[i].id == NULL ? "-" :
		    m[i].id);
		what = "-";
		if (m[i].stale == STALE_GONE)
			what = "(faxgetty gone)";
		else if (m[i].stale == STALE_STUCK) {
			(void)snprintf(buf, sizeof(buf), "(stuck %s)",
			    m[i].state);
			what = buf;
		}
		else if (m[i].remote != NULL && strcmp(m[i].remote, "-") != 0)
			what = m[i].remote;
		else if (m[i].number != NULL)
			what = m[i].number;
		else if (m[i].rings != NULL) {
			(void)snprintf(buf, sizeof(buf), "%s rings",
			    m[i].rings);
			what = buf;
		} else if (m[i].retry != NULL) {
			(void)snprintf(buf, sizeof(buf), "retry in %ss",
			    m[i].retry);
			what = buf;
		}
		col(fs, what, 19, 0);
		putchar(' ');
		if (!m[i].stale && m[i].page >= 0 && m[i].pages > 0)
			/* after the last page faxgetty says pages + 1 */
			pages(fs, m[i].page > m[i].pages ? m[i].pages :
			    m[i].page, m[i].pages, 5);
		else if (!m[i].stale && m[i].page >= 0) {
			(void)snprintf(buf, sizeof(buf), "%lld", m[i].page);
			col(fs, buf, 5, 1);
		} else
			col(fs, "", 5, 1);
		putchar(' ');
		if (!m[i].stale && m[i].rate > 0) {
			(void)snprintf(buf, sizeof(buf), "%lld", m[i].rate);
			col(fs, buf, 5, 1);
		} else
			col(fs, "", 5, 1);
		putchar(' ');
		col(fs, m[i].stale || m[i].ecm < 0 ? "" : m[i].ecm ? "yes" :
		    "no", 3, 0);
		putchar(' ');
		fmt_local(t, sizeof(t), m[i].time, 0);
		col(fs, t, 11, 2);
		putchar('\n');
	}
}

void
text_queue(struct fs *fs, const struct rec *r, size_t n)
{
	char st[64], buf[32];
	size_t i;

	printf("ID       ACCOUNT    NUMBER          PAGES TRY "
	    "STATE                LAST FAILURE\n");
	for (i = 0; i < n; i++) {
		short_id(fs, r[i].id);
		col(fs, or_dash(r[i].account), 10, 0);
		putchar(' ');
		col(fs, shown_number(&r[i]), 15, 0);
		putchar(' ');
		if (r[i].kind == REC_MSG)
			col(fs, "-", 5, 1);
		else
			pages(fs, fs_confirmed(&r[i]), r[i].pages, 5);
		putchar(' ');
		(void)snprintf(buf, sizeof(buf), "%lld", fs_tries(&r[i]));
		col(fs, buf, 3, 1);
		putchar(' ');
		col(fs, fs_job_state(fs, &r[i], st, sizeof(st)), 20, 0);
		putchar(' ');
		col(fs, or_dash(r[i].last_reason), 14, 2);
		putchar('\n');
	}
}

void
text_done(struct fs *fs, const struct rec *r, size_t n)
{
	char res[160], t[32], buf[32];
	size_t i;

	printf("ID       ACCOUNT    NUMBER          PAGES TRY "
	    "FINISHED    RESULT\n");
	for (i = 0; i < n; i++) {
		if (r[i].kind != REC_DONE)
			continue;
		short_id(fs, r[i].id);
		col(fs, or_dash(r[i].account), 10, 0);
		putchar(' ');
		col(fs, shown_number(&r[i]), 15, 0);
		putchar(' ');
		pages(fs, fs_confirmed(&r[i]), r[i].pages, 5);
		putchar(' ');
		(void)snprintf(buf, sizeof(buf), "%lld", fs_tries(&r[i]));
		col(fs, buf, 3, 1);
		putchar(' ');
		fmt_local(t, sizeof(t), r[i].finished, 0);
		col(fs, t, 11, 0);
		putchar(' ');
		if (strcmp(r[i].outcome, "ok") == 0 || *r[i].reason == '\0')
			(void)snprintf(res, sizeof(res), "%s", r[i].outcome);
		else
			(void)snprintf(res, sizeof(res), "%s: %s",
			    r[i].outcome, r[i].reason);
		col(fs, res, 21, 2);
		putchar('\n');
	}
}

void
text_recv(struct fs *fs, const struct rec *r, size_t n)
{
	char t[32], buf[32];
	size_t i;

	printf("ID       RECEIVED    CALLER       TSI            "
	    "DID         PGS AUT ROUTED TO\n");
	for (i = 0; i < n; i++) {
		if (r[i].kind != REC_RECV)
			continue;
		short_id(fs, r[i].id);
		fmt_local(t, sizeof(t), r[i].started, 0);
		col(fs, t, 11, 0);
		putchar(' ');
		col(fs, or_dash(r[i].caller_id), 12, 0);
		putchar(' ');
		col(fs, or_dash(r[i].tsi), 14, 0);
		putchar(' ');
		col(fs, or_dash(r[i].did), 11, 0);
		putchar(' ');
		(void)snprintf(buf, sizeof(buf), "%lld%s", r[i].pages,
		    r[i].complete ? "" : "!");
		col(fs, buf, 3, 1);
		putchar(' ');
		col(fs, r[i].authorized == 1 ? "yes" : r[i].authorized == 0 ?
		    "no" : "-", 3, 0);
		putchar(' ');
		if (r[i].authorized == -1)
			col(fs, *r[i].route == '?' ? "(bad route file)" :
			    "(not routed yet)", 10, 2);
		else if (strcmp(r[i].route, "admin") == 0)
			col(fs, "admin", 10, 2);
		else
			col(fs, or_dash(r[i].route_to), 10, 2);
		putchar('\n');
	}
}
