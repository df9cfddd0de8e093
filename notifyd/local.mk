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
