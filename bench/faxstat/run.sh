#!/bin/sh
# bench/faxstat/run.sh: faxstat -s, -s --json and -d over a spool of N
# queued and N finished jobs (real job files, bench/faxstat/mkspool.py),
# each timed in turns with its floor on the same directory: ls -l (one
# stat per entry, the issue's floor) and find -exec cat (reading every
# job file, the least work any reader of the records must do).
# As root, also against HylaFAX 6's faxstat -s (hylafax-client) asking
# hfaxd (hylafax-server) on 127.0.0.1 for a send queue of as many jobs
# (bench/faxstat/mkhyla.py: sendq/qN files in HylaFAX's sendq(5) form).
# Warm cache: each spool is read once before timing.
# Usage, from a build directory:
#   bench/faxstat/run.sh [BUILDDIR] [N] [ROUNDS]
# BENCH_SPOOL=DIR uses (or, if absent, makes and keeps) the spool there;
# making 100,000 + 100,000 jobs takes about two minutes.  BENCH_HYLA=DIR
# does the same for HylaFAX's spool.
set -eu
b=${1:-.}
n=${2:-100000}
rounds=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
fs=$b/faxstat/faxstat
w=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
hpid=
trap '[ -n "$hpid" ] && kill $hpid; rm -rf "$w"' EXIT
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
# HylaFAX: hfaxd serves a copy of the installed spool with n jobs in sendq
if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/hfaxd ] && [ -x /usr/bin/faxstat ]; then
	hy=${BENCH_HYLA:-$w/hyla}
	if [ ! -d "$hy/sendq" ]; then
		mkdir -p "$hy"
		cp -a /var/spool/hylafax/. "$hy/"
		python3 "$here/mkhyla.py" "$hy" "$n" "$(id -un)"
	fi
	printf '127.0.0.1\n' > "$hy/etc/hosts.hfaxd"
	chown -R uucp:uucp "$hy"
	chmod 600 "$hy/etc/hosts.hfaxd"
	port=$((20000 + $$ % 5000))
	/usr/sbin/hfaxd -q "$hy" -i "$port" -l 127.0.0.1	# it forks
	sleep 0.5
	hpid=$(pgrep -f "hfaxd -q $hy -i $port") || { echo "hfaxd did not start"; exit 1; }
	echo "HylaFAX: $(ls "$hy/sendq" | wc -l) jobs in sendq, hfaxd on port $port"
	/usr/bin/faxstat -h "127.0.0.1:$port" -s >/dev/null
	pair "faxstat -s" "HylaFAX faxstat -s" "$fs" -S "$spool" -s --- \
	    /usr/bin/faxstat -h "127.0.0.1:$port" -s
fi
# CPU time, which a busy machine does not inflate
for v in -s "-s --json" -d; do
	/usr/bin/time -f "faxstat $v: %e s wall, %U s user, %S s system, %M kB" \
	    "$fs" -S "$spool" $v >/dev/null
done 2>&1
/usr/bin/time -f "ls -l jobs/: %e s wall, %U s user, %S s system" \
    ls -l "$spool/jobs" 2>&1 >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) processors"
