# tests/: TAP tests run by `make check`: tests/lib/*-t (units),
# tests/PROGRAM/*-t.sh and tests/e2e/*-t.sh (real daemons, real clients)
noinst_LIBRARIES += tests/libtap.a
tests_libtap_a_SOURCES = tests/tap.c tests/tap.h
TEST_LDADD = tests/libtap.a lib/librampart.a $(RAMPART_LIBS)
EXTRA_DIST += tests/tap.sh

check_PROGRAMS += tests/lib/log-t tests/lib/ids-t tests/lib/path-t \
	tests/lib/config-t tests/lib/spool-t tests/lib/spool-crash-t \
	tests/lib/spool-fault-t tests/lib/fifo-t tests/lib/privdrop-t tests/lib/kv-t
tests_lib_log_t_LDADD = $(TEST_LDADD)
tests_lib_ids_t_LDADD = $(TEST_LDADD)
tests_lib_path_t_LDADD = $(TEST_LDADD)
tests_lib_config_t_LDADD = $(TEST_LDADD)
tests_lib_spool_t_LDADD = $(TEST_LDADD)
tests_lib_spool_crash_t_LDADD = $(TEST_LDADD)
tests_lib_spool_fault_t_SOURCES = tests/lib/spool-fault-t.c tests/lib/fakeio.c tests/lib/fakeio.h
tests_lib_spool_fault_t_LDADD = $(TEST_LDADD)
tests_lib_spool_fault_t_LDFLAGS = -Wl,--wrap=write -Wl,--wrap=fsync -Wl,--wrap=renameat2
tests_lib_fifo_t_LDADD = $(TEST_LDADD)
tests_lib_privdrop_t_LDADD = $(TEST_LDADD)
tests_lib_kv_t_LDADD = $(TEST_LDADD)
TESTS += tests/lib/log-t tests/lib/ids-t tests/lib/path-t \
	tests/lib/config-t tests/lib/spool-t tests/lib/spool-crash-t \
	tests/lib/spool-fault-t tests/lib/fifo-t tests/lib/privdrop-t tests/lib/kv-t

# configuration and man pages
TESTS += tests/conf/conf-check-t.sh tests/man/mandoc-lint-t.sh
EXTRA_DIST += tests/conf/conf-check-t.sh tests/man/mandoc-lint-t.sh
