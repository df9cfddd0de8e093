# etc/: sample configuration, systemd units, SysV init scripts
EXTRA_DIST += etc/rampart.conf
coverdir = $(sysconfdir)/rampart
dist_cover_DATA = etc/cover.txt
