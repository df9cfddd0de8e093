/*
 * membuf-t: convert's in-memory TIFF file with borrowed bytes.  Writes
 * through the same procs libtiff calls (membuf.c is included, so its
 * static procs are in reach) and keeps a plain copy of what the file
 * should hold; after each step the file read back through mem_read and
 * written out by membuf_write must equal that copy.  Covers: a long run
 * from the lent range kept as a reference, a short one and one from
 * outside copied, a write over a reference (the reference is copied in
 * first), a read across references, a gap past the end (zeros), the
 * size limit, and a whole TIFF written by libtiff with lent strips and
 * decoded again.
 */
#include "../../convert/membuf.c"

#include <fcntl.h>

#include "tap.h"

#define LEND	20000
#define FILEMAX	65536

static unsigned char lend[LEND], want[FILEMAX];
static size_t want_len;

static void
put(struct membuf *m, size_t off, const void *p, size_t n)
{
	mem_seek(m, off, SEEK_SET);
	if (mem_write(m, (void *)(uintptr_t)p, n) != (tmsize_t)n)
		bail("write of %zu at %zu refused", n, off);
	memcpy(want + off, p, n);
	if (off + n > want_len)
		want_len = off + n;
}

/* the file read back and written out must be want */
static void
check(struct membuf *m, const char *what)
{
	static unsigned char got[FILEMAX];
	char path[] = "/tmp/membuf-t.XXXXXX";
	ssize_t n;
	int fd;

	mem_seek(m, 0, SEEK_SET);
	is_int((long)want_len, (long)mem_read(m, got, FILEMAX),
	    "%s: read length", what);
	is_blob(want, got, want_len, "%s: read back", what);
	if ((fd = mkstemp(path)) == -1)
		bail("mkstemp");
	unlink(path);
	is_int(0, membuf_write(m, fd), "%s: membuf_write", what);
	n = pread(fd, got, FILEMAX, 0);
	close(fd);
	is_int((long)want_len, (long)n, "%s: bytes written", what);
	is_blob(want, got, want_len, "%s: written out", what);
}

static void
procs(void)
{
	struct membuf m;
	unsigned char aa[64], tail[5] = "tail";

	membuf_init_write(&m, FILEMAX, lend, LEND);
	put(&m, 0, "II*\0\0\0\0\0", 8);
	put(&m, 8, lend + 100, 5000);
	is_int(1, (long)m.nrefs, "a long run from the lent range is a reference");
	put(&m, 5008, lend + 7000, MEMBUF_REF_MIN - 1);
	is_int(1, (long)m.nrefs, "a short one is copied");
	put(&m, want_len, lend + 9000, 3000);
	put(&m, want_len, lend + 1, 2048);
	is_int(3, (long)m.nrefs, "two more references");
	check(&m, "references");

	memset(aa, 0xaa, sizeof(aa));
	put(&m, 1000, aa, sizeof(aa));
	is_int(2, (long)m.nrefs, "a write over a reference ends it");
	/* from the copied run into the second reference */
	put(&m, 5008 + MEMBUF_REF_MIN - 1 - 10, aa, sizeof(aa));
	is_int(1, (long)m.nrefs, "a write across a reference's start ends it");
	check(&m, "overwritten");

	put(&m, want_len + 10, tail, 5);
	check(&m, "a gap past the end reads as zeros");

	mem_seek(&m, FILEMAX - 4, SEEK_SET);
	ok(mem_write(&m, aa, 5) == -1 && m.full, "past max: refused, full");
	membuf_free(&m);
	ok(m.buf == NULL && m.refs == NULL, "freed");
}

/* a TIFF with strips from the lent range, as a passthrough writes it */
static void
whole_tiff(void)
{
	struct convert_opts o;
	struct membuf m, in;
	struct conv c;
	unsigned char row[190];
	TIFF *t;
	int p, y, same = 1;

	memset(&o, 0, sizeof(o));
	o.max_pixels = 1 << 24;
	memset(&c, 0, sizeof(c));
	c.opts = &o;
	membuf_init_write(&m, 1 << 20, lend, LEND);
	if ((t = tiff_open_mem(&c, &m, "t", "w")) == NULL)
		bail("tiff_open_mem");
	for (p = 0; p < 3; p++) {
		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 190);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, 100);
		TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 100);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
		TIFFSetField(t, TIFFTAG_PAGENUMBER, p, 3);
		if (TIFFWriteRawStrip(t, 0, lend + p * 10, 19000) != 19000)
			bail("TIFFWriteRawStrip");
		TIFFWriteDirectory(t);
	}
	TIFFClose(t);
	ok(m.nrefs == 3, "one reference a page (%zu)", m.nrefs);
	memset(&in, 0, sizeof(in));
	in = m;
	in.writable = 0;
	if ((t = tiff_open_mem(&c, &in, "t", "rm")) == NULL)
		bail("reopen");
	is_int(3, TIFFNumberOfDirectories(t), "three pages read back");
	for (p = 0; p < 3; p++, TIFFReadDirectory(t))
		for (y = 0; y < 100; y++) {
			TIFFReadScanline(t, row, y, 0);
			same &= memcmp(row, lend + p * 10 + y * 190, 190) == 0;
		}
	ok(same, "every row is the lent bytes");
	TIFFClose(t);
	membuf_free(&m);
}

int
main(void)
{
	size_t i;

	plan(25);
	srandom(7);
	for (i = 0; i < LEND; i++)
		lend[i] = (unsigned char)random();
	procs();
	whole_tiff();
	return 0;
}
