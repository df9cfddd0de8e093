# faxgetty/: the per-modem daemon (faxgetty(8)): a Class 1 modem driven by
# libspandsp's T.30 engine.
sbin_PROGRAMS += faxgetty/faxgetty
faxgetty_faxgetty_SOURCES = faxgetty/faxgetty.c faxgetty/faxgetty.h \
	faxgetty/at.c faxgetty/at.h faxgetty/class1.c faxgetty/class1.h \
	faxgetty/class1_io.c faxgetty/class1_int.h \
	faxgetty/call.c faxgetty/call.h faxgetty/send.c faxgetty/recv.c \
	faxgetty/modem.c faxgetty/lock.c faxgetty/t30err.c \
	faxgetty/dtmf.c faxgetty/text.c faxgetty/text.h
faxgetty_faxgetty_CFLAGS = $(AM_CFLAGS) $(SPANDSP_CFLAGS) $(TIFF_CFLAGS)
faxgetty_faxgetty_LDADD = lib/librampart.a $(RAMPART_LIBS) $(SPANDSP_LIBS) \
	$(TIFF_LIBS) -lm
dist_man_MANS += man/faxgetty.8

# tests/faxgetty/: faxgetty against faxsim (real libspandsp T.30 both ends)
TESTS += tests/faxgetty/send-t.sh tests/faxgetty/recv-t.sh \
	tests/faxgetty/fail-t.sh tests/faxgetty/remote-t.sh \
	tests/faxgetty/crash-t.sh tests/faxgetty/efax-t.sh \
	tests/faxgetty/down-t.sh tests/faxgetty/dtmf-t.sh \
	tests/faxgetty/rtn-t.sh
EXTRA_DIST += tests/faxgetty/fg-lib.sh tests/faxgetty/send-t.sh \
	tests/faxgetty/recv-t.sh tests/faxgetty/fail-t.sh \
	tests/faxgetty/remote-t.sh tests/faxgetty/crash-t.sh \
	tests/faxgetty/efax-t.sh tests/faxgetty/down-t.sh \
	tests/faxgetty/dtmf-t.sh tests/faxgetty/rtn-t.sh

# tests/faxgetty/units-t: outcome table, xferlog format, lock, keys, status
check_PROGRAMS += tests/faxgetty/units-t
tests_faxgetty_units_t_SOURCES = tests/faxgetty/units-t.c faxgetty/t30err.c \
	faxgetty/lock.c faxgetty/text.c
tests_faxgetty_units_t_CFLAGS = $(AM_CFLAGS) $(SPANDSP_CFLAGS) \
	$(TIFF_CFLAGS) -I$(top_srcdir)/faxgetty
tests_faxgetty_units_t_LDADD = $(TEST_LDADD) $(SPANDSP_LIBS) $(TIFF_LIBS)
TESTS += tests/faxgetty/units-t
