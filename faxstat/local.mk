# faxstat/: what the users see (faxstat(1)): modems, the send queue,
# finished jobs, received faxes, one fax's record; text or JSON.  Reads
# the spool only.
bin_PROGRAMS += faxstat/faxstat
faxstat_faxstat_SOURCES = faxstat/faxstat.c faxstat/faxstat.h \
	faxstat/load.c faxstat/modems.c faxstat/text.c faxstat/json.c \
	faxstat/record.c faxstat/watch.c
faxstat_faxstat_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) -pthread
faxstat_faxstat_LDADD = lib/librampart.a $(RAMPART_LIBS) $(JSONC_LIBS) -lpthread
dist_man_MANS += man/faxstat.1

# tests/faxstat/: every view, text and JSON, over spools written per
# rampart-spool(5); -w through a real call (faxgetty and faxsim)
TESTS += tests/faxstat/views-t.sh tests/faxstat/watch-t.sh
EXTRA_DIST += tests/faxstat/fs-lib.sh tests/faxstat/views-t.sh \
	tests/faxstat/watch-t.sh
