# faxsim/: the simulated phone line (faxsim(8)): T.31 modems on ptys and
# a remote fax machine, for the tests and the demo.
pkglibexec_PROGRAMS += faxsim/faxsim
faxsim_faxsim_SOURCES = faxsim/faxsim.c faxsim/faxsim.h faxsim/modem.c \
	faxsim/voice.c faxsim/call.c faxsim/line.c faxsim/remote.c \
	faxsim/ctl.c faxsim/ctlsock.c faxsim/atcheck.c
faxsim_faxsim_CFLAGS = $(AM_CFLAGS) $(SPANDSP_CFLAGS) $(TIFF_CFLAGS)
faxsim_faxsim_LDADD = lib/librampart.a $(RAMPART_LIBS) $(SPANDSP_LIBS) \
	$(TIFF_LIBS) -lm
dist_man_MANS += man/faxsim.8

# tests/tools/: small C helpers shared by the fax tests
check_PROGRAMS += tests/tools/tiffcmp-pages tests/tools/mkfaxtiff \
	tests/tools/atchat
tests_tools_tiffcmp_pages_CFLAGS = $(AM_CFLAGS) $(TIFF_CFLAGS)
tests_tools_tiffcmp_pages_LDADD = $(TIFF_LIBS)
tests_tools_mkfaxtiff_CFLAGS = $(AM_CFLAGS) $(TIFF_CFLAGS)
tests_tools_mkfaxtiff_LDADD = $(TIFF_LIBS)

# tests/faxsim/: faxsim driven by efax and a scripted AT client
FAXSIM_TESTS = tests/faxsim/at-t.sh tests/faxsim/send-t.sh \
	tests/faxsim/recv-t.sh tests/faxsim/pair-t.sh \
	tests/faxsim/hostkill-t.sh tests/faxsim/flow-t.sh \
	tests/faxsim/flow-realtime-t.sh tests/faxsim/refuse-t.sh \
	tests/faxsim/stall-t.sh
TESTS += $(FAXSIM_TESTS)
EXTRA_DIST += $(FAXSIM_TESTS) tests/faxsim/common.sh
