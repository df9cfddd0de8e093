#!/bin/sh
# bench/faxstat/run.sh: faxstat -s, -s --json and -d over a spool of N
# queued and N finished jobs (real job files, bench/faxstat/mkspool.py),
# each timed in turns with its floor on the same directory: ls -l (one
# stat per entry, the issue's floor) and find -exec cat (reading every
# job file, the least work any reader of the records must do).
# Warm cache: the spool is read once before timing.
# Usage, from a build directory:
#   bench/faxstat/run.sh [BUILDDIR] [N] [ROUNDS]
# BENCH_SPOOL=DIR uses (or, if absent, makes and keeps) the spool there;
# making 100,000 + 100,000 jobs takes about two minutes.
set -eu
b=${1:-.}
n=${2:-100000}
rounds=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
fs=$b/faxstat/faxstat
w=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
trap 'rm -rf "$w"' EXIT
${CC:-cc} -O2 -o "$w/timeit" "$here/../timeit.c" ||
    { echo "cannot build bench/timeit.c"; exit 1; }
spool=${BENCH_SPOOL:-$w/spool}
if [ ! -d "$spool/jobs" ]; then
	printf 'spool = %s\n' "$spool" > "$w/rampart.conf"
	"$b/setup/rampart-setup" -f "$w/rampart.conf" >/dev/null
	python3 "$here/mkspool.py" "$spool" "$n" "$n"
fi
echo "spool: $(ls "$spool/jobs" | wc -l) jobs, $(ls "$spool/done" | wc -l) done; best of $rounds, in turns"
"$fs" -S "$spool" -s >/dev/null; "$fs" -S "$spool" -d >/dev/null
case "$spool$fs" in *[[:space:]]*) echo "paths with spaces"; exit 1 ;; esac

# pair NAME_A NAME_B A... --- B...: in turns; prints both and the ratio
pair() {
	na=$1 nb=$2; shift 2
	r=$("$w/timeit" "$rounds" "$@") || { echo "$na or $nb failed"; exit 1; }
	set -- $r
	printf '%-28s %7.3f s %8d kB peak RSS\n' "$na" "$1" "$2"
	printf '%-28s %7.3f s %8d kB peak RSS\n' "$nb" "$3" "$4"
	echo "  ratio: $(echo "scale=2; $1 / $3" | bc)"
}

pair "faxstat -s" "ls -l jobs/" "$fs" -S "$spool" -s --- ls -l "$spool/jobs"
pair "faxstat -s --json" "ls -l jobs/" "$fs" -S "$spool" -s --json --- \
    ls -l "$spool/jobs"
pair "faxstat -s" "find jobs -exec cat" "$fs" -S "$spool" -s --- \
    find "$spool/jobs" -name job -exec cat {} +
pair "faxstat -d" "ls -l done/" "$fs" -S "$spool" -d --- ls -l "$spool/done"
# CPU time, which a busy machine does not inflate
for v in -s "-s --json" -d; do
	/usr/bin/time -f "faxstat $v: %e s wall, %U s user, %S s system, %M kB" \
	    "$fs" -S "$spool" $v >/dev/null
done 2>&1
/usr/bin/time -f "ls -l jobs/: %e s wall, %U s user, %S s system" \
    ls -l "$spool/jobs" 2>&1 >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) processors"
