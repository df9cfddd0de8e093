/*
 * worker: runs inside the sandbox.  Tells the format from the bytes
 * (never from the name; the MIME type only names what we refuse) and has
 * its parser render every page into the output TIFF, built in memory and
 * written in one writev (libtiff's many small writes and seeks cost more
 * than the pages); coded strips that pass through stay where they lie in
 * the input and are written from there (membuf.c).  A parser that knows
 * its page count up front (PDF, TIFF, images) announces it with
 * conv_begin, which draws the cover page first and numbers the pages;
 * text learns its count only at the end, so it renders into a page file
 * first and the output is built from that, the pages copied without
 * re-encoding.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "mu.h"
#include "page.h"

#define COVER_OUT	(64 * 1024)
#define PAGES_MAX	(128 << 20)	/* bytes of coded pages, each file */

int
conv_fail(struct conv *c, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	return code;
}

void
geom_init(struct geom *g, enum paper paper, int yres)
{
	/* T.4 lines: 3.85 or 7.7 per mm over 297 mm (A4) or 279.4 mm */
	double mm = paper == PAPER_LETTER ? 279.4 : 297.0;

	g->width = FAX_WIDTH;
	g->yres = yres;
	g->rows = (int)(mm * (yres > 100 ? 7.7 : 3.85));
}

/* eight_bit: a charset was named, so any byte from 0x80 up is a letter */
static int
looks_text(const unsigned char *s, size_t len, int eight_bit)
{
	size_t i, bad = 0, n = len > 65536 ? 65536 : len;

	for (i = 0; i < n; i++) {
		if (s[i] == 0)
			return 0;
		if (s[i] < 0x20 && strchr("\t\n\r\f\b\033", s[i]) == NULL)
			bad++;
		else if (s[i] >= 0x80 && !eight_bit &&
		    (s[i] < 0xc2 || s[i] > 0xf4))
			bad += (s[i] & 0xc0) != 0x80;
	}
	return bad * 20 <= n;
}

/*
 * PostScript and EPS: "%!" at the start (after a ^D some Windows drivers
 * send first), or the binary header of a DOS EPS, or a printer job (PJL
 * after the universal exit, "ESC%-12345X") with "%!" in its first 1 KB,
 * which Ghostscript reads past.  Decided from the first bytes only, so
 * that the supervisor can route the file to Ghostscript.  Returns 1 for
 * PostScript, -1 for a printer job without it (PCL: unsupported, and
 * never text), 0 otherwise.
 */
static int
looks_ps(const unsigned char *s, size_t len)
{
	if (len >= 9 && memcmp(s, "\033%-12345X", 9) == 0)
		return memmem(s, len > 1024 ? 1024 : len, "%!", 2) != NULL ?
		    1 : -1;
	if (len >= 1 && s[0] == '\004') {
		s++;
		len--;
	}
	return (len >= 2 && memcmp(s, "%!", 2) == 0) ||
	    (len >= 4 && memcmp(s, "\xc5\xd0\xd3\xc6", 4) == 0);
}

/*
 * Office documents: RTF, OLE2 (DOC, XLS, PPT), and ZIPs whose first
 * entry names an OOXML or OpenDocument package.  Never text: RTF is
 * ASCII, and would otherwise be faxed as its markup.
 */
