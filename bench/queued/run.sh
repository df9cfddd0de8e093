#!/bin/sh
# bench/queued/run.sh: queued's three numbers (issue: queued).
#  1. latency from smtpd's 250 to the modem's dial (faxsim logs the ATD),
#     a one-page PDF, BQ_N messages one after another, median and p99;
#     reference: HylaFAX 6.0.7, from sendfax's return to its modem's dial,
#     same document, same faxsim line, same run.  The remote is busy (a
#     short call; max one try) so that only the hand-off is timed.
#  2. intake: BQ_MSGS messages of 3 recipients each sent by BQ_CLIENTS
#     clients while queued is stopped, then queued started: messages per
#     second from start to the last job ready (unpack + convert + jobs).
#  3. restart with BQ_JOBS jobs in jobs/ and an idle modem: time to the
#     first `send` and queued's RSS.
#   usage: bench/queued/run.sh [BUILD_DIR]   (as root)
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
top_builddir=$(cd "${1:-$top_srcdir/build}" && pwd)
export top_srcdir top_builddir
N=${BQ_N:-30} MSGS=${BQ_MSGS:-300} JOBS=${BQ_JOBS:-100000} CLIENTS=${BQ_CLIENTS:-4}
here=$top_srcdir/bench/queued
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/queued/q-lib.sh"
. "$top_srcdir/tests/interop/hylafax.sh"
need sendfax socat gs bc
HF_PORT=$((PORT_BASE + 5))	# its data port is one below: not smtpd's
q_setup "" "max_tries = 1" "rescan_interval = 60"
q_stop

# the line: modem 0 for rampart, modem 1 for HylaFAX; faxsim's log stamped
# (through a FIFO, not a pipeline: $! of a pipeline is its last command,
# and faxsim must be the one stopped at the end)
mkfifo "$TMP/simlog" || bail mkfifo
python3 "$here/stamp.py" < "$TMP/simlog" > "$TMP/faxsim.log" &
"$FAXSIM" -d -D "$TMP/sim" -n 2 -S 4 -c "$TMP/sim.sock" -r "$TMP/sim.results" \
    > "$TMP/simlog" 2>&1 &
SIM_PID=$!
wait_for_file "$TMP/sim.sock" 10 || bail faxsim
"$FAXGETTY" -d -f "$TMP/rampart.conf" "$TMP/sim/ttySIM0" > "$TMP/faxgetty.log" 2>&1 &
F_PID=$!
wait_for_file "$TMP/spool/status/ttySIM0" 20 || bail faxgetty
hylafax_start "$TMP" "$TMP/sim/ttySIM1"
sim "route * action=busy" >/dev/null
printf '%%!PS\n/Helvetica findfont 24 scalefont setfont 72 700 moveto (Referral, page 1) show showpage\n' > "$TMP/doc.ps"
gs -q -dSAFER -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -o "$TMP/doc.pdf" "$TMP/doc.ps" || bail gs
q_start

dials() { grep -c "modem=$1 dials" "$TMP/faxsim.log"; }
last_dial() { grep "modem=$1 dials" "$TMP/faxsim.log" | tail -1 | cut -d' ' -f1; }
wait_dials() {	# wait_dials MODEM COUNT
	n=0; until [ "$(dials "$1")" -ge "$2" ]; do
		n=$((n + 1)); [ $n -gt 2400 ] && return 1; sleep 0.05; done
}
idle() { until grep -q state=idle "$TMP/spool/status/ttySIM0"; do sleep 0.05; done; }

: > "$TMP/lat-rampart"; : > "$TMP/lat-hylafax"
i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	idle
	t0=$(python3 "$here/submit.py" "$PORT_BASE" dev1 secret1 "FAX=+1555700$(printf %02d $((i % 100)))@fax.test" "$TMP/doc.pdf" | cut -d' ' -f1)
	[ -n "$t0" ] || bail "submit"
	wait_dials 0 "$i" || bail "rampart: no dial"
	echo "$(last_dial 0) - $t0" | bc >> "$TMP/lat-rampart"
	t0=$(date +%s.%N)
	out=$(sendfax -h "127.0.0.1:$HF_PORT" -n -l -T 1 -d 5557000 "$TMP/doc.pdf" 2>&1)
	HF_JOB=$(echo "$out" | sed -n 's/^request id is \([0-9]*\).*/\1/p')
	[ -n "$HF_JOB" ] || bail "sendfax: $out"
	wait_dials 1 "$i" || bail "HylaFAX: no dial"
	echo "$(last_dial 1) - $t0" | bc >> "$TMP/lat-hylafax"
	hylafax_wait_done 120 >/dev/null 2>&1
