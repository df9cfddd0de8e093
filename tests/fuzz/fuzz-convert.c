/*
 * fuzz-convert: the libFuzzer entry for one convert parser, chosen at
 * build time with -DFUZZ_FMT=fmt_pdf (fmt_png, fmt_tiff, fmt_jpeg,
 * fmt_text).  Pages are rendered, made bilevel and written into an
 * in-memory output that borrows from the input as the worker's does (a
 * fax TIFF's strips stay where they lie).  The input's last byte, if
 * odd, asks for -R, so that fax pages are decoded too.  Whatever the
 * input, a conversion that succeeds must leave an output libtiff reads
 * back with one directory a page, whose strips are, byte for byte, what
 * membuf_write puts in a file; anything else aborts.  Built by
 * `make fuzz` with clang; run by tests/fuzz/run-smoke.sh.
 */
#include <sys/mman.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>

#include "convert.h"
#include "mu.h"
#include "page.h"

#ifndef FUZZ_FMT
#error "build with -DFUZZ_FMT=fmt_NAME"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The output must read back with n pages, and what membuf_write writes
 * must hold, at every strip's offset, the bytes libtiff reads there.
 */
static void
check_output(struct conv *c, struct membuf *mb, long n)
{
	static unsigned char *raw, *file;
	static int fd = -1;
	uint64_t *off, *bc;
	uint32_t i, ns;
	TIFF *t;

	if (fd == -1 && ((fd = memfd_create("out", 0)) == -1 ||
	    (raw = malloc(64 << 20)) == NULL || (file = malloc(64 << 20)) == NULL))
		abort();
	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 ||
	    membuf_write(mb, fd) != 0 ||
	    pread(fd, file, mb->len, 0) != (ssize_t)mb->len)
		abort();
	mb->writable = 0;
	if ((t = tiff_open_mem(c, mb, "out", "rm")) == NULL ||
	    TIFFNumberOfDirectories(t) != n)
		abort();
	do {
		if (TIFFGetField(t, TIFFTAG_STRIPOFFSETS, &off) != 1 ||
		    TIFFGetField(t, TIFFTAG_STRIPBYTECOUNTS, &bc) != 1)
			abort();
		ns = TIFFNumberOfStrips(t);
		for (i = 0; i < ns; i++)
			if (off[i] + bc[i] > mb->len ||
			    TIFFReadRawStrip(t, i, raw, bc[i]) != (tmsize_t)bc[i] ||
			    memcmp(raw, file + off[i], bc[i]) != 0)
				abort();
	} while (TIFFReadDirectory(t) == 1);
	TIFFClose(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct convert_opts o;
	struct membuf mb;
	struct conv c;
	struct sink s;
	TIFF *t;
	int r = -1;

	memset(&o, 0, sizeof(o));
	o.yres = 98;
	o.max_pages = 8;
	o.max_pixels = 4 * 1000 * 1000;
	o.name = "fuzz";
	o.cover_text = NULL;
	o.reencode = size > 0 && (data[size - 1] & 1);
	TIFFSetErrorHandler(NULL);
	TIFFSetWarningHandler(NULL);
	memset(&c, 0, sizeof(c));
	c.opts = &o;
	geom_init(&c.geom, PAPER_A4, 98);
	membuf_init_write(&mb, 64 << 20, data, size);
	if ((t = tiff_open_mem(&c, &mb, "out", "w")) == NULL)
		abort();
	sink_open(&s, t, COMP_MMR, 98, o.max_pages);
	c.sink = &s;
	c.direct = 1;	/* as the worker runs all but text: counts announced */
	if (mu_start(&c, (size_t)256 << 20) == 0) {
		r = FUZZ_FMT(&c, data, size);
		mu_stop(&c);
	}
	if (sink_close(&s) == 0 && r == CONVERT_OK && c.pages > 0 && !mb.full)
		check_output(&c, &mb, c.pages);
	membuf_free(&mb);
	return 0;
}