static int
looks_office(const unsigned char *s, size_t len)
{
	size_t n = len > 1024 ? 1024 : len;

	if (len >= 5 && memcmp(s, "{\\rtf", 5) == 0)
		return 1;
	if (len >= 8 && memcmp(s, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return 1;
	return len >= 4 && memcmp(s, "PK\003\004", 4) == 0 &&
	    (memmem(s, n, "[Content_Types].xml", 19) != NULL ||
	    memmem(s, n, "mimetypeapplication/vnd.oasis.opendocument",
	    42) != NULL);
}

/* a byte-order mark of UTF-16, either order */
static int
looks_utf16(const unsigned char *s, size_t len)
{
	return len >= 2 && ((s[0] == 0xff && s[1] == 0xfe) ||
	    (s[0] == 0xfe && s[1] == 0xff));
}

int
worker_sniff(const unsigned char *s, size_t len, const char *type)
{
	int ps;

	if (len == 0)
		return DOC_EMPTY;
	if (memmem(s, len > 1024 ? 1024 : len, "%PDF-", 5) != NULL)
		return DOC_PDF;
	if ((ps = looks_ps(s, len)) != 0)
		return ps > 0 ? DOC_PS : DOC_UNKNOWN;
	if (looks_office(s, len))
		return DOC_OFFICE;
	if (looks_utf16(s, len))
		return DOC_TEXT16;
	if (len >= 4 && (memcmp(s, "II*\0", 4) == 0 ||
	    memcmp(s, "MM\0*", 4) == 0 || memcmp(s, "II+\0", 4) == 0 ||
	    memcmp(s, "MM\0+", 4) == 0))
		return DOC_TIFF;
	if (len >= 3 && memcmp(s, "\xff\xd8\xff", 3) == 0)
		return DOC_JPEG;
	if (len >= 8 && memcmp(s, "\x89PNG\r\n\x1a\n", 8) == 0)
		return DOC_PNG;
	if (looks_text(s, len, type != NULL &&
	    strcasestr(type, "charset=") != NULL))
		return DOC_TEXT;
	return DOC_UNKNOWN;
}

static int
dispatch(struct conv *c, int kind, const unsigned char *doc, size_t len)
{
	const char *type = c->opts->type;
	char t[80];

	switch (kind) {
	case DOC_EMPTY:
		return conv_fail(c, CONVERT_ECORRUPT, "empty document");
	case DOC_PDF:
		return fmt_pdf(c, doc, len);
	case DOC_TIFF:
		return fmt_tiff(c, doc, len);
	case DOC_JPEG:
		return fmt_jpeg(c, doc, len);
	case DOC_PNG:
		return fmt_png(c, doc, len);
	case DOC_TEXT:
		return fmt_text(c, doc, len);
	case DOC_PS:
		/* the supervisor sends PostScript to Ghostscript first */
		return conv_fail(c, CONVERT_EUNSUPPORTED, "unsupported format: "
		    "PostScript needs Ghostscript (%s), not installed",
		    GS_PATH);
	case DOC_OFFICE:
		return conv_fail(c, CONVERT_EUNSUPPORTED, "unsupported format: "
		    "Office documents need LibreOffice, which convert does "
		    "not run yet; send a PDF");
	}
	log_escape(t, sizeof(t), type != NULL ? type : "");
	return conv_fail(c, CONVERT_EUNSUPPORTED, "unsupported format%s%s",
	    type != NULL ? " " : "", t);
}

/* appends at most n bytes of v, control characters as spaces */
static void
put_value(char *out, size_t *o, const char *v, size_t n)
{
	for (; n > 0 && *v != '\0' && *o < COVER_OUT - 1; v++, n--)
		out[(*o)++] = (unsigned char)*v < 0x20 ? ' ' : *v;
}

static const char *
key_value(const struct convert_opts *o, const char *k, size_t kl, char *num,
    long total)
{
	int i;

	if (kl == 5 && memcmp(k, "pages", 5) == 0) {
		snprintf(num, 24, "%ld", total);
		return num;
	}
	if (kl == 4 && memcmp(k, "date", 4) == 0)
		return o->date;
	if (kl == 10 && memcmp(k, "attachment", 10) == 0)
		return o->name;
	for (i = 0; i < o->nkeys; i++)
		if (strncmp(o->keys[i], k, kl) == 0 && o->keys[i][kl] == '=')
			return o->keys[i] + kl + 1;
	return "";
}

/* %{key} from -k key=value, plus pages, date and attachment; %% is % */
static void
cover_expand(const struct convert_opts *o, long total, char *out)
{
	const char *t = o->cover_text, *e;
	char num[24];
	size_t n = 0;

	while (*t != '\0' && n < COVER_OUT - 1) {
		if (t[0] == '%' && t[1] == '%') {
			out[n++] = '%';
			t += 2;
		} else if (t[0] == '%' && t[1] == '{' &&
		    (e = strchr(t + 2, '}')) != NULL && e - t < 40) {
			put_value(out, &n, key_value(o, t + 2, e - t - 2, num,
			    total), 200);
			t = e + 1;
		} else
			out[n++] = *t++;
	}
	out[n] = '\0';
}

/* an in-memory TIFF for pages; coded strips from lend are not copied */
static int
open_sink(struct conv *c, struct sink *s, struct membuf *mb, long max_pages,
    const unsigned char *lend, size_t lend_len)
{
	TIFF *t;

	membuf_init_write(mb, PAGES_MAX, lend, lend_len);
	if ((t = tiff_open_mem(c, mb, "pages", "w")) == NULL)
		return -1;
	sink_open(s, t, c->opts->comp, c->opts->yres, max_pages);
	return 0;
}

/*
 * The output's page count (PageNumber) for a document of n pages, and
 * the cover page first, its %{pages} the document's n plus itself.
 */
static int
cover(struct conv *c, long n)
{
	static char text[COVER_OUT];
	long pages = c->pages;
	int r;

	c->sink->total = n + (c->opts->cover_text != NULL);
	if (c->opts->cover_text == NULL)
		return CONVERT_OK;
	cover_expand(c->opts, n + 1, text);
	r = fmt_cover(c, text);
	c->pages = pages;	/* counts the document's pages only */
	return r;
}

int
conv_begin(struct conv *c, long n)
{
	if (!c->direct)
		return CONVERT_OK;
	c->announced = n;
	return cover(c, n);
}

/* closes the output sink and writes what it holds to outfd */
static int
finish(struct conv *c, struct sink *out, struct membuf *mb, int r, int outfd)
{
	if (sink_close(out) == -1 && r == CONVERT_OK)
		r = conv_fail(c, CONVERT_EINTERNAL, "write output");
	if (mb->full)
		r = conv_fail(c, CONVERT_ELIMIT, "output over %d MB",
		    PAGES_MAX >> 20);
	if (r == CONVERT_OK && membuf_write(mb, outfd) == -1)
		r = conv_fail(c, errno == EFBIG ? CONVERT_ELIMIT :
		    CONVERT_EINTERNAL, "write output: %s", strerror(errno));
	membuf_free(mb);
	return r;
}

/* text: the output from the page file, now that the count is known */
static int
assemble(struct conv *c, struct membuf *pages, int outfd)
{
	struct membuf mb;
	struct sink out;
	TIFF *in;
	int r;

	pages->writable = 0;
	if ((in = tiff_open_mem(c, pages, "pages", "rm")) == NULL)
		return conv_fail(c, CONVERT_EINTERNAL, "reopen pages");
	if (open_sink(c, &out, &mb, 0, pages->buf, pages->len) == -1) {
		TIFFClose(in);
		return conv_fail(c, CONVERT_EINTERNAL, "open output");
	}
	c->sink = &out;
	r = cover(c, c->pages);
	while (r == CONVERT_OK) {
		if (sink_raw(&out, in) != CONVERT_OK)
			r = conv_fail(c, CONVERT_EINTERNAL, "copy pages");
		else if (TIFFReadDirectory(in) != 1)
			break;
	}
	TIFFClose(in);
	return finish(c, &out, &mb, r, outfd);
}

static size_t
mu_budget(const struct convert_opts *o)
{
	if (o->mem_mb == 0)
		return (size_t)1 << 30;
	if (o->mem_mb < 224)
		return (size_t)64 << 20;
	return (size_t)(o->mem_mb - 160) << 20;
}

/* renders a text document into the in-memory page file */
static int
render(struct conv *c, const unsigned char *doc, size_t len,
    struct membuf *mb)
{
	struct sink pages;
	int r;

	if (open_sink(c, &pages, mb, c->opts->max_pages, NULL, 0) == -1)
		return conv_fail(c, CONVERT_EINTERNAL, "page file");
	c->sink = &pages;
	r = fmt_text(c, doc, len);
	if (sink_close(&pages) == -1 && r == CONVERT_OK)
		r = conv_fail(c, CONVERT_EINTERNAL, "page file write");
	if (mb->full)
		r = conv_fail(c, CONVERT_ELIMIT, "pages over %d MB",
		    PAGES_MAX >> 20);
	return r;
}

/* any other format: straight into the output, cover first */
static int
render_direct(struct conv *c, int kind, const unsigned char *doc,
    size_t len, int outfd)
{
	const struct convert_opts *o = c->opts;
	struct membuf mb;
	struct sink out;
	int r;

	if (open_sink(c, &out, &mb, o->max_pages > 0 ?
	    o->max_pages + (o->cover_text != NULL) : 0, doc, len) == -1)
		return conv_fail(c, CONVERT_EINTERNAL, "open output");
	c->sink = &out;
	c->direct = 1;
	c->announced = -1;
	r = dispatch(c, kind, doc, len);
	if (r == CONVERT_OK && c->pages > 0 && c->announced != c->pages)
		r = conv_fail(c, CONVERT_ECORRUPT, "%ld pages counted, "
		    "%ld read", c->announced, c->pages);
	if (r == CONVERT_OK && c->pages == 0)
		r = conv_fail(c, CONVERT_ECORRUPT, "no pages");
	return finish(c, &out, &mb, r, outfd);
}

int
worker_run(const struct convert_opts *o, const unsigned char *doc,
    size_t len, int outfd, char *reason, size_t reasonsz)
{
	struct conv c;
	struct membuf pages;
	unsigned char *u8 = NULL;
	int kind, r;

	memset(&c, 0, sizeof(c));
	memset(&pages, 0, sizeof(pages));
	c.opts = o;
	TIFFSetErrorHandler(NULL);
	TIFFSetWarningHandler(NULL);
	geom_init(&c.geom, o->paper, o->yres);
	c.mu_cap = mu_budget(o);
	kind = worker_sniff(doc, len, o->type);
	if (kind == DOC_TEXT16)
		r = text_from_utf16(&c, doc, len, &u8, &len);
	else if (kind == DOC_TEXT)
		r = text_from_charset(&c, doc, len, &u8, &len);
	else
		r = CONVERT_OK;
	if (r != CONVERT_OK)
		goto out;
	if (u8 != NULL) {
		doc = u8;
		kind = DOC_TEXT;
	}
	/* fax pages pass through without MuPDF; fmt_tiff starts it if need be */
	if (kind != DOC_TIFF && mu_need(&c) != CONVERT_OK)
		r = CONVERT_EINTERNAL;
	else if (kind != DOC_TEXT)
		r = render_direct(&c, kind, doc, len, outfd);
	else if ((r = render(&c, doc, len, &pages)) == CONVERT_OK &&
	    c.pages == 0)
		r = conv_fail(&c, CONVERT_ECORRUPT, "no pages");
	else if (r == CONVERT_OK)
		r = assemble(&c, &pages, outfd);
	membuf_free(&pages);
	mu_stop(&c);
 out:
	free(u8);
	snprintf(reason, reasonsz, "%s", c.reason);
	return r;
}
