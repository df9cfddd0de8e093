/*
 * text: the tables.  Every string comes from a spool file escaped
 * (printable ASCII, \xHH for any other byte) and is shown by disp():
 * in a UTF-8 locale a valid, printable character other than a bidi or
 * format control is shown as itself, so "M\xc3\xbcller" reads Müller;
 * anything else (control bytes, escape sequences, invalid UTF-8, the
 * backslash) stays \xHH.  Nothing a sender or a remote fax machine chose
 * can move the cursor.  Lines fit 79 columns; a field too long for its
 * column is cut with an ellipsis, never inside a character or an escape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "faxstat.h"

/* characters that reorder or hide text: never shown as themselves */
static int
invisible(wint_t c)
{
	return (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x206f) || c == 0x061c || c == 0xfeff ||
	    (c >= 0xfff9 && c <= 0xfffb);
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : -1;
}

/*
 * The escaped string in as it is shown, into out, at most limit columns
 * (limit < 0: no limit); *width gets the columns used.  Returns 1 if all
 * of in fit, 0 if it was cut.
 */
int
disp(const struct fs *fs, const char *in, char *out, size_t outsz,
    int limit, int *width)
{
	unsigned char raw[4096], c;
	size_t n = 0, o = 0, i, len;
	mbstate_t st;
	wchar_t wc;
	int w = 0, cw, all;

	/* undo the spool's escaping (bad escapes stay as they are) */
	for (i = 0; in[i] != '\0' && n < sizeof(raw); i++) {
		if (in[i] == '\\' && in[i + 1] == 'x' &&
		    hexval(in[i + 2]) >= 0 && hexval(in[i + 3]) >= 0) {
			raw[n++] = (unsigned char)(hexval(in[i + 2]) << 4 |
			    hexval(in[i + 3]));
			i += 3;
		} else
			raw[n++] = (unsigned char)in[i];
	}
	all = in[i] == '\0';	/* else longer than raw: cut */
	for (i = 0; i < n; i += len) {
		c = raw[i];
		len = 1;
		cw = -1;
		if (c >= 0x20 && c < 0x7f && c != '\\')
			cw = 1;
		else if (c >= 0x80 && fs->utf8) {
			memset(&st, 0, sizeof(st));
			len = mbrtowc(&wc, (const char *)raw + i, n - i, &st);
			if (len == (size_t)-1 || len == (size_t)-2 || len == 0 ||
			    !iswprint((wint_t)wc) || invisible((wint_t)wc) ||
			    (cw = wcwidth(wc)) < 0) {
				len = 1;
				cw = -1;
			}
		}
		if (cw < 0) {			/* shown as \xHH */
			if ((limit >= 0 && w + 4 > limit) || o + 5 > outsz) {
				all = 0;
				break;
			}
			(void)snprintf(out + o, outsz - o, "\\x%02x", c);
			o += 4;
			w += 4;
		} else {
			if ((limit >= 0 && w + cw > limit) || o + len + 1 > outsz) {
				all = 0;
				break;
			}
			memcpy(out + o, raw + i, len);
			o += len;
			w += cw;
		}
	}
	out[o] = '\0';
	*width = w;
	return all;
}

/* a line of text with escaped values in it, as disp() shows it */
void
put_disp(const struct fs *fs, const char *s)
{
	char out[4 * 4096 + 1];
	int w;

	if (!disp(fs, s, out, sizeof(out), -1, &w)) {
		fputs(out, stdout);
		fputs(fs->ellipsis, stdout);	/* longer than 4 kB */
		return;
	}
	fputs(out, stdout);
}

/* s in width columns: cut with the ellipsis, padded unless last */
void
col(const struct fs *fs, const char *s, int width, int right)
{
	char out[1024];
	int w;

	if (!disp(fs, s, out, sizeof(out), width, &w)) {
		(void)disp(fs, s, out, sizeof(out), width - 1, &w);
		printf("%s%s%*s", out, fs->ellipsis,
		    right == 2 ? 0 : width - 1 - w, "");
		return;
	}
	if (right == 1)
		printf("%*s%s", width - w, "", out);
	else if (right == 0)
		printf("%s%*s", out, width - w, "");
	else
		fputs(out, stdout);	/* the last column: no padding */
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
