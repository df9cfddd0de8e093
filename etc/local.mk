# etc/: sample configuration, systemd units, SysV init scripts
EXTRA_DIST += etc/rampart.conf
