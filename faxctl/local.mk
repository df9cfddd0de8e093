# faxctl/: the admin's cancel, hold, release and requeue (faxctl(8))
sbin_PROGRAMS += faxctl/faxctl
faxctl_faxctl_LDADD = lib/librampart.a $(RAMPART_LIBS)
dist_man_MANS += man/faxctl.8
