/*
 * fmt_text: plain text (UTF-8) on a monospace grid of 80 columns, and the
 * cover page, which is a filled-in text template.  Form feed starts a
 * page, tab goes to the next multiple of 8, long lines wrap, wide (CJK)
 * characters take two cells, bad UTF-8 shows as U+FFFD.  Glyphs missing
 * from Courier come from MuPDF's built-in fallback fonts.  No shaping or
 * bidi: right-to-left scripts appear in logical order.  UTF-16 with a
 * byte-order mark, and text whose MIME type names a charset, are first
 * made UTF-8 by iconv, opened by text_prepare before the sandbox:
 * glibc's iconv_open reads its module list and loads the charset's
 * module from the file system, which is not there in the chroot.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mu.h"

#define COLS		80
#define TABSTOP		8
#define MARGIN		36.0f		/* points, all four sides */

struct layout {
	fz_font		*font;
	fz_text		*text;
	float		 size, cell, lead;	/* points */
	int		 lines;			/* per page */
	int		 col, line, glyphs;
	int		 one_page;		/* cover: clip to one page */
	int		 full;
};

/* decodes one UTF-8 sequence; U+FFFD and one byte for anything bad */
static int
utf8_next(const unsigned char *s, size_t len, size_t *used)
{
	int n, cp, i, min;

	*used = 1;
	if (s[0] < 0x80)
		return s[0];
	if ((s[0] & 0xe0) == 0xc0) { n = 1; cp = s[0] & 0x1f; min = 0x80; }
	else if ((s[0] & 0xf0) == 0xe0) { n = 2; cp = s[0] & 0x0f; min = 0x800; }
	else if ((s[0] & 0xf8) == 0xf0) { n = 3; cp = s[0] & 0x07; min = 0x10000; }
	else
		return 0xfffd;
	if ((size_t)n >= len)
		return 0xfffd;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0xfffd;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0xfffd;
	*used = n + 1;
	return cp;
}

