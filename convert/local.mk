# convert/: documents to fax pages, in a sandbox (convert(8)).
# This program links MuPDF (AGPL-3.0): see convert/LICENSE-NOTE.
CONVERT_PARSERS = \
	convert/convert.h convert/mu.c convert/mu.h convert/page.c \
	convert/page.h convert/worker.c convert/fmt_pdf.c convert/fmt_tiff.c \
	convert/fmt_jpeg.c convert/fmt_text.c
CONVERT_CFLAGS = $(AM_CFLAGS) $(MUPDF_CFLAGS) $(TIFF_CFLAGS) $(JPEG_CFLAGS)
# Debian's mupdf.pc leaves out harfbuzz, which libmupdf.a needs
CONVERT_LIBS = $(MUPDF_LIBS) -lharfbuzz $(TIFF_LIBS) $(JPEG_LIBS) -lm

pkglibexec_PROGRAMS += convert/convert
convert_convert_SOURCES = convert/convert.c convert/opts.c \
	convert/sandbox.c convert/sandbox.h $(CONVERT_PARSERS)
convert_convert_CFLAGS = $(CONVERT_CFLAGS)
convert_convert_LDADD = lib/librampart.a $(RAMPART_LIBS) $(CONVERT_LIBS)
EXTRA_DIST += convert/LICENSE-NOTE etc/cover.txt
dist_man_MANS += man/convert.8