done
stats() { sort -n "$1" | awk '{ a[NR] = $1 } END { p = int(NR * 0.99 + 0.999); if (p < 1) p = 1;
	printf "%.1f %.1f", a[int((NR + 1) / 2)] * 1000, a[p] * 1000 }'; }
set -- $(stats "$TMP/lat-rampart"); rm=$1 rp=$2
set -- $(stats "$TMP/lat-hylafax"); hm=$1 hp=$2
echo "1. 250 (sendfax) to dial, one-page PDF, $N messages each:"
echo "   rampart: median $rm ms, p99 $rp ms (goal < 200 ms)"
echo "   HylaFAX: median $hm ms, p99 $hp ms"
echo "   ratio median HylaFAX/rampart: $(echo "scale=2; $hm / $rm" | bc)"

# 2. intake rate
q_stop
hylafax_stop
kill "$F_PID" 2>/dev/null
rm -rf "$TMP"/spool/jobs/* "$TMP"/spool/done/*
per=$((MSGS / CLIENTS))
c=0 clients=
while [ $c -lt "$CLIENTS" ]; do
	c=$((c + 1))
	( k=0; while [ $k -lt $per ]; do k=$((k + 1))
		python3 "$here/submit.py" "$PORT_BASE" dev1 secret1 \
		    "FAX=+15551$c$(printf %04d $k)@fax.test,FAX=+15552$c$(printf %04d $k)@fax.test,FAX=+15553$c$(printf %04d $k)@fax.test" \
		    "$TMP/doc.pdf" >/dev/null || echo fail; done ) &
	clients="$clients $!"
done
wait $clients	# the clients only: the daemons are children too
total=$((per * CLIENTS))
t0=$(date +%s.%N)
q_start
n=0; until [ "$(count jobs)" -ge $((3 * total)) ]; do n=$((n + 1)); [ $n -gt 12000 ] && bail "intake stalled at $(count jobs)"; sleep 0.05; done
t1=$(date +%s.%N)
echo "2. intake: $total messages x 3 recipients, queued_max_parallel=2: $(echo "scale=1; $total / ($t1 - $t0)" | bc) messages/s ($(count jobs) jobs, $(echo "$t1 - $t0" | bc) s)"

# 3. restart with many jobs
q_stop
rm -rf "$TMP"/spool/jobs/*
python3 - "$TMP/spool/jobs" "$JOBS" <<'PY'
import os, sys, uuid
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    j = str(uuid.uuid4())
    os.mkdir(os.path.join(d, j))
    with open(os.path.join(d, j, "job"), "w") as f:
        f.write("id = %s\nnumber = 1555%07d\npages = 1\nfirst_page = 1\ntry = 1\n"
                "account = dev1\nsubaddress = \nversion = 1\nstate = ready\n"
                "priority = 127\ncreated = %d\nnot_before = 0\n" % (j, i, 1700000000 + i))
PY
[ "$(id -u)" = 0 ] && chown -R rampart:rampart "$TMP/spool/jobs"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
"$FAXGETTY" -d -f "$TMP/rampart.conf" "$TMP/sim/ttySIM0" > "$TMP/faxgetty.log" 2>&1 &
F_PID=$!
sleep 2
: > "$TMP/queued.log"
t0=$(date +%s.%N)
# not q_start: loading the index of many jobs can take longer than it waits
"$QUEUED" -d -v -f "$TMP/rampart.conf" -L "$TMP/libexec" >> "$TMP/queued.log" 2>&1 &
Q_PID=$!
n=0; until grep -q "handed to modem" "$TMP/queued.log"; do n=$((n + 1)); [ $n -gt 30000 ] && bail "no send"; sleep 0.01; done
t1=$(date +%s.%N)
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$Q_PID/status")
echo "3. restart with $JOBS jobs (page cache dropped first): first send after $(echo "$t1 - $t0" | bc) s (goal < 2 s); RSS $rss kB"
