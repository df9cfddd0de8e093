/*
 * fmt_jpeg: JPEG through libjpeg-turbo.  Decodes straight to grey, shrunk
 * by libjpeg's own 1/2..1/8 scaling when the picture is far larger than
 * the fax page; CMYK and YCCK (Adobe's inverted CMYK) are turned to grey
 * here.  libjpeg reports errors by longjmp: nothing MuPDF-owned may be
 * live across jpeg calls.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "mu.h"

struct jerr {
	struct jpeg_error_mgr	pub;
	jmp_buf			jmp;
	char			msg[JMSG_LENGTH_MAX];
};

static void
jerr_exit(j_common_ptr cinfo)
{
	struct jerr *e = (struct jerr *)cinfo->err;

	(*cinfo->err->format_message)(cinfo, e->msg);
	longjmp(e->jmp, 1);
}

static void
jerr_quiet(j_common_ptr cinfo, int level)
{
	(void)cinfo;
	(void)level;
}

static unsigned char
cmyk_gray(const JSAMPLE *p, int inverted)
{
	int cc = p[0], m = p[1], y = p[2], k = p[3], v;

	if (inverted) {		/* Adobe writes 255 for no ink */
		cc = 255 - cc;
		m = 255 - m;
		y = 255 - y;
		k = 255 - k;
	}
	v = (cc * 77 + m * 151 + y * 28) / 256 + k;
	return v > 255 ? 0 : 255 - v;
}

static void
pick_scale(struct jpeg_decompress_struct *ci, int rows)
{
	unsigned int big = ci->image_width > ci->image_height ?
	    ci->image_width : ci->image_height;

	ci->scale_num = 1;
	ci->scale_denom = 1;
	while (ci->scale_denom < 8 && big / (ci->scale_denom * 2) >=
	    (unsigned int)rows)
		ci->scale_denom *= 2;
}

struct jpg {
	struct jpeg_decompress_struct	 ci;
	struct jerr			 err;
	unsigned char			*gray;
	unsigned char			*line;
};

/* the decoding proper: CONVERT_OK, or a status for a refused size */
static int
decode(struct conv *c, struct jpg *j)
{
	struct jpeg_decompress_struct *ci = &j->ci;
	JSAMPROW row;
	size_t w, y, x;
	int cmyk;

	cmyk = ci->jpeg_color_space == JCS_CMYK ||
	    ci->jpeg_color_space == JCS_YCCK;
	ci->out_color_space = cmyk ? JCS_CMYK : JCS_GRAYSCALE;
	pick_scale(ci, c->geom.rows);
	jpeg_calc_output_dimensions(ci);
	w = ci->output_width;
	if ((double)w * ci->output_height > c->opts->max_pixels)
		return conv_fail(c, CONVERT_ELIMIT, "JPEG of %ux%u pixels",
		    ci->image_width, ci->image_height);
	jpeg_start_decompress(ci);
	if ((j->gray = malloc(w * ci->output_height)) == NULL ||
	    (j->line = malloc(w * ci->output_components)) == NULL)
		return conv_fail(c, CONVERT_ELIMIT, "JPEG: out of memory");
	memset(j->gray, 255, w * ci->output_height);
	for (y = 0; ci->output_scanline < ci->output_height; y++) {
		row = cmyk ? j->line : j->gray + y * w;
		if (jpeg_read_scanlines(ci, &row, 1) != 1)
			break;
		for (x = 0; cmyk && x < w; x++)
			j->gray[y * w + x] = cmyk_gray(j->line + 4 * x,
			    ci->saw_Adobe_marker);
	}
	jpeg_finish_decompress(ci);
	return CONVERT_OK;
}

static float
density(const struct jpeg_decompress_struct *ci, UINT16 d)
{
	float v = ci->density_unit == 1 ? d : ci->density_unit == 2 ?
	    d * 2.54f : 0;

	return v * ci->output_width / ci->image_width;
}

static int
draw(struct conv *c, struct jpg *j)
{
	fz_context *ctx = c->mu->ctx;
	int r = CONVERT_OK;

	fz_try(ctx)
		mu_draw_gray(c, j->gray, j->ci.output_width,
		    j->ci.output_height, density(&j->ci, j->ci.X_density),
		    density(&j->ci, j->ci.Y_density));
	fz_catch(ctx)
		r = mu_caught(c, "JPEG");
	return r;
}

int
fmt_jpeg(struct conv *c, const unsigned char *doc, size_t len)
{
	struct jpg *j;
	int r;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return conv_fail(c, CONVERT_EINTERNAL, "out of memory");
	j->ci.err = jpeg_std_error(&j->err.pub);
	j->err.pub.error_exit = jerr_exit;
	j->err.pub.emit_message = jerr_quiet;
	if (setjmp(j->err.jmp)) {
		r = conv_fail(c, j->err.pub.msg_code == JERR_OUT_OF_MEMORY ?
		    CONVERT_ELIMIT : CONVERT_ECORRUPT, "corrupt JPEG: %s",
		    j->err.msg);
		goto done;
	}
	jpeg_create_decompress(&j->ci);
	j->ci.mem->max_memory_to_use = (long)c->opts->max_pixels * 4;
	jpeg_mem_src(&j->ci, doc, len);
	jpeg_read_header(&j->ci, TRUE);
	if ((r = decode(c, j)) == CONVERT_OK &&
	    (r = conv_begin(c, 1)) == CONVERT_OK)
		r = draw(c, j);
 done:
	jpeg_destroy_decompress(&j->ci);
	free(j->gray);
	free(j->line);
	free(j);
	return r;
}
