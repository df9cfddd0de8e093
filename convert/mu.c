/*
 * mu: MuPDF plumbing.  The allocator counts every byte MuPDF holds and
 * refuses past the budget, so a decompression bomb ends as a clean
 * "memory limit" error instead of an rlimit kill.  MuPDF's messages go
 * nowhere unless -v: the one reason line is ours.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mu.h"
#include "page.h"

#define HDR	16		/* keeps MuPDF's alignment */

static void *
cap_malloc(void *arg, size_t n)
{
	struct mu *m = arg;
	unsigned char *p;

	if (n > m->cap - m->used || (p = malloc(n + HDR)) == NULL)
		return NULL;
	m->used += n;
	memcpy(p, &n, sizeof(n));
	return p + HDR;
}

static void
cap_free(void *arg, void *ptr)
{
	struct mu *m = arg;
	unsigned char *p = ptr;
	size_t n;

	if (p == NULL)
		return;
	memcpy(&n, p - HDR, sizeof(n));
	m->used -= n;
	free(p - HDR);
}

static void *
cap_realloc(void *arg, void *ptr, size_t n)
{
	struct mu *m = arg;
	unsigned char *p = ptr, *q;
	size_t old;

	if (p == NULL)
		return cap_malloc(arg, n);
	memcpy(&old, p - HDR, sizeof(old));
	if (n > old && n - old > m->cap - m->used)
		return NULL;
	if ((q = realloc(p - HDR, n + HDR)) == NULL)
		return NULL;
	m->used = m->used - old + n;
	memcpy(q, &n, sizeof(n));
	return q + HDR;
}

static void
quiet(void *user, const char *msg)
{
	(void)user;
	(void)msg;
}

int
mu_start(struct conv *c, size_t cap)
{
	struct mu *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -1;
	m->cap = cap;
	m->alloc.user = m;
	m->alloc.malloc = cap_malloc;
	m->alloc.realloc = cap_realloc;
	m->alloc.free = cap_free;
	if ((m->ctx = fz_new_context(&m->alloc, NULL, FZ_STORE_DEFAULT)) ==
	    NULL) {
		free(m);
		return -1;
	}
	if (c->opts == NULL || c->opts->verbose < 2) {
		fz_set_error_callback(m->ctx, quiet, NULL);
		fz_set_warning_callback(m->ctx, quiet, NULL);
	}
	/*
	 * Text and line art are thresholded to one bit anyway: drawing them
	 * without anti-aliasing looks the same on the fax page (ghostscript's
	 * fax devices draw bilevel too) and is faster; with it, MuPDF paints
	 * every row of a path's box, a full-page frame costs a whole page.
	 */
	fz_set_text_aa_level(m->ctx, 0);
	fz_set_graphics_aa_level(m->ctx, 0);
	c->mu = m;
	return 0;
}

int
mu_need(struct conv *c)
{
	if (c->mu != NULL || mu_start(c, c->mu_cap) == 0)
		return CONVERT_OK;
	return conv_fail(c, CONVERT_EINTERNAL, "cannot start MuPDF");
}

void
mu_stop(struct conv *c)
{
	struct mu *m = c->mu;

	if (m == NULL)
		return;
	fz_drop_device(m->ctx, m->dev);
	fz_drop_pixmap(m->ctx, m->pix);
	fz_drop_context(m->ctx);
	free(m);
	c->mu = NULL;
}

fz_device *
mu_page_begin(struct conv *c)
{
	struct mu *m = c->mu;

	if (m->pix == NULL) {
		m->pix = fz_new_pixmap(m->ctx, fz_device_gray(m->ctx),
		    c->geom.width, c->geom.rows, NULL, 0);
		m->dirty0 = 0;
		m->dirty1 = c->geom.rows;
	}
	/* only the rows the last page inked: most of a page stays white */
	if (m->dirty1 > m->dirty0)
		memset(fz_pixmap_samples(m->ctx, m->pix) +
		    (size_t)m->dirty0 * fz_pixmap_stride(m->ctx, m->pix), 255,
		    (size_t)(m->dirty1 - m->dirty0) *
		    fz_pixmap_stride(m->ctx, m->pix));
	m->dirty0 = 0;
	m->dirty1 = c->geom.rows;	/* until the sink has seen it */
	fz_drop_device(m->ctx, m->dev);
	m->dev = NULL;
	m->dev = fz_new_draw_device(m->ctx, fz_identity, m->pix);
	return m->dev;
}

