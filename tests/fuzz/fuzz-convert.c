/*
 * fuzz-convert: the libFuzzer entry for one convert parser, chosen at
 * build time with -DFUZZ_FMT=fmt_pdf (fmt_png, fmt_tiff, fmt_jpeg,
 * fmt_text).  Pages are rendered and made bilevel but not written.
 * Built by `make fuzz` with clang; run by tests/fuzz/run-smoke.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <tiffio.h>

#include "convert.h"
#include "mu.h"
#include "page.h"

#ifndef FUZZ_FMT
#error "build with -DFUZZ_FMT=fmt_NAME"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct convert_opts o;
	struct conv c;
	struct sink s;

	memset(&o, 0, sizeof(o));
	o.yres = 98;
	o.max_pages = 8;
	o.max_pixels = 4 * 1000 * 1000;
	o.name = "fuzz";
	o.cover_text = NULL;
	TIFFSetErrorHandler(NULL);
	TIFFSetWarningHandler(NULL);
	memset(&c, 0, sizeof(c));
	c.opts = &o;
	geom_init(&c.geom, PAPER_A4, 98);
	sink_open(&s, NULL, COMP_MMR, 98, o.max_pages);
	c.sink = &s;
	c.direct = 1;	/* as the worker runs all but text: counts announced */
	if (mu_start(&c, (size_t)256 << 20) == 0) {
		FUZZ_FMT(&c, data, size);
		mu_stop(&c);
	}
	sink_close(&s);
	return 0;
}
