#!/bin/sh
# bench/soak/run.sh: kill -9 of each daemon in turn during a run of
# SOAK_MESSAGES messages (default 200) through the whole gateway
# (bench/soak/soak.sh, a TAP script); prints its checks and the counts:
# messages accepted, faxes confirmed, calls cut, notices delivered.
#   usage: bench/soak/run.sh [BUILD_DIR]   (as root; default ./build)
# Not in make check: see bench/README.md for what it found.
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
top_builddir=$(cd "${1:-$top_srcdir/build}" && pwd)
export top_srcdir top_builddir
SOAK_MESSAGES=${SOAK_MESSAGES:-200}
export SOAK_MESSAGES
exec sh "$top_srcdir/bench/soak/soak.sh"
