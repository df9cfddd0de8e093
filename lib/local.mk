# lib/: code shared by every rampart program, one module per topic
noinst_LIBRARIES += lib/librampart.a
lib_librampart_a_SOURCES = \
	lib/log.c lib/log.h \
	lib/ids.c lib/ids.h \
	lib/path.c lib/path.h \
	lib/privdrop.c lib/privdrop.h \
	lib/config.c lib/config_keys.c lib/config.h \
	lib/spool.c lib/spool_layout.c lib/spool.h \
	lib/fifo.c lib/fifo.h \
	lib/faxaddr.c lib/faxaddr.h \
	lib/tls.c lib/tls.h \
	lib/status.c lib/status.h \
	lib/xferlog.c lib/xferlog.h \
	lib/kv.c lib/kv.h \
	lib/faxrules.c lib/faxrules.h \
	lib/sandbox.c lib/sandbox.h
lib_librampart_a_CFLAGS = $(AM_CFLAGS) $(UUID_CFLAGS) $(OPENSSL_CFLAGS)
# programs link: lib/librampart.a $(RAMPART_LIBS) (+ $(OPENSSL_LIBS) for tls)
RAMPART_LIBS = $(UUID_LIBS)