void
mu_page_end(struct conv *c)
{
	struct mu *m = c->mu;
	int r;

	fz_close_device(m->ctx, m->dev);
	fz_drop_device(m->ctx, m->dev);
	m->dev = NULL;
	r = sink_gray(c->sink, fz_pixmap_samples(m->ctx, m->pix),
	    fz_pixmap_width(m->ctx, m->pix), fz_pixmap_height(m->ctx, m->pix),
	    fz_pixmap_stride(m->ctx, m->pix), m->has_box ? m->box : NULL);
	m->has_box = 0;
	if (r == CONVERT_OK) {
		m->dirty0 = c->sink->ink0;
		m->dirty1 = c->sink->ink1;
	}
	if (r != CONVERT_OK) {
		c->status = r;
		if (r == CONVERT_ELIMIT && c->sink->max_pages > 0 &&
		    c->sink->pages >= c->sink->max_pages)
			conv_fail(c, r, "more than %ld pages", c->opts->max_pages);
		else if (r == CONVERT_ELIMIT)
			conv_fail(c, r, "memory limit reached");
		else
			conv_fail(c, r, "cannot write page");
		fz_throw(m->ctx, FZ_ERROR_ABORT, "sink");
	}
	c->pages++;
}

int
mu_place(struct conv *c, float wpt, float hpt, int grow, fz_matrix *out)
{
	const struct geom *g = &c->geom;
	fz_matrix m = fz_identity;
	fz_rect r;
	float pw, ph, s;

	if (!isfinite(wpt) || !isfinite(hpt) || wpt < 1 || hpt < 1 ||
	    wpt > 1e7 || hpt > 1e7)
		return -1;
	r = fz_make_rect(0, 0, wpt, hpt);
	if (wpt > hpt * 1.05f) {
		/* landscape: a quarter turn fills a portrait fax page */
		m = fz_rotate(90);
		r = fz_transform_rect(r, m);
		m = fz_concat(m, fz_translate(-r.x0, -r.y0));
		r = fz_transform_rect(fz_make_rect(0, 0, wpt, hpt), m);
	}
	pw = (r.x1 - r.x0) * FAX_XDPI / 72;
	ph = (r.y1 - r.y0) * g->yres / 72;
	s = fminf(g->width / pw, g->rows / ph);
	if (s > 1 && !grow)
		s = 1;
	m = fz_concat(m, fz_scale(s * FAX_XDPI / 72, s * g->yres / 72));
	m = fz_concat(m, fz_translate((g->width - pw * s) / 2, 0));
	*out = m;
	return 0;
}

int
mu_caught(struct conv *c, const char *what)
{
	fz_context *ctx = c->mu->ctx;

	if (c->status != CONVERT_OK)
		return c->status;
	if (fz_caught(ctx) == FZ_ERROR_MEMORY)
		return conv_fail(c, CONVERT_ELIMIT, "%s: memory limit reached",
		    what);
	return conv_fail(c, CONVERT_ECORRUPT, "corrupt %s: %s", what,
	    fz_caught_message(ctx));
}

/* dpi outside this range is a missing or silly tag: assume a scan */
static float
sane_dpi(float d)
{
	return d >= 50 && d <= 2400 ? d : 200;
}

void
mu_picture_box(struct conv *c, fz_matrix m)
{
	fz_irect b = fz_round_rect(fz_transform_rect(fz_unit_rect, m));

	c->mu->box[0] = b.x0;
	c->mu->box[1] = b.y0;
	c->mu->box[2] = b.x1;
	c->mu->box[3] = b.y1;
	c->mu->has_box = 1;
}

void
mu_draw_gray(struct conv *c, unsigned char *gray, int w, int h, float xdpi,
    float ydpi)
{
	fz_context *ctx = c->mu->ctx;
	fz_pixmap *pix = NULL;
	fz_image *img = NULL;
	float wpt = w * 72 / sane_dpi(xdpi), hpt = h * 72 / sane_dpi(ydpi);
	fz_matrix m;
	fz_device *dev;

	if (mu_place(c, wpt, hpt, 0, &m) == -1)
		fz_throw(ctx, FZ_ERROR_GENERIC, "image size %dx%d", w, h);
	fz_var(pix);
	fz_var(img);
	fz_try(ctx) {
		pix = fz_new_pixmap_with_data(ctx, fz_device_gray(ctx), w, h,
		    NULL, 0, w, gray);
		img = fz_new_image_from_pixmap(ctx, pix, NULL);
		dev = mu_page_begin(c);
		m = fz_pre_scale(m, wpt, hpt);
		fz_fill_image(ctx, dev, img, m, 1, fz_default_color_params);
		mu_picture_box(c, m);
		mu_page_end(c);
	}
	fz_always(ctx) {
		fz_drop_image(ctx, img);
		fz_drop_pixmap(ctx, pix);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}
