/*
 * fmt_pdf: PDF and PNG through MuPDF.  Each PDF page is drawn shrunk to
 * fit the fax page (a quarter turn for landscape); a PNG is one page.
 * Only the PDF handler is used: no HTML, XPS or EPUB parser is reachable
 * from here, and JavaScript stays off (MuPDF runs none unless asked).
 */
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "mu.h"

static void
pdf_pages(struct conv *c, pdf_document *pdf)
{
	fz_document *d = &pdf->super;
	fz_context *ctx = c->mu->ctx;
	fz_page *page = NULL;
	fz_matrix m;
	fz_rect b;
	int i, n;

	n = fz_count_pages(ctx, d);
	if (n <= 0)
		fz_throw(ctx, FZ_ERROR_GENERIC, "no pages");
	/* every page is an object: a count beyond them is the file's error */
	if (n > pdf_xref_len(ctx, pdf)) {
		c->status = conv_fail(c, CONVERT_ECORRUPT, "inconsistent PDF: "
		    "its page tree claims %d pages in a file of %d objects",
		    n, pdf_xref_len(ctx, pdf));
		fz_throw(ctx, FZ_ERROR_ABORT, "pages");
	}
	if (n > c->opts->max_pages) {
		c->status = conv_fail(c, CONVERT_ELIMIT, "%d pages, limit %ld",
		    n, c->opts->max_pages);
		fz_throw(ctx, FZ_ERROR_ABORT, "pages");
	}
	if ((c->status = conv_begin(c, n)) != CONVERT_OK)
		fz_throw(ctx, FZ_ERROR_ABORT, "cover");
	fz_var(page);
	fz_try(ctx) {
		for (i = 0; i < n; i++) {
			page = fz_load_page(ctx, d, i);
			b = fz_bound_page(ctx, page);
			if (mu_place(c, b.x1 - b.x0, b.y1 - b.y0, 0, &m) == -1)
				fz_throw(ctx, FZ_ERROR_GENERIC,
				    "page %d has an absurd size", i + 1);
			m = fz_pre_translate(m, -b.x0, -b.y0);
			fz_run_page(ctx, page, mu_page_begin(c), m, NULL);
			mu_page_end(c);
			fz_drop_page(ctx, page);
			page = NULL;
		}
	}
	fz_always(ctx)
		fz_drop_page(ctx, page);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int
fmt_pdf(struct conv *c, const unsigned char *doc, size_t len)
{
	fz_context *ctx = c->mu->ctx;
	fz_stream *stm = NULL;
	pdf_document *pdf = NULL;
	int r = CONVERT_OK;

	fz_var(stm);
	fz_var(pdf);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, doc, len);
		pdf = pdf_open_document_with_stream(ctx, stm);
		if (fz_needs_password(ctx, &pdf->super) &&
		    !fz_authenticate_password(ctx, &pdf->super, "")) {
			c->status = conv_fail(c, CONVERT_EENCRYPTED,
			    "encrypted PDF needs a password");
			fz_throw(ctx, FZ_ERROR_ABORT, "password");
		}
		pdf_pages(c, pdf);
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, pdf);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		r = mu_caught(c, "PDF");
	return r;
}

int
fmt_png(struct conv *c, const unsigned char *doc, size_t len)
{
	fz_context *ctx = c->mu->ctx;
	fz_buffer *buf = NULL;
	fz_image *img = NULL;
	fz_matrix m;
	float wpt = 0, hpt = 0;
	int r = CONVERT_OK;

	fz_var(buf);
	fz_var(img);
	fz_try(ctx) {
		buf = fz_new_buffer_from_shared_data(ctx, doc, len);
		img = fz_new_image_from_buffer(ctx, buf);
		if ((double)img->w * img->h > c->opts->max_pixels) {
			c->status = conv_fail(c, CONVERT_ELIMIT,
			    "image of %dx%d pixels, limit %ld", img->w, img->h,
			    c->opts->max_pixels);
			fz_throw(ctx, FZ_ERROR_ABORT, "pixels");
		}
		if ((c->status = conv_begin(c, 1)) != CONVERT_OK)
			fz_throw(ctx, FZ_ERROR_ABORT, "cover");
		wpt = img->w * 72.0f / (img->xres >= 50 ? img->xres : 200);
		hpt = img->h * 72.0f / (img->yres >= 50 ? img->yres : 200);
		if (mu_place(c, wpt, hpt, 0, &m) == -1)
			fz_throw(ctx, FZ_ERROR_GENERIC, "absurd image size");
		m = fz_pre_scale(m, wpt, hpt);
		fz_fill_image(ctx, mu_page_begin(c), img, m, 1,
		    fz_default_color_params);
		mu_picture_box(c, m);
		mu_page_end(c);
	}
	fz_always(ctx) {
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		r = mu_caught(c, "PNG");
	return r;
}
