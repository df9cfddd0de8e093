#!/bin/sh
# bench/faxsim/run.sh: load test of faxsim(8) with efax hosts.
#   usage: bench/faxsim/run.sh BUILDDIR N [SPEED]
# Starts one faxsim with N modems.  The first N - N/2 modems run efax
# sending FS_PAGES dense fine pages (tests/tools/mkfaxtiff -f -d) to the
# simulated remote; the other N/2 run efax answering while the remote
# calls them with the same pages.  All calls run at once, at SPEED
# (default 1, real time).  Reports per call the efax exit status, the
# T.30 result, the bit rate, the ticks in which T.31 ran out of host data
# mid-page (late=), and whether EVERY page arrived pixel for pixel
# (tests/tools/tiffcmp-pages -t); then faxsim's CPU seconds per second of
# call, the wall time and the machine's load.  Exits 1 if any call
# failed or any page differs, 2 if the bench itself could not run.
#   FS_PAGES   pages per call (default 2; each dense fine page is about
#              a minute of line time at 14400 bit/s)
#   FS_RECV    calls in which efax receives (default N/2)
#   FS_KEEP=1  keep the work directory (printed) for a post-mortem
#   FS_TIMEOUT seconds to wait for the calls (default 900)
#   FS_STALL=S stops (SIGSTOP) every efax host once for S seconds at a
#              random moment of its call, as an overloaded machine does
#              to processes; with it the bench shows whether the line
#              carries hosts over such gaps (late=0) or not
set -u
[ $# -ge 2 ] || { echo "usage: $0 BUILDDIR N [SPEED]" >&2; exit 2; }
B=$(cd "$1" && pwd) || exit 2
N=$2
SPEED=${3:-1}
PAGES=${FS_PAGES:-2}
NRECV=${FS_RECV:-$((N / 2))}
NSEND=$((N - NRECV))
TIMEOUT=${FS_TIMEOUT:-900}
FAXSIM=$B/faxsim/faxsim
MKFAX=$B/tests/tools/mkfaxtiff
CMP=$B/tests/tools/tiffcmp-pages
for x in "$FAXSIM" "$MKFAX" "$CMP"; do
	[ -x "$x" ] || { echo "$x: not built (make check builds the tools)" >&2; exit 2; }
done
command -v efax >/dev/null || { echo "efax: not installed" >&2; exit 2; }
[ "$N" -ge 1 ] && [ "$N" -le 64 ] && [ "$NRECV" -le "$N" ] ||
    { echo "N must be 1..64, FS_RECV <= N" >&2; exit 2; }

W=$(mktemp -d /tmp/faxsim-bench.XXXXXX) || exit 2
L=$W/line
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	[ -n "${SIMPID:-}" ] && kill "$SIMPID" 2>/dev/null
	wait 2>/dev/null
	if [ "${FS_KEEP:-0}" = 1 ]; then echo "work directory kept: $W"
	else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM

mkdir "$W/doc" || exit 2
"$MKFAX" -f -d "$W/doc/dense.tif" "$PAGES" &&
"$MKFAX" -f -d -s "$W/doc/dense.tif" "$PAGES" || exit 2
SPLIT=
i=1
while [ "$i" -le "$PAGES" ]; do SPLIT="$SPLIT $W/doc/dense-$i.tif"; i=$((i + 1)); done

ctl() { "$FAXSIM" -c "$L/control" -x "$*"; }
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }	# utime+stime, ticks
busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $5 + $6 }' /proc/stat; }
now() { date +%s.%N; }
# a value from the result record of the call on modem $1
field() {
	awk -v m="modem=$1" -v k="$2=" '$3 == m { for (i = 2; i <= NF; i++)
	    if (index($i, k) == 1) print substr($i, length(k) + 1) }' "$L/results"
}

"$FAXSIM" -d -v -D "$L" -n "$N" -S "$SPEED" -p "$W/faxsim.pid" \
    >"$W/faxsim.log" 2>&1 &
SIMPID=$!
i=0
while [ ! -s "$W/faxsim.pid" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "faxsim did not start" >&2; exit 2; }
	sleep 0.1
done
ctl route '*' ecm=0 >/dev/null || exit 2

# receivers first: efax answers on the first ring (-iS0=1)
m=$NSEND
while [ "$m" -lt "$N" ]; do
	mkdir "$W/rx$m"
	efax -d "$L/ttySIM$m" -o1 -l "RX$m" -r "$W/rx$m/rcv" -w -iS0=1 \
	    >"$W/efax$m.out" 2>&1 &
	pids="$pids $!"; eval "efax$m=$!"
	m=$((m + 1))
done
m=$NSEND
while [ "$m" -lt "$N" ]; do
	i=0
	until grep -q "waiting for activity" "$W/efax$m.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 300 ] && { echo "efax on modem $m not ready" >&2; exit 2; }
		sleep 0.1
	done
	m=$((m + 1))
done

c0=$(cpu "$SIMPID"); b0=$(busy); t0=$(now)
m=$NSEND
while [ "$m" -lt "$N" ]; do
	ctl call "$m" file="$W/doc/dense.tif" id="SENDER-$m" >/dev/null ||
	    { echo "remote cannot call modem $m" >&2; exit 2; }
	m=$((m + 1))
