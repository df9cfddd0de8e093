# tests/fuzz/: libFuzzer targets for the parsers of outside input other
# than convert's (those are in convert/local.mk, whose `fuzz` rule builds
# these too through fuzz-more).  Built with clang by `make fuzz`, not by
# make check; tests/fuzz/run-smoke.sh runs them (issue 21).
FUZZ_LIB = $(top_srcdir)/lib/log.c $(top_srcdir)/lib/path.c \
	$(top_srcdir)/lib/config.c $(top_srcdir)/lib/config_keys.c \
	$(top_srcdir)/lib/faxaddr.c
FUZZ_MORE = tests/fuzz/fuzz-smtp tests/fuzz/fuzz-accounts \
	tests/fuzz/fuzz-faxaddr tests/fuzz/fuzz-config \
	tests/fuzz/fuzz-spool tests/fuzz/fuzz-modem tests/fuzz/fuzz-mime
FUZZ_CPP = -D_GNU_SOURCE -I$(top_srcdir)/lib -DSPOOLDIR='"$(spooldir)"' \
	-DSYSCONFDIR='"$(sysconfdir)"'
fuzz-more: $(FUZZ_MORE)
.PHONY: fuzz-more
# auth.c as it is; the harness is its authpool (no crypt(3), no processes)
tests/fuzz/fuzz-smtp: $(top_srcdir)/tests/fuzz/fuzz-smtp.c \
    $(top_srcdir)/smtpd/cmd.c $(top_srcdir)/smtpd/sasl.c \
    $(top_srcdir)/smtpd/auth.c $(FUZZ_LIB)
	@mkdir -p tests/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPP) -I$(top_srcdir)/smtpd -o $@ \
	    $(top_srcdir)/tests/fuzz/fuzz-smtp.c $(top_srcdir)/smtpd/cmd.c \
	    $(top_srcdir)/smtpd/sasl.c $(top_srcdir)/smtpd/auth.c $(FUZZ_LIB) \
	    $(top_srcdir)/lib/tls.c $(OPENSSL_LIBS) $(CRYPT_LIBS)
CLEANFILES += $(FUZZ_MORE)
EXTRA_DIST += tests/fuzz/local.mk tests/fuzz/fuzz-smtp.c tests/fuzz/seeds
# auth.c needs its pool to link, though accounts_load never uses it
tests/fuzz/fuzz-accounts: $(top_srcdir)/tests/fuzz/fuzz-accounts.c \
    $(top_srcdir)/smtpd/auth.c $(top_srcdir)/smtpd/authpool.c $(FUZZ_LIB)
	@mkdir -p tests/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPP) -I$(top_srcdir)/smtpd \
	    $(EVENT_CFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz-accounts.c \
	    $(top_srcdir)/smtpd/auth.c $(top_srcdir)/smtpd/authpool.c \
	    $(FUZZ_LIB) $(top_srcdir)/lib/tls.c $(EVENT_LIBS) $(OPENSSL_LIBS) \
	    $(CRYPT_LIBS)
tests/fuzz/fuzz-faxaddr: $(top_srcdir)/tests/fuzz/fuzz-faxaddr.c \
    $(top_srcdir)/lib/faxaddr.c
	@mkdir -p tests/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPP) -o $@ \
	    $(top_srcdir)/tests/fuzz/fuzz-faxaddr.c $(top_srcdir)/lib/faxaddr.c
tests/fuzz/fuzz-config: $(top_srcdir)/tests/fuzz/fuzz-config.c $(FUZZ_LIB)
	@mkdir -p tests/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPP) -o $@ \
	    $(top_srcdir)/tests/fuzz/fuzz-config.c $(FUZZ_LIB)
FUZZ_SPOOL_SRC = $(top_srcdir)/lib/spool.c $(top_srcdir)/lib/spool_layout.c \
	$(top_srcdir)/lib/status.c $(top_srcdir)/lib/fifo.c \
	$(top_srcdir)/faxgetty/text.c
tests/fuzz/fuzz-spool: $(top_srcdir)/tests/fuzz/fuzz-spool.c \
    $(FUZZ_SPOOL_SRC) $(FUZZ_LIB)
	@mkdir -p tests/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPP) -I$(top_srcdir)/faxgetty -o $@ \
	    $(top_srcdir)/tests/fuzz/fuzz-spool.c $(FUZZ_SPOOL_SRC) $(FUZZ_LIB)
FUZZ_MODEM_SRC = $(top_srcdir)/faxgetty/at.c $(top_srcdir)/faxgetty/text.c \
	$(top_srcdir)/faxgetty/dtmf.c $(top_srcdir)/faxgetty/class1.c \
	$(top_srcdir)/faxgetty/class1_io.c
tests/fuzz/fuzz-modem: $(top_srcdir)/tests/fuzz/fuzz-modem.c \
    $(FUZZ_MODEM_SRC) $(FUZZ_LIB)
	@mkdir -p tests/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPP) -I$(top_srcdir)/faxgetty \
	    $(SPANDSP_CFLAGS) $(TIFF_CFLAGS) -o $@ \
	    $(top_srcdir)/tests/fuzz/fuzz-modem.c $(FUZZ_MODEM_SRC) $(FUZZ_LIB) \
	    $(SPANDSP_LIBS) $(TIFF_LIBS) -lm
EXTRA_DIST += tests/fuzz/fuzz-accounts.c tests/fuzz/fuzz-faxaddr.c \
	tests/fuzz/fuzz-config.c tests/fuzz/fuzz-spool.c tests/fuzz/fuzz-modem.c

# queued's MIME unpacker and the notices composed from what it finds
tests/fuzz/fuzz-mime: $(top_srcdir)/tests/fuzz/fuzz-mime.c \
    $(top_srcdir)/queued/unpack_mime.c $(top_srcdir)/queued/mail.c
	@mkdir -p tests/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPP) -I$(top_srcdir)/queued \
	    $(GMIME_CFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz-mime.c \
	    $(top_srcdir)/queued/unpack_mime.c $(top_srcdir)/queued/mail.c \
	    $(top_srcdir)/lib/kv.c $(top_srcdir)/lib/spool.c \
	    $(top_srcdir)/lib/spool_layout.c $(top_srcdir)/lib/log.c \
	    $(top_srcdir)/lib/path.c $(top_srcdir)/lib/ids.c \
	    $(GMIME_LIBS) $(UUID_LIBS)
EXTRA_DIST += tests/fuzz/fuzz-mime.c
