# notifyd/: the outbound mail agent (issue 13)
pkglibexec_PROGRAMS += notifyd/notifyd
notifyd_notifyd_SOURCES = notifyd/notifyd.c notifyd/notifyd.h \
	notifyd/queue.c notifyd/entry.c notifyd/mta.c notifyd/policy.c \
	notifyd/dns.c
notifyd_notifyd_CFLAGS = $(AM_CFLAGS) $(EVENT_CFLAGS) $(OPENSSL_CFLAGS)
notifyd_notifyd_LDADD = lib/librampart.a $(RAMPART_LIBS) $(EVENT_LIBS) \
	$(OPENSSL_LIBS) -lresolv
dist_man_MANS += man/notifyd.8
EXTRA_DIST += etc/tls_policy

# tests: real peers on loopback (Postfix's smtp-sink, a Python STARTTLS
# sink), every delivered mail parsed with GMime (tests/notifyd/mailcheck)
check_PROGRAMS += tests/notifyd/mailcheck tests/notifyd/dns-t
tests_notifyd_mailcheck_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS)
tests_notifyd_mailcheck_LDADD = $(GMIME_LIBS)
tests_notifyd_dns_t_SOURCES = tests/notifyd/dns-t.c notifyd/dns.c
tests_notifyd_dns_t_LDADD = $(TEST_LDADD) -lresolv
tests_notifyd_dns_t_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/notifyd
tests_notifyd_dns_t_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
NOTIFYD_SH_TESTS = tests/notifyd/deliver-t.sh tests/notifyd/policy-t.sh \
	tests/notifyd/retry-t.sh tests/notifyd/crash-t.sh tests/notifyd/mx-t.sh
NOTIFYD_TESTS = tests/notifyd/dns-t $(NOTIFYD_SH_TESTS)
TESTS += $(NOTIFYD_TESTS)
EXTRA_DIST += $(NOTIFYD_SH_TESTS) tests/notifyd/nd-lib.sh \
	tests/notifyd/tlssink.py
