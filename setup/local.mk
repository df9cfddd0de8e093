# setup/: rampart-setup, makes and checks the spool layout
sbin_PROGRAMS += setup/rampart-setup
setup_rampart_setup_SOURCES = setup/rampart-setup.c
setup_rampart_setup_LDADD = lib/librampart.a $(RAMPART_LIBS)
