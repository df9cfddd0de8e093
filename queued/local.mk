# queued/: the queue manager (queued(8)), its sandboxed MIME unpacker and
# the admin's faxctl(8)
pkglibexec_PROGRAMS += queued/queued
dist_man_MANS += man/queued.8
queued_queued_SOURCES = queued/queued.c queued/queued.h queued/jobs.c \
	queued/intake.c queued/sched.c queued/result.c queued/notice.c \
	queued/ctl.c queued/mail.c queued/mail.h \
	queued/pages.c queued/pages.h queued/unpack.h \
	queued/onramp.c queued/onramp.h queued/pdf.c queued/pdf.h queued/smime.c
queued_queued_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) $(EVENT_CFLAGS) \
	$(TIFF_CFLAGS) $(OPENSSL_CFLAGS) \
	-DPKGLIBEXECDIR='"$(pkglibexecdir)"'
queued_queued_LDADD = lib/librampart.a $(RAMPART_LIBS) $(GMIME_LIBS) \
	$(EVENT_LIBS) $(TIFF_LIBS) $(OPENSSL_LIBS)

# the sandboxed MIME unpacker queued runs once per message
pkglibexec_PROGRAMS += queued/unpack
queued_unpack_SOURCES = queued/unpack.c queued/unpack.h queued/unpack_mime.c
queued_unpack_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
queued_unpack_LDADD = lib/librampart.a $(RAMPART_LIBS) $(GMIME_LIBS)

QUEUED_TESTS = tests/queued/offramp-t.sh tests/queued/retry-t.sh \
	tests/queued/mime-t.sh tests/queued/crash-t.sh \
	tests/queued/ctl-t.sh
TESTS += $(QUEUED_TESTS)
EXTRA_DIST += $(QUEUED_TESTS) tests/queued/q-lib.sh tests/queued/mkmime.py

# tests/onramp/: received faxes routed and mailed (real faxgetty over
# faxsim, and entries made by hand), PDF and S/MIME checked with poppler,
# mupdf and openssl
TESTS += tests/onramp/route-t.sh tests/onramp/rules-t.sh \
	tests/onramp/crash-t.sh
EXTRA_DIST += tests/onramp/route-t.sh tests/onramp/rules-t.sh \
	tests/onramp/crash-t.sh \
	tests/onramp/or-lib.sh tests/onramp/mktiff.py \
	tests/onramp/mailpart.py tests/onramp/pixcmp.py

# tests/onramp/faxrules-t: lib/faxrules' matching and errors
check_PROGRAMS += tests/onramp/faxrules-t
tests_onramp_faxrules_t_LDADD = $(TEST_LDADD)
TESTS += tests/onramp/faxrules-t
