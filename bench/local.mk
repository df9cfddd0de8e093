# bench/: benchmarks against named reference programs (not run by make check)
EXTRA_DIST += bench/README.md
EXTRA_DIST += bench/faxsim/run.sh
EXTRA_DIST += bench/timeit.c
EXTRA_DIST += bench/queued/run.sh bench/queued/stamp.py bench/queued/submit.py
EXTRA_DIST += bench/notifyd/run.sh
# bench/onramp: queued's PDF maker alone, against tiff2pdf
noinst_PROGRAMS += bench/onramp/fax2pdf
bench_onramp_fax2pdf_SOURCES = bench/onramp/fax2pdf.c queued/pdf.c \
	queued/pdf.h
bench_onramp_fax2pdf_CFLAGS = $(AM_CFLAGS) $(TIFF_CFLAGS) \
	-I$(top_srcdir)/queued
bench_onramp_fax2pdf_LDADD = $(TIFF_LIBS)
EXTRA_DIST += bench/onramp/run.sh
EXTRA_DIST += bench/run bench/RESULTS.md
EXTRA_DIST += bench/faxstat/run.sh bench/faxstat/mkspool.py \
	bench/faxstat/mkhyla.py
EXTRA_DIST += bench/interop/run.sh
EXTRA_DIST += bench/soak/run.sh bench/soak/soak.sh
