# smtpd/: the forced-TLS, authenticated SMTP intake (issue 6)
pkglibexec_PROGRAMS += smtpd/smtpd
smtpd_smtpd_SOURCES = smtpd/smtpd.c smtpd/smtpd.h smtpd/listener.c \
	smtpd/session.c smtpd/session.h smtpd/cmd.c smtpd/sasl.c smtpd/auth.c \
	smtpd/data.c smtpd/passwd.c smtpd/authpool.c smtpd/authpool.h
smtpd_smtpd_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(OPENSSL_CFLAGS)
smtpd_smtpd_LDADD = lib/librampart.a $(RAMPART_LIBS) $(EVENT_LIBS) \
	$(OPENSSL_LIBS) $(CRYPT_LIBS)
dist_man_MANS += man/smtpd.8 man/rampart-accounts.5
EXTRA_DIST += etc/accounts

# lib/faxaddr (shared with queued)
check_PROGRAMS += tests/lib/faxaddr-t
tests_lib_faxaddr_t_LDADD = $(TEST_LDADD)
TESTS += tests/lib/faxaddr-t

# end-to-end tests: real swaks, openssl s_client and testssl.sh
SMTPD_TESTS = tests/smtpd/basic-t.sh tests/smtpd/policy-t.sh \
	tests/smtpd/tls-t.sh tests/smtpd/clientcert-t.sh \
	tests/smtpd/stress-t.sh tests/smtpd/testssl-t.sh tests/smtpd/space-t.sh \
	tests/smtpd/auth-t.sh tests/smtpd/limits-t.sh
TESTS += $(SMTPD_TESTS)
EXTRA_DIST += $(SMTPD_TESTS) tests/smtpd/smtpd-lib.sh tests/smtpd/smtpc.py \
	tests/smtpd/burst.py tests/smtpd/authrace.py bench/smtpd/README.md bench/smtpd/run.sh \
	bench/smtpd/smtpload.c
