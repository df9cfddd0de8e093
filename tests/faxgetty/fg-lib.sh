# fg-lib.sh: shared set-up for faxgetty's tests: a throwaway spool
# (rampart-setup), faxsim with two modems, faxgetty on modem 0, jobs
# made by hand the way queued will make them.
#   fg_setup [faxgetty -o options...]   everything, faxgetty started
#   fg_start / fg_stop                  (re)start or stop faxgetty
#   sim CMD...                          one faxsim control command
#   mkjob NUMBER PAGES.tif [key=value]  prints the new job id
#   send ID; wait_result ID TRY [secs]; field FILE KEY
B=$top_builddir
FAXGETTY=$B/faxgetty/faxgetty
FAXSIM=$B/faxsim/faxsim
MKFAX=$B/tests/tools/mkfaxtiff
TIFFCMP=$B/tests/tools/tiffcmp-pages
SETUP=$B/setup/rampart-setup
SPEED=${FG_SPEED:-4}
for p in "$FAXGETTY" "$FAXSIM" "$MKFAX" "$TIFFCMP" "$SETUP"; do
	[ -x "$p" ] || bail "$p not built"
done

fg_stop() {
	[ -n "$FG_PID" ] || return 0
	kill "$FG_PID" 2>/dev/null
	wait "$FG_PID" 2>/dev/null
	FG_PID=
}

sim_stop() {
	[ -n "$SIM_PID" ] || return 0
	kill "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
	SIM_PID=
}

sim() { "$FAXSIM" -c "$TMP/sim.sock" -x "$*"; }

fg_start() {
	"$FAXGETTY" -d -vv -f "$TMP/rampart.conf" -o lock_dir="$TMP/lock" \
	    -o station_id=RAMPART-TEST $FG_OPTS "$TMP/sim/ttySIM0" \
	    >> "$TMP/faxgetty.log" 2>&1 &
	FG_PID=$!
	n=0
	until grep -q "state=idle" "$TMP/spool/status/ttySIM0" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -gt 100 ] || ! kill -0 "$FG_PID" 2>/dev/null; then
			cat "$TMP/faxgetty.log"; bail "faxgetty did not start"
		fi
		sleep 0.1
	done
}

fg_setup() {
	test_tmpdir
	at_exit fg_stop
	at_exit sim_stop
	FG_OPTS="$*"
	mkdir -p "$TMP/sim" "$TMP/lock"
	printf 'spool = %s/spool\nhostname = rampart.test\n' "$TMP" \
	    > "$TMP/rampart.conf"
	"$SETUP" -f "$TMP/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup"
	[ "$(id -u)" = 0 ] && chown rampart "$TMP/lock"
	"$FAXSIM" -d $SIM_OPTS -D "$TMP/sim" -n 2 -S "$SPEED" -c "$TMP/sim.sock" \
	    -r "$TMP/sim.results" > "$TMP/faxsim.log" 2>&1 &
	SIM_PID=$!
	wait_for_file "$TMP/sim/ttySIM0" 10 || bail "faxsim did not start"
	wait_for_file "$TMP/sim.sock" 10 || bail "faxsim socket"
	fg_start
}

mkjob() {
	id=$(cat /proc/sys/kernel/random/uuid)
	d=$TMP/spool/jobs/$id
	mkdir "$d" && cp "$2" "$d/pages.tif" || bail "mkjob"
	pages=$(tiffinfo "$2" 2>/dev/null | grep -c "Image Width")
	{
		echo "id = $id"; echo "number = $1"; echo "pages = $pages"
		echo "account = dev1"; echo "try = 1"; echo "first_page = 1"
		shift 2
		for kv; do echo "$kv" | sed 's/=/ = /'; done
	} > "$d/job"
	[ "$(id -u)" = 0 ] && chown -R rampart:rampart "$d"
	echo "$id"
}

# rewrites one key of a job, as queued does before the next try
setjob() {
	sed -i "s/^$2 = .*/$2 = $3/" "$TMP/spool/jobs/$1/job"
}

# a dead faxgetty must fail the test, not block it on the FIFO's open
send() {
	timeout 10 sh -c "echo 'send $1' > '$TMP/spool/FIFO.ttySIM0'" ||
	    diag "could not write to FIFO.ttySIM0: is faxgetty running?"
}

wait_result() {
	wait_for_file "$TMP/spool/results/new/$1.$2" "${3:-120}"
}

field() { sed -n "s/^$2 = //p" "$1"; }

# waits up to 120 s for more than $1 entries in recv/new; sets D to the
# newest (an incoming call's directory)
wait_recv() {
	n=0
	until [ "$(ls "$TMP/spool/recv/new" | wc -l)" -gt "$1" ]; do
		n=$((n + 1)); [ $n -gt 600 ] && break; sleep 0.2
	done
	D=$(ls -td "$TMP"/spool/recv/new/* | head -1)
}

# waits until faxgetty is idle again after a call
wait_idle() {
	n=0
	until grep -q "state=idle" "$TMP/spool/status/ttySIM0"; do
		n=$((n + 1)); [ $n -gt 100 ] && return 1; sleep 0.1
	done
	return 0
}
