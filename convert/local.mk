# convert/: documents to fax pages, in a sandbox (convert(8)).
# This program links MuPDF (AGPL-3.0): see convert/LICENSE-NOTE.
CONVERT_PARSERS = \
	convert/convert.h convert/mu.c convert/mu.h convert/page.c \
	convert/page.h convert/worker.c convert/fmt_pdf.c convert/fmt_tiff.c \
	convert/fmt_jpeg.c convert/fmt_text.c convert/faxenc.c convert/faxenc.h \
	convert/faxenc_codes.c convert/faxenc_codes.h \
	convert/membuf.c convert/membuf.h
CONVERT_CFLAGS = $(AM_CFLAGS) $(MUPDF_CFLAGS) $(TIFF_CFLAGS) $(JPEG_CFLAGS)
# Debian's mupdf.pc leaves out harfbuzz, which libmupdf.a needs
CONVERT_LIBS = $(MUPDF_LIBS) $(HARFBUZZ_LIBS) $(TIFF_LIBS) $(JPEG_LIBS) -lm

pkglibexec_PROGRAMS += convert/convert
convert_convert_SOURCES = convert/convert.c convert/gs.c convert/opts.c \
	$(CONVERT_PARSERS)
convert_convert_CFLAGS = $(CONVERT_CFLAGS)
convert_convert_LDADD = lib/librampart.a $(RAMPART_LIBS) $(CONVERT_LIBS)
EXTRA_DIST += convert/LICENSE-NOTE
dist_man_MANS += man/convert.8

# tests/convert/: the corpus is written at test time by mkcorpus
check_PROGRAMS += tests/convert/tiffcheck tests/convert/mkcorpus \
	tests/convert/faxenc-t tests/convert/membuf-t tests/convert/seccomp-t
# a preload for errors-t: fsync fails
check_PROGRAMS += tests/convert/failsync.so
tests_convert_failsync_so_SOURCES = tests/convert/failsync.c
tests_convert_failsync_so_CFLAGS = $(AM_CFLAGS) -fPIC
tests_convert_failsync_so_LDFLAGS = -shared
tests_convert_seccomp_t_SOURCES = tests/convert/seccomp-t.c
tests_convert_seccomp_t_LDADD = $(TEST_LDADD)
tests_convert_membuf_t_SOURCES = tests/convert/membuf-t.c convert/membuf.h
tests_convert_membuf_t_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/convert $(TIFF_CFLAGS)
tests_convert_membuf_t_LDADD = tests/libtap.a $(TIFF_LIBS)
EXTRA_DIST += convert/membuf.c
tests_convert_faxenc_t_SOURCES = tests/convert/faxenc-t.c convert/faxenc.c \
	convert/faxenc.h convert/faxenc_codes.c convert/faxenc_codes.h
tests_convert_faxenc_t_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/convert $(TIFF_CFLAGS)
tests_convert_faxenc_t_LDADD = tests/libtap.a $(TIFF_LIBS)
tests_convert_tiffcheck_CFLAGS = $(AM_CFLAGS) $(TIFF_CFLAGS)
tests_convert_tiffcheck_LDADD = $(TIFF_LIBS)
tests_convert_mkcorpus_SOURCES = tests/convert/mkcorpus.c \
	tests/convert/mkcorpus.h tests/convert/mkpdf.c
tests_convert_mkcorpus_CFLAGS = $(AM_CFLAGS) $(TIFF_CFLAGS) $(JPEG_CFLAGS)
tests_convert_mkcorpus_LDADD = $(TIFF_LIBS) $(JPEG_LIBS) -lz
CONVERT_TESTS = tests/convert/formats-t.sh tests/convert/errors-t.sh \
	tests/convert/passthrough-t.sh tests/convert/cover-t.sh \
	tests/convert/sandbox-t.sh tests/convert/postscript-t.sh
TESTS += $(CONVERT_TESTS) tests/convert/faxenc-t tests/convert/membuf-t \
	tests/convert/seccomp-t
EXTRA_DIST += $(CONVERT_TESTS) tests/convert/common.sh

# tests/fuzz/: libFuzzer targets, one per parser, built with clang by
# `make fuzz` (not part of make check); tests/fuzz/run-smoke.sh runs them.
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
# the worker's sources: every fuzz target links all of them
FUZZ_WORKER_SRC = $(top_srcdir)/convert/mu.c $(top_srcdir)/convert/page.c \
	$(top_srcdir)/convert/worker.c $(top_srcdir)/convert/fmt_pdf.c \
	$(top_srcdir)/convert/fmt_tiff.c $(top_srcdir)/convert/fmt_jpeg.c \
	$(top_srcdir)/convert/fmt_text.c $(top_srcdir)/convert/faxenc.c \
	$(top_srcdir)/convert/faxenc_codes.c $(top_srcdir)/convert/membuf.c \
	$(top_srcdir)/lib/log.c
FUZZ_TARGETS = tests/fuzz/fuzz-pdf tests/fuzz/fuzz-png tests/fuzz/fuzz-tiff \
	tests/fuzz/fuzz-jpeg tests/fuzz/fuzz-text tests/fuzz/fuzz-faxenc
fuzz: tests/convert/mkcorpus fuzz-more
	@mkdir -p tests/fuzz
	for t in pdf png tiff jpeg text; do \
	  $(FUZZ_CC) $(FUZZ_FLAGS) -DFUZZ_FMT=fmt_$$t -D_GNU_SOURCE \
	    -I$(top_srcdir)/lib -I$(top_srcdir)/convert $(MUPDF_CFLAGS) \
	    $(TIFF_CFLAGS) $(JPEG_CFLAGS) -o tests/fuzz/fuzz-$$t \
	    $(top_srcdir)/tests/fuzz/fuzz-convert.c $(FUZZ_WORKER_SRC) \
	    $(CONVERT_LIBS) || exit 1; \
	done
	$(FUZZ_CC) $(FUZZ_FLAGS) -D_GNU_SOURCE -I$(top_srcdir)/lib \
	    -I$(top_srcdir)/convert $(MUPDF_CFLAGS) $(TIFF_CFLAGS) \
	    -o tests/fuzz/fuzz-faxenc $(top_srcdir)/tests/fuzz/fuzz-faxenc.c \
	    $(FUZZ_WORKER_SRC) $(CONVERT_LIBS)
.PHONY: fuzz
CLEANFILES += $(FUZZ_TARGETS)
EXTRA_DIST += tests/fuzz/fuzz-convert.c tests/fuzz/fuzz-faxenc.c \
	tests/fuzz/run-smoke.sh bench/convert/run.sh
