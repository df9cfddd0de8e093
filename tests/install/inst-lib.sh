# inst-lib.sh: for tests/install/: the build's installation directories
# (as configured) and a `make install DESTDIR=` into a scratch stage.
#   inst_var NAME: a make variable of the build (prefix, pkglibexecdir...)
#   inst_stage DIR: make install DESTDIR=DIR, output in DIR.log
B=$top_builddir
# the test runs under make check: its jobserver and flags are not ours
inst_make() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$B" "$@"; }
inst_var() {
	printf 'inst-print:\n\t@echo $(%s)\n' "$1" |
	    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$B" -f Makefile -f - inst-print
}
inst_stage() { inst_make install DESTDIR="$1" > "$1.log" 2>&1; }
