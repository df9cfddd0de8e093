/*
 * mkcorpus: writes every document the convert tests feed it into DIR:
 * text (UTF-8, UTF-16 with a BOM, 8-bit charsets), PDFs (mkpdf.c),
 * PostScript and EPS (hostile ones too), JPEG (RGB and Adobe CMYK), PNG
 * (16-bit grey, RGBA), TIFF (fax pages in MH/MR/MMR, RGB LZW, absurd
 * size), the first bytes of RTF and DOCX, and broken ones.  Usage:
 * mkcorpus [-l] DIR (-l: without the costly bomb.pdf and slow.pdf), or
 * mkcorpus -p N FILE for an N-page PDF (-f: full pages of text, for the
 * benchmark).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <tiffio.h>
#include <zlib.h>

#include "mkcorpus.h"

static char dir[1024];

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "mkcorpus: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static const char *
at(const char *name)
{
	static char path[2048];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
put(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(at(name), "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die("write %s", name);
}

static const char scripts[] =
    "Latin: The quick brown fox jumps over the lazy dog.\n"
    "Cyrillic: \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
    "\xd0\xbc\xd0\xb8\xd1\x80\n"
    "Greek: \xce\x93\xce\xb5\xce\xb9\xce\xb1 \xcf\x83\xce\xbf\xcf\x85\n"
    "CJK: \xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c "
    "\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf\n"
    "Hebrew: \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\n"
    "Arabic: \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\n"
    "Bad UTF-8: \xff\xfe\xc3 end\n";

static void
texts(void)
{
	char buf[8192];
	size_t n = 0;
	int i;

	put("scripts.txt", scripts, sizeof(scripts) - 1);
	/* tabs, a 300-column line to wrap, a form feed: two pages */
	n += snprintf(buf + n, sizeof(buf) - n, "col1\tcol2\tcol3\n");
	for (i = 0; i < 300; i++)
		buf[n++] = 'a' + i % 26;
	n += snprintf(buf + n, sizeof(buf) - n, "\n\fsecond page\n");
	put("layout.txt", buf, n);
	/* 150 lines: three A4 pages at normal resolution */
	n = 0;
	for (i = 0; i < 150; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "line %d\n", i + 1);
	put("long.txt", buf, n);
	put("empty.txt", "", 0);
	memset(buf, 0, 64);
	for (i = 0; i < 64; i++)
		buf[i] = (char)(i * 7 + 1) | 0x80;
	buf[10] = 0;
	put("binary.bin", buf, 64);
}

static void
jpeg_file(const char *name, int cmyk)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char row[800 * 4];
	JSAMPROW rp = row;
	FILE *f = fopen(at(name), "wb");
	int x, y, k, n = cmyk ? 4 : 3;

	if (f == NULL)
		die("%s", name);
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, f);
	c.image_width = 800;
	c.image_height = 600;
	c.input_components = n;
	c.in_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_set_defaults(&c);
	c.density_unit = 1;
	c.X_density = c.Y_density = 100;
	jpeg_start_compress(&c, TRUE);
	for (y = 0; y < 600; y++) {
		for (x = 0; x < 800; x++)
			for (k = 0; k < n; k++) {
				/* a dark box at the top, a ramp below */
				int ink = (y > 40 && y < 140 && x > 100 &&
				    x < 700) ? 255 : y > 300 ? x * 255 / 800 : 0;
				row[x * n + k] = cmyk ?
				    (k == 3 ? 255 - ink : 255) : 255 - ink;
			}
		jpeg_write_scanlines(&c, &rp, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fclose(f);
}

static void
png_chunk(FILE *f, const char *type, const unsigned char *d, size_t n)
{
	unsigned char b[4];
	uLong crc = crc32(0, (const Bytef *)type, 4);

	if (n > 0)
		crc = crc32(crc, d, n);
	b[0] = n >> 24; b[1] = n >> 16; b[2] = n >> 8; b[3] = n;
	fwrite(b, 1, 4, f);
	fwrite(type, 1, 4, f);
	if (n > 0)
		fwrite(d, 1, n, f);
	b[0] = crc >> 24; b[1] = crc >> 16; b[2] = crc >> 8; b[3] = crc;
	fwrite(b, 1, 4, f);
}

/* 600x400: grey 16-bit (type 0) or RGBA 8-bit (type 6) */
static void
png_file(const char *name, int type)
{
	int w = 600, h = 400, bpp = type == 0 ? 2 : 4, x, y, k;
	size_t rb = 1 + (size_t)w * bpp, zn = rb * h + 1024;
	unsigned char *raw = calloc(rb, h), *z = malloc(zn);
	unsigned char hdr[13] = { 0, 0, 2, 0x58, 0, 0, 1, 0x90, 8, 0, 0, 0, 0 };
	uLongf zl = zn;
	FILE *f = fopen(at(name), "wb");

	if (f == NULL || raw == NULL || z == NULL)
		die("%s", name);
	hdr[8] = type == 0 ? 16 : 8;
	hdr[9] = type;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			int box = y > 20 && y < 90 && x > 50 && x < 550;
			unsigned char *p = raw + y * rb + 1 + x * bpp;

			for (k = 0; k < bpp; k++)
				p[k] = type == 0 ? (box ? 0x00 : 0xff) :
				    k == 3 ? (box ? 255 : 0) : 0;
		}
	compress2(z, &zl, raw, rb * h, 9);
	fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
	png_chunk(f, "IHDR", hdr, 13);
	png_chunk(f, "IDAT", z, zl);
	png_chunk(f, "IEND", NULL, 0);
	fclose(f);
	free(raw);
	free(z);
}