static int
cells(int cp)
{
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

static void
layout_init(struct conv *c, struct layout *l)
{
	float wpt = c->geom.width * 72.0f / FAX_XDPI;
	float hpt = c->geom.rows * 72.0f / c->geom.yres;

	l->cell = (wpt - 2 * MARGIN) / COLS;
	l->size = l->cell / 0.6f;		/* Courier advance: 0.6 em */
	l->lead = l->size * 1.2f;
	l->lines = (int)((hpt - 2 * MARGIN) / l->lead);
	l->col = l->line = l->glyphs = 0;
}

/* ends the page: draws the glyphs collected so far; throws */
static void
flush(struct conv *c, struct layout *l)
{
	fz_context *ctx = c->mu->ctx;
	fz_matrix ctm = fz_scale(FAX_XDPI / 72.0f, c->geom.yres / 72.0f);
	float black = 0;

	fz_fill_text(ctx, mu_page_begin(c), l->text, ctm,
	    fz_device_gray(ctx), &black, 1, fz_default_color_params);
	mu_page_end(c);
	fz_drop_text(ctx, l->text);
	l->text = NULL;
	l->text = fz_new_text(ctx);
	l->col = l->line = l->glyphs = 0;
}

static void
newline(struct conv *c, struct layout *l)
{
	l->col = 0;
	if (++l->line < l->lines)
		return;
	if (l->one_page)
		l->full = 1;
	else
		flush(c, l);
}

static void
put_glyph(struct conv *c, struct layout *l, int cp)
{
	fz_context *ctx = c->mu->ctx;
	fz_font *f = NULL;
	fz_matrix trm;
	int gid, w = cells(cp);

	if (l->col + w > COLS)
		newline(c, l);
	if (l->full)
		return;
	if (cp != ' ') {
		gid = fz_encode_character_with_fallback(ctx, l->font, cp, 0, 0,
		    &f);
		trm = fz_scale(l->size, -l->size);
		trm.e = MARGIN + l->col * l->cell;
		trm.f = MARGIN + (l->line + 1) * l->lead - l->size * 0.25f;
		fz_show_glyph(ctx, l->text, f, trm, gid, cp, 0, 0,
		    FZ_BIDI_LTR, FZ_LANG_UNSET);
		l->glyphs++;
	}
	l->col += w;
}

static void
put_char(struct conv *c, struct layout *l, int cp)
{
	if (l->full)
		return;
	switch (cp) {
	case '\n':
		newline(c, l);
		return;
	case '\f':
		if (l->one_page)
			l->full = 1;
		else
			flush(c, l);
		return;
	case '\t':
		do
			put_glyph(c, l, ' ');
		while (l->col % TABSTOP != 0 && l->col < COLS);
		return;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return;		/* CR and other controls draw nothing */
	put_glyph(c, l, cp);
}

/* lays out len bytes of UTF-8; the caller has the try block */
static void
lay_out(struct conv *c, struct layout *l, const unsigned char *s, size_t len)
{
	size_t off = 0, used;

	l->font = fz_new_base14_font(c->mu->ctx, "Courier-Bold");
	l->text = fz_new_text(c->mu->ctx);
	while (off < len && !l->full) {
		put_char(c, l, utf8_next(s + off, len - off, &used));
		off += used;
	}
	/* the last page, unless a form feed just ended the document */
	if (l->glyphs > 0 || l->line > 0 || l->col > 0 || c->pages == 0 ||
	    l->one_page)
		flush(c, l);
}

static int
render(struct conv *c, const unsigned char *s, size_t len, int one_page)
{
	fz_context *ctx = c->mu->ctx;
	struct layout l;
	int r = CONVERT_OK;

	memset(&l, 0, sizeof(l));
	layout_init(c, &l);
	l.one_page = one_page;
	fz_try(ctx)
		lay_out(c, &l, s, len);
	fz_always(ctx) {
		fz_drop_text(ctx, l.text);
		fz_drop_font(ctx, l.font);
	}
	fz_catch(ctx)
		r = mu_caught(c, "text");
	return r;
}

int
fmt_text(struct conv *c, const unsigned char *doc, size_t len)
{
	/* a UTF-8 byte order mark is not text */
	if (len >= 3 && memcmp(doc, "\xef\xbb\xbf", 3) == 0) {
		doc += 3;
		len -= 3;
	}
	return render(c, doc, len, 0);
}

int
fmt_cover(struct conv *c, const char *text)
{
	int r;

	if ((r = mu_need(c)) != CONVERT_OK)
		return r;
	return render(c, (const unsigned char *)text, strlen(text), 1);
}

static iconv_t cd16 = (iconv_t)-1, cd8 = (iconv_t)-1;

/* charset may be NULL; an unknown one leaves cd8 closed (UTF-8 it is) */
void
text_prepare(const char *charset)
{
	if (cd16 == (iconv_t)-1)
		cd16 = iconv_open("UTF-8", "UTF-16");
	if (cd8 == (iconv_t)-1 && charset != NULL)
		cd8 = iconv_open("UTF-8", charset);
}

/*
 * doc to UTF-8 in *out, malloc'd, through cd: at most 3 bytes out for
 * every unit in; a sequence cd cannot read becomes U+FFFD and one unit
 * (2 bytes for UTF-16, 1 for an 8-bit charset) is skipped.
 */
static int
recode(struct conv *c, iconv_t cd, size_t unit, const unsigned char *doc,
    size_t len, unsigned char **out, size_t *outlen)
{
	char *in = (char *)(uintptr_t)doc, *o, *buf;
	size_t inl = len, ol, cap = len / unit * 3 + 8;

	iconv(cd, NULL, NULL, NULL, NULL);	/* the initial state again */
	if ((buf = malloc(cap)) == NULL)
		return conv_fail(c, CONVERT_ELIMIT, "out of memory");
	o = buf;
	ol = cap;
	while (inl > 0 && iconv(cd, &in, &inl, &o, &ol) == (size_t)-1) {
		if ((errno != EILSEQ && errno != EINVAL) || ol < 3)
			break;
		memcpy(o, "\xef\xbf\xbd", 3);	/* U+FFFD */
		o += 3;
		ol -= 3;
		in += inl >= unit ? unit : inl;
		inl -= inl >= unit ? unit : inl;
	}
	if (inl > 0) {
		free(buf);
		return conv_fail(c, CONVERT_EINTERNAL, "iconv: %s",
		    strerror(errno));
	}
	*out = (unsigned char *)buf;
	*outlen = cap - ol;
	return CONVERT_OK;
}

int
text_from_utf16(struct conv *c, const unsigned char *doc, size_t len,
    unsigned char **out, size_t *outlen)
{
	text_prepare(NULL);
	if (cd16 == (iconv_t)-1)
		return conv_fail(c, CONVERT_EINTERNAL, "iconv UTF-16: %s",
		    strerror(errno));
	return recode(c, cd16, 2, doc, len, out, outlen);
}

int
text_from_charset(struct conv *c, const unsigned char *doc, size_t len,
    unsigned char **out, size_t *outlen)
{
	if (cd8 == (iconv_t)-1) {
		*out = NULL;
		return CONVERT_OK;
	}
	return recode(c, cd8, 1, doc, len, out, outlen);
}
