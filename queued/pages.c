/*
 * pages: joining convert's outputs page by page, strips copied raw.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>

#include "pages.h"

static void
quiet(const char *mod, const char *fmt, va_list ap)
{
	(void)mod;
	(void)fmt;
	(void)ap;
}

int
pages_count(const char *path)
{
	TIFF *t;
	int n;

	TIFFSetWarningHandler(quiet);
	TIFFSetErrorHandler(quiet);
	if ((t = TIFFOpen(path, "r")) == NULL)
		return -1;
	n = TIFFNumberOfDirectories(t);
	TIFFClose(t);
	return n;
}

/* the tags a fax page carries, copied from in to out */
static int
copy_tags(TIFF *in, TIFF *out, int page, int pages)
{
	static const ttag_t u32[] = { TIFFTAG_IMAGEWIDTH, TIFFTAG_IMAGELENGTH,
	    TIFFTAG_ROWSPERSTRIP, TIFFTAG_GROUP3OPTIONS, TIFFTAG_GROUP4OPTIONS,
	    0 };
	static const ttag_t u16[] = { TIFFTAG_COMPRESSION,
	    TIFFTAG_BITSPERSAMPLE, TIFFTAG_SAMPLESPERPIXEL,
	    TIFFTAG_PHOTOMETRIC, TIFFTAG_FILLORDER, TIFFTAG_RESOLUTIONUNIT,
	    TIFFTAG_PLANARCONFIG, TIFFTAG_CLEANFAXDATA, 0 };
	uint32_t v32;
	uint16_t v16;
	float f;
	int i;

	/* the compression first: the fax options are known only after it */
	for (i = 0; u16[i] != 0; i++)
		if (TIFFGetField(in, u16[i], &v16) == 1 &&
		    TIFFSetField(out, u16[i], v16) != 1)
			return -1;
	for (i = 0; u32[i] != 0; i++)
		if (TIFFGetField(in, u32[i], &v32) == 1 &&
		    TIFFSetField(out, u32[i], v32) != 1)
			return -1;
	if (TIFFGetField(in, TIFFTAG_XRESOLUTION, &f) == 1)
		TIFFSetField(out, TIFFTAG_XRESOLUTION, f);
	if (TIFFGetField(in, TIFFTAG_YRESOLUTION, &f) == 1)
		TIFFSetField(out, TIFFTAG_YRESOLUTION, f);
	TIFFSetField(out, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	TIFFSetField(out, TIFFTAG_PAGENUMBER, (uint16_t)page, (uint16_t)pages);
	return 0;
}

static int
copy_strips(TIFF *in, TIFF *out)
{
	tstrip_t s, n = TIFFNumberOfStrips(in);
	uint64_t *bc;
	tmsize_t max = 0, got;
	void *buf;

	if (TIFFGetField(in, TIFFTAG_STRIPBYTECOUNTS, &bc) != 1)
		return -1;
	for (s = 0; s < n; s++)
		if ((tmsize_t)bc[s] > max)
			max = (tmsize_t)bc[s];
	if ((buf = malloc(max > 0 ? (size_t)max : 1)) == NULL)
		return -1;
	for (s = 0; s < n; s++) {
		got = TIFFReadRawStrip(in, s, buf, max);
		if (got < 0 || TIFFWriteRawStrip(out, s, buf, got) != got) {
			free(buf);
			return -1;
		}
	}
	free(buf);
	return 0;
}

int
pages_join(const char *out, const char *const *in, size_t n, char *err,
    size_t errsz)
{
	TIFF *o, *t;
	size_t i;
	int total = 0, page = 0, c, fd;

	TIFFSetWarningHandler(quiet);
	TIFFSetErrorHandler(quiet);
	for (i = 0; i < n; i++) {
		if ((c = pages_count(in[i])) <= 0) {
			snprintf(err, errsz, "%s: no pages", in[i]);
			return -1;
		}
		total += c;
	}
	fd = open(out, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd == -1 || (o = TIFFFdOpen(fd, out, "w")) == NULL) {
		snprintf(err, errsz, "%s: %s", out, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((t = TIFFOpen(in[i], "r")) == NULL)
			goto bad;
		do {
			if (copy_tags(t, o, page, total) == -1 ||
			    copy_strips(t, o) == -1 ||
			    TIFFWriteDirectory(o) != 1) {
				TIFFClose(t);
				goto bad;
			}
			page++;
		} while (TIFFReadDirectory(t) == 1);
		TIFFClose(t);
	}
	TIFFFlush(o);
	if (fsync(fd) == -1)
		goto bad;
	TIFFClose(o);		/* closes fd */
	return total;
bad:
	snprintf(err, errsz, "joining pages into %s failed", out);
	TIFFClose(o);
	unlink(out);
	return -1;
}

int
file_copy(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, r = -1;

	if ((in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0640);
	if (out == -1)
		goto done;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			goto done;
	if (n == 0 && fsync(out) == 0)
		r = 0;
done:
	if (out != -1 && close(out) == -1)
		r = -1;
	close(in);
	return r;
}