/* npages fax pages 1728 wide with bars near the top */
static void
fax_tiff(const char *name, int comp, uint32_t g3, int yres, int fill)
{
	TIFF *t = TIFFOpen(at(name), "w");
	uint32_t h = yres > 100 ? 2287 : 1143, y, x;
	unsigned char row[1728 / 8];
	int p;

	if (t == NULL)
		die("%s", name);
	for (p = 0; p < 3; p++) {
		TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 1728);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
		TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
		TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
		TIFFSetField(t, TIFFTAG_COMPRESSION, comp);
		if (comp == COMPRESSION_CCITTFAX3)
			TIFFSetField(t, TIFFTAG_GROUP3OPTIONS, g3);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
		TIFFSetField(t, TIFFTAG_FILLORDER, fill);
		TIFFSetField(t, TIFFTAG_XRESOLUTION, 204.0);
		TIFFSetField(t, TIFFTAG_YRESOLUTION, (double)yres);
		TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 128);
		TIFFSetField(t, TIFFTAG_PAGENUMBER, p, 3);
		for (y = 0; y < h; y++) {
			for (x = 0; x < sizeof(row); x++)
				row[x] = (y / 8 + p) % 3 == 0 && y < h / 5 &&
				    x > 10 && x < 200 ? (unsigned char)
				    (0xf0 >> (x % 3)) : 0;
			if (TIFFWriteScanline(t, row, y, 0) < 0)
				die("%s: scanline", name);
		}
		TIFFWriteDirectory(t);
	}
	TIFFClose(t);
}

static void
rgb_tiff(const char *name)
{
	TIFF *t = TIFFOpen(at(name), "w");
	unsigned char row[1000 * 3];
	uint32_t y, x;

	if (t == NULL)
		die("%s", name);
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 1000);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, 800);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 3);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, 150.0);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, 150.0);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 16);
	for (y = 0; y < 800; y++) {
		for (x = 0; x < 1000; x++) {
			int box = y > 30 && y < 150 && x > 100 && x < 900;

			row[x * 3] = box ? 20 : 255;
			row[x * 3 + 1] = box ? 0 : 255 - y / 4;
			row[x * 3 + 2] = box ? 40 : x / 4;
		}
		TIFFWriteScanline(t, row, y, 0);
	}
	TIFFClose(t);
}

static void
le16(unsigned char *p, unsigned v) { p[0] = v; p[1] = v >> 8; }
static void
le32(unsigned char *p, uint32_t v) { le16(p, v & 0xffff); le16(p + 2, v >> 16); }

