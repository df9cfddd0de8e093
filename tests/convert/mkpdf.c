/*
 * mkpdf: the PDF half of the test corpus, written from scratch so the
 * tests need no PDF tool.  Objects are numbered in order; the xref table
 * is computed from the bytes written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "mkcorpus.h"

struct pdf {
	FILE	*f;
	long	 off[4096];
	int	 n;
};

static void
obj_begin(struct pdf *p)
{
	p->off[++p->n] = ftell(p->f);
	fprintf(p->f, "%d 0 obj\n", p->n);
}

static void
stream(struct pdf *p, const char *dict, const unsigned char *data, size_t len)
{
	obj_begin(p);
	fprintf(p->f, "<< %s /Length %zu >>\nstream\n", dict, len);
	fwrite(data, 1, len, p->f);
	fprintf(p->f, "\nendstream\nendobj\n");
}

static void
finish(struct pdf *p, const char *trailer_extra)
{
	long x = ftell(p->f);
	int i;

	fprintf(p->f, "xref\n0 %d\n0000000000 65535 f \n", p->n + 1);
	for (i = 1; i <= p->n; i++)
		fprintf(p->f, "%010ld 00000 n \n", p->off[i]);
	fprintf(p->f, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n"
	    "%ld\n%%%%EOF\n", p->n + 1, trailer_extra, x);
}

/* deflates what gen() yields, in pieces, so a bomb needs no big buffer */
static unsigned char *
deflate_gen(size_t total, void (*gen)(unsigned char *, size_t, size_t),
    size_t *outlen)
{
	z_stream z;
	unsigned char in[65536], *out;
	size_t done = 0, cap = total / 100 + 65536, n;

	memset(&z, 0, sizeof(z));
	deflateInit(&z, 9);
	out = malloc(cap);
	z.next_out = out;
	z.avail_out = cap;
	while (done < total) {
		n = total - done < sizeof(in) ? total - done : sizeof(in);
		gen(in, n, done);
		z.next_in = in;
		z.avail_in = n;
		done += n;
		deflate(&z, done == total ? Z_FINISH : Z_NO_FLUSH);
		if (z.avail_out == 0)
			die("deflate buffer too small");
	}
	if (done == 0)
		deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

/*
 * pages: n pages of w x h points, each with a heading and some lines of
 * text; extra: a content stream fragment added to page 1 (may be NULL)
 */
static void
catalog(struct pdf *p, int npages)
{
	int i;

	obj_begin(p);
	fprintf(p->f, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	obj_begin(p);
	fprintf(p->f, "<< /Type /Pages /Count %d /Kids [", npages);
	for (i = 0; i < npages; i++)
		fprintf(p->f, " %d 0 R", 4 + 2 * i);
	fprintf(p->f, " ] >>\nendobj\n");
	obj_begin(p);
	fprintf(p->f, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
	    ">>\nendobj\n");
}

/* content for a full page: 50 lines of 11 pt text and a box */
static int
full_page(char *buf, size_t size, int page)
{
	int n, i;

	n = snprintf(buf, size, "BT /F1 11 Tf 13 TL 56 780 Td");
	for (i = 0; i < 50 && n < (int)size - 200; i++)
		n += snprintf(buf + n, size - n, " (Page %d line %d: Pack my box "
		    "with five dozen liquor jugs; 0123456789.) '", page, i + 1);
	n += snprintf(buf + n, size - n, " ET 50 40 495 762 re S");
	return n;
}

void
mk_pdf_text(const char *path, int npages, float w, float h)
{
	mk_pdf_pages(path, npages, w, h, 0);
}

void
mk_pdf_pages(const char *path, int npages, float w, float h, int full)
{
	struct pdf p = { fopen(path, "wb"), { 0 }, 0 };
	char content[8192];
	int i, len;

	if (p.f == NULL)
		die("%s", path);
	fprintf(p.f, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
	catalog(&p, npages);
	for (i = 0; i < npages; i++) {
		obj_begin(&p);
		fprintf(p.f, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f "
		    "%.0f] /Resources << /Font << /F1 3 0 R >> >> /Contents "
		    "%d 0 R >>\nendobj\n", w, h, 5 + 2 * i);
		if (full) {
			len = full_page(content, sizeof(content), i + 1);
			stream(&p, "", (unsigned char *)content, len);
			continue;
		}
		len = snprintf(content, sizeof(content),
		    "BT /F1 %.0f Tf 50 %.0f Td (Rampart test page %d) Tj "
		    "0 -%.0f Td (The quick brown fox jumps over the lazy dog.) "
		    "Tj ET 50 50 m %.0f 50 l 4 w S", h / 20, h - h / 8, i + 1,
		    h / 15, w - 50);
		stream(&p, "", (unsigned char *)content, len);
	}
	finish(&p, "");
	fclose(p.f);
}

/* a standard security handler whose keys do not fit the empty password */
void
mk_pdf_encrypted(const char *path)
{
	struct pdf p = { fopen(path, "wb"), { 0 }, 0 };
	const char *content = "BT /F1 24 Tf 50 700 Td (secret) Tj ET";
	char extra[512];
	int i;

	if (p.f == NULL)
		die("%s", path);
	fprintf(p.f, "%%PDF-1.4\n");
	catalog(&p, 1);
	obj_begin(&p);
	fprintf(p.f, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	    "/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>\n"
	    "endobj\n");
	stream(&p, "", (const unsigned char *)content, strlen(content));
	obj_begin(&p);
	fprintf(p.f, "<< /Filter /Standard /V 1 /R 2 /P -44 /O <");
	for (i = 0; i < 32; i++)
		fprintf(p.f, "%02x", (i * 37 + 11) & 0xff);
	fprintf(p.f, "> /U <");
	for (i = 0; i < 32; i++)
		fprintf(p.f, "%02x", (i * 53 + 7) & 0xff);
	fprintf(p.f, "> >>\nendobj\n");
	snprintf(extra, sizeof(extra), "/Encrypt %d 0 R /ID [<0123456789abcdef"
	    "0123456789abcdef> <0123456789abcdef0123456789abcdef>]", p.n);
	finish(&p, extra);
	fclose(p.f);
}

static void
gen_zero(unsigned char *b, size_t n, size_t off)
{
	(void)off;
	memset(b, 0, n);
}

static const char stroke[] = "0 0 m 600 800 l S 600 0 m 0 800 l S\n";

static void
gen_strokes(unsigned char *b, size_t n, size_t off)
{
	size_t i, k = sizeof(stroke) - 1;

	for (i = 0; i < n; i++)
		b[i] = stroke[(off + i) % k];
}

/* one page drawing a side x side grey image that is all zeros: a bomb */
void
mk_pdf_bomb(const char *path, int side)
{
	struct pdf p = { fopen(path, "wb"), { 0 }, 0 };
	const char *content = "q 500 0 0 700 50 50 cm /Im1 Do Q";
	unsigned char *z;
	size_t zlen;
	char dict[256];

	if (p.f == NULL)
		die("%s", path);
	fprintf(p.f, "%%PDF-1.4\n");
	catalog(&p, 1);
	obj_begin(&p);
	fprintf(p.f, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	    "/Resources << /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>\n"
	    "endobj\n");
	stream(&p, "", (const unsigned char *)content, strlen(content));
	z = deflate_gen((size_t)side * side, gen_zero, &zlen);
	snprintf(dict, sizeof(dict), "/Type /XObject /Subtype /Image /Width %d "
	    "/Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
	    "/Filter /FlateDecode", side, side);
	stream(&p, dict, z, zlen);
	free(z);
	finish(&p, "");
	fclose(p.f);
}

/* one page whose content stream strokes long lines millions of times */
void
mk_pdf_slow(const char *path, size_t bytes)
{
	struct pdf p = { fopen(path, "wb"), { 0 }, 0 };
	unsigned char *z;
	size_t zlen;

	if (p.f == NULL)
		die("%s", path);
	fprintf(p.f, "%%PDF-1.4\n");
	catalog(&p, 1);
	obj_begin(&p);
	fprintf(p.f, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	    "/Contents 5 0 R >>\nendobj\n");
	z = deflate_gen(bytes, gen_strokes, &zlen);
	stream(&p, "/Filter /FlateDecode", z, zlen);
	free(z);
	finish(&p, "");
	fclose(p.f);
}

/* one page under a page tree whose /Count claims 2^31 - 1 pages */
void
mk_pdf_liar(const char *path)
{
	struct pdf p = { fopen(path, "wb"), { 0 }, 0 };
	const char *content = "BT /F1 24 Tf 50 700 Td (one page) Tj ET";

	if (p.f == NULL)
		die("%s", path);
	fprintf(p.f, "%%PDF-1.4\n");
	obj_begin(&p);
	fprintf(p.f, "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	obj_begin(&p);
	fprintf(p.f, "<< /Type /Pages /Count 2147483647 /Kids [ 4 0 R ] >>\n"
	    "endobj\n");
	obj_begin(&p);
	fprintf(p.f, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
	    ">>\nendobj\n");
	obj_begin(&p);
	fprintf(p.f, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
	    "/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>\n"
	    "endobj\n");
	stream(&p, "", (const unsigned char *)content, strlen(content));
	finish(&p, "");
	fclose(p.f);
}