done
m=0
while [ "$m" -lt "$NSEND" ]; do
	# -h "": no header band (efax's blank header rows are trimmed)
	efax -d "$L/ttySIM$m" -o1 -h "" -l "TX$m" -t "555$m" $SPLIT \
	    >"$W/efax$m.out" 2>&1 &
	pids="$pids $!"; eval "efax$m=$!"
	m=$((m + 1))
done

if [ -n "${FS_STALL:-}" ]; then
	for p in $pids; do
		d=$(awk -v s="$p" 'BEGIN { srand(s); printf "%.1f", 12 + rand() * 60 * '"$PAGES"' / '"$SPEED"' }')
		( sleep "$d"; kill -STOP "$p" 2>/dev/null; sleep "$FS_STALL"
		  kill -CONT "$p" 2>/dev/null ) &
	done
fi

# wait for every efax, then for every call record
i=0
for p in $pids; do
	while kill -0 "$p" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt $((TIMEOUT * 10)) ] && break 2
		sleep 0.1
	done
done
i=0
while [ "$(grep -c '^call=' "$L/results" 2>/dev/null)" -lt "$N" ]; do
	i=$((i + 1)); [ $i -gt 300 ] && break
	sleep 0.1
done
t1=$(now); c1=$(cpu "$SIMPID"); b1=$(busy)
# the efax hosts' CPU: reap them all, then the shell's children times
m=0
while [ "$m" -lt "$N" ]; do
	eval "p=\$efax$m"
	wait "$p"; eval "rc$m=$?"
	m=$((m + 1))
done
times >"$W/times"	# not in $(...): a subshell has no children
hostcpu=$(awk 'NR == 2 { split($1, u, "m"); split($2, s, "m");
    print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$W/times")
load=$(cut -d' ' -f1-3 /proc/loadavg)

bad=0 diff=0 latecalls=0 pages_ok=0 pages_all=0 callsecs=0
printf "%-5s %-4s %-5s %-8s %-6s %-6s %-5s %-5s %s\n" modem dir efax result rate secs late pages compare
m=0
while [ "$m" -lt "$N" ]; do
	eval "rc=\$rc$m"
	if [ "$m" -lt "$NSEND" ]; then
		dir=out; ref=$SPLIT; got=$(field "$m" file)
	else
		dir=in; ref=$W/doc/dense.tif; got=$(ls "$W/rx$m"/rcv.* 2>/dev/null)
	fi
	res=$(field "$m" result); rate=$(field "$m" rate)
	secs=$(field "$m" duration); late=$(field "$m" late)
	np=$(field "$m" pages)
	if [ -n "$got" ] && "$CMP" -t -v $ref -- $got >"$W/cmp$m.out" 2>&1; then
		cmp=equal; n=$(grep -c equal "$W/cmp$m.out")
	else
		cmp=$(grep -v equal "$W/cmp$m.out" 2>/dev/null | head -1)
		[ -n "$cmp" ] || cmp="no pages"
		n=$(grep -c equal "$W/cmp$m.out" 2>/dev/null)
		diff=$((diff + 1))
	fi
	pages_ok=$((pages_ok + n)); pages_all=$((pages_all + PAGES))
	[ "$rc" -eq 0 ] && [ "$res" = ok ] || bad=$((bad + 1))
	[ "${late:-0}" -eq 0 ] || latecalls=$((latecalls + 1))
	callsecs=$(echo "$callsecs + ${secs:-0}" | bc)
	printf "%-5s %-4s %-5s %-8s %-6s %-6s %-5s %-5s %s\n" "$m" "$dir" "$rc" \
	    "${res:--}" "${rate:--}" "${secs:--}" "${late:--}" "${np:--}" "$cmp"
	m=$((m + 1))
done
hz=$(getconf CLK_TCK)
slips=$(grep -c "clock slipped" "$W/faxsim.log")
echo "$b0 $b1" | awk -v c="$((c1 - c0))" -v hz="$hz" -v cs="$callsecs" \
    -v wall="$(echo "$t1 - $t0" | bc)" -v n="$N" -v s="$SPEED" \
    -v p="$PAGES" -v po="$pages_ok" -v pa="$pages_all" -v bad="$bad" \
    -v diff="$diff" -v lc="$latecalls" -v st="${FS_STALL:-}" -v hc="$hostcpu" -v load="$load" -v slips="$slips" -v nr="$NRECV" \
    -v ncpu="$(getconf _NPROCESSORS_ONLN)" '{
	busy = ($3 - $1) / (($3 - $1) + ($4 - $2))
	printf "faxsim load: %d calls (%d efax send, %d efax receive), %d dense fine pages each, speed %gx%s\n", n, n - nr, nr, p, s, st != "" ? ", each host stopped once for " st " s" : ""
	printf "  pages pixel-exact: %d of %d; calls not ok: %d; calls with differing pages: %d\n", po, pa, bad, diff
	printf "  calls in which T.31 ran out of host data mid-page (late>0): %d\n", lc
	printf "  wall %.1f s; call time (line) %.1f s in all\n", wall, cs
	printf "  faxsim CPU %.2f s = %.4f CPU-s per call-second (%.1f%% of a core per call)\n", c / hz, (c / hz) / cs, 100 * (c / hz) / cs
	printf "  efax hosts CPU %.2f s = %.4f CPU-s per call-second\n", hc, hc / cs
	printf "  machine (%d cores): %.0f%% busy during the run, loadavg %s; faxsim clock slips: %d\n", ncpu, 100 * busy, load, slips
}'
[ "$bad" -eq 0 ] && [ "$diff" -eq 0 ]