/* a hand-made baseline TIFF claiming w x h pixels over 16 bytes of data */
static void
absurd_tiff(const char *name, uint32_t w, uint32_t h, unsigned comp,
    unsigned bps)
{
	static const unsigned short tags[][3] = {	/* tag, type, value */
		{ 256, 4, 0 }, { 257, 4, 0 }, { 258, 3, 1 }, { 259, 3, 0 },
		{ 262, 3, 0 }, { 273, 4, 200 }, { 277, 3, 1 }, { 278, 4, 0 },
		{ 279, 4, 16 },
	};
	unsigned char b[216];
	unsigned i, n = sizeof(tags) / sizeof(tags[0]);

	memset(b, 0, sizeof(b));
	memcpy(b, "II*\0", 4);
	le32(b + 4, 8);
	le16(b + 8, n);
	for (i = 0; i < n; i++) {
		unsigned char *e = b + 10 + 12 * i;
		uint32_t v = tags[i][2];

		if (tags[i][0] == 256)
			v = w;
		else if (tags[i][0] == 257 || tags[i][0] == 278)
			v = h;
		else if (tags[i][0] == 259)
			v = comp;
		else if (tags[i][0] == 258)
			v = bps;
		le16(e, tags[i][0]);
		le16(e + 2, tags[i][1]);
		le32(e + 4, 1);
		if (tags[i][1] == 3)
			le16(e + 8, v);
		else
			le32(e + 8, v);
	}
	put(name, b, sizeof(b));
}

/* the first pct percent of file from, as file to */
static void
cut(const char *from, const char *to, int pct)
{
	FILE *f = fopen(at(from), "rb");
	static unsigned char buf[1 << 20];
	size_t n;

	if (f == NULL)
		die("%s", from);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	put(to, buf, n * pct / 100);
}

/*
 * PostScript: a portrait A4 page with a line of text over a filled box
 * (points 100-300 across, 100-400 up), a landscape page with a box, an
 * EPS, and hostile programs: a loop, a memory eater, file and pipe
 * operators on paths outside and inside the sandbox's root.
 */
static const char ps_doc[] =
    "%!PS-Adobe-3.0\n%%Pages: 2\n%%EndComments\n"
    "%%Page: 1 1\n<< /PageSize [595 842] >> setpagedevice\n"
    "/Helvetica findfont 24 scalefont setfont\n"
    "72 760 moveto (Hello from PostScript) show\n"
    "100 100 200 300 rectfill\nshowpage\n"
    "%%Page: 2 2\n<< /PageSize [842 595] >> setpagedevice\n"
    "100 100 600 200 rectfill\nshowpage\n%%EOF\n";
static const char eps_doc[] =
    "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 200\n"
    "%%EndComments\n0 0 100 200 rectfill\n%%EOF\n";

static void
postscript(void)
{
	FILE *f;

#define PS(name, text) put(name, text, sizeof(text) - 1)
	put("doc.ps", ps_doc, sizeof(ps_doc) - 1);
	/* the same in a printer job: PJL after the universal exit */
	if ((f = fopen(at("pjl.prn"), "wb")) == NULL ||
	    fprintf(f, "\033%%-12345X@PJL JOB\r\n@PJL ENTER LANGUAGE = "
	    "POSTSCRIPT\r\n%s\033%%-12345X@PJL EOJ\r\n\033%%-12345X",
	    ps_doc) < 0 || fclose(f) != 0)
		die("write pjl.prn");
	PS("pcl.prn", "\033%-12345X@PJL ENTER LANGUAGE = PCL\r\n\033E"
	    "Hello\033E\033%-12345X");
	put("figure.eps", eps_doc, sizeof(eps_doc) - 1);
	put("loop.ps", "%!PS\n{ } loop\n", 14);
	PS("eatmem.ps", "%!PS\n/l null def { /l [ l 65535 string ] def } loop\n");
	PS("passwd.ps", "%!PS\n(/etc/passwd) (r) file 99 string readstring\n"
	    "showpage\n");
	PS("osrel.ps", "%!PS\n(/usr/lib/os-release) (r) file 99 string "
	    "readstring\nshowpage\n");
	PS("pipe.ps", "%!PS\n(%pipe%id) (r) file pop\nshowpage\n");
	PS("socket.ps", "%!PS\n(%pipe%exec 3<>/dev/tcp/127.0.0.1/9) (w) file "
	    "pop\nshowpage\n");
#undef PS
}

/* the same lines in UTF-8 and in UTF-16 (LE and BE) with a BOM */
static void
utf16(void)
{
	static const char u8[] = "Gr\xc3\xbc\xc3\x9f Gott, \xe2\x82\xac 5\n"
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xf0\x9f\x98\x80\n";
	/* the code points of u8, U+1F600 as a surrogate pair */
	static const unsigned cp[] = { 'G', 'r', 0xfc, 0xdf, ' ', 'G', 'o',
	    't', 't', ',', ' ', 0x20ac, ' ', '5', '\n', 0x41f, 0x440, 0x438,
	    0x432, 0x435, 0x442, ' ', 0xd83d, 0xde00, '\n' };
	unsigned char le[2 + 2 * 25], be[2 + 2 * 25];
	size_t i;

	put("utf8.txt", u8, sizeof(u8) - 1);
	le[0] = 0xff; le[1] = 0xfe; be[0] = 0xfe; be[1] = 0xff;
	for (i = 0; i < sizeof(cp) / sizeof(cp[0]); i++) {
		le[2 + 2 * i] = cp[i] & 0xff;
		le[3 + 2 * i] = cp[i] >> 8;
		be[2 + 2 * i] = cp[i] >> 8;
		be[3 + 2 * i] = cp[i] & 0xff;
	}
	put("utf16le.txt", le, 2 + 2 * i);
	put("utf16be.txt", be, 2 + 2 * i);
	/* 8-bit charsets, named by the MIME type: windows-1252 has the euro */
#define STR(name, text) put(name, text, sizeof(text) - 1)
	STR("cp1252.txt", "Gr\xfc\xdf Gott, \x80 5\n");
	STR("cp1252-u8.txt", "Gr\xc3\xbc\xc3\x9f Gott, \xe2\x82\xac 5\n");
	STR("latin1.txt", "caf\xe9 cr\xe8me \xa7 2\n");
	STR("latin1-u8.txt", "caf\xc3\xa9 cr\xc3\xa8me \xc2\xa7 2\n");
#undef STR
}

/* light: leave out the two costly files (bomb.pdf, slow.pdf) */
static void
all(int light)
{
	texts();
	postscript();
	utf16();
	mk_pdf_liar(at("liar.pdf"));
	put("letter.rtf", "{\\rtf1\\ansi Hello}\n", 19);
	/* the start of a DOCX: a ZIP whose first entry is the OOXML index */
	put("letter.docx", "PK\003\004\024\0\0\0\010\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\023\0\0\0[Content_Types].xml", 49);
	mk_pdf_text(at("doc3.pdf"), 3, 595, 842);
	mk_pdf_text(at("landscape.pdf"), 1, 842, 595);
	mk_pdf_text(at("huge.pdf"), 1, 14400, 14400);
	mk_pdf_text(at("many.pdf"), 120, 612, 792);
	mk_pdf_encrypted(at("encrypted.pdf"));
	if (!light) {
		mk_pdf_bomb(at("bomb.pdf"), 20000);
		mk_pdf_slow(at("slow.pdf"), 200 << 20);
	}
	cut("doc3.pdf", "truncated.pdf", 40);
	jpeg_file("photo.jpg", 0);
	jpeg_file("cmyk.jpg", 1);
	cut("photo.jpg", "truncated.jpg", 3);
	png_file("gray16.png", 0);
	png_file("rgba.png", 6);
	cut("gray16.png", "truncated.png", 30);
	fax_tiff("fax-mh.tif", COMPRESSION_CCITTFAX3, 0, 98, FILLORDER_MSB2LSB);
	fax_tiff("fax-mr.tif", COMPRESSION_CCITTFAX3, GROUP3OPT_2DENCODING, 98,
	    FILLORDER_LSB2MSB);
	fax_tiff("fax-mmr.tif", COMPRESSION_CCITTFAX4, 0, 98,
	    FILLORDER_MSB2LSB);
	fax_tiff("fax-fine.tif", COMPRESSION_CCITTFAX4, 0, 196,
	    FILLORDER_MSB2LSB);
	rgb_tiff("rgb.tif");
	absurd_tiff("absurd.tif", 100000, 100000, 1, 8);
	absurd_tiff("absurd-fax.tif", 1728, 3000000, 4, 1);
}

int
main(int argc, char *argv[])
{
	TIFFSetWarningHandler(NULL);
	if (argc == 4 && (strcmp(argv[1], "-p") == 0 ||
	    strcmp(argv[1], "-f") == 0)) {
		mk_pdf_pages(argv[3], atoi(argv[2]), 595, 842, argv[1][1] == 'f');
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		snprintf(dir, sizeof(dir), "%s", argv[2]);
		all(1);
		return 0;
	}
	if (argc != 2)
		die("usage: mkcorpus [-l] DIR | mkcorpus -p|-f NPAGES FILE.pdf");
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	all(0);
	return 0;
}
