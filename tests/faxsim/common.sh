# common.sh: helpers for faxsim's tests, sourced after tests/tap.sh.
#   faxsim_start [faxsim options]   line in $L, stopped at exit
#   ctl COMMAND...                  one control command, reply on stdout
#   field CALL KEY                  a value from call CALL's result record
#   wait_call CALL [secs]           waits for call CALL's result record
#   wait_open N                     waits until a host has modem N open
#   bg_start NAME cmd...            runs cmd in the background (killed at
#   bg_wait NAME [secs]             exit); bg_wait returns its status
FAXSIM=$top_builddir/faxsim/faxsim
TOOLS=$top_builddir/tests/tools
[ -x "$FAXSIM" ] || bail "faxsim not built"
[ -x "$TOOLS/atchat" ] || bail "tests/tools not built (make check builds them)"
test_tmpdir
L=$TMP/line

faxsim_start() {
	"$FAXSIM" -d -v -D "$L" -p "$TMP/faxsim.pid" "$@" \
	    >"$TMP/faxsim.log" 2>&1 &
	faxsim_pid=$!
	at_exit "faxsim_stop $faxsim_pid"
	wait_for_file "$TMP/faxsim.pid" 10 || bail "faxsim did not start"
}
# stops faxsim; a sanitizer report in its log fails the test (ASan CI)
faxsim_stop() {
	kill "$1" 2>/dev/null && wait "$1" 2>/dev/null
	if grep -q "Sanitizer\|runtime error" "$TMP/faxsim.log"; then
		show "$TMP/faxsim.log"
		tap_failed=$((tap_failed + 1))
	fi
}
ctl() { "$FAXSIM" -c "$L/control" -x "$*"; }
field() {
	awk -v c="call=$1" -v k="$2=" '$1 == c { for (i = 2; i <= NF; i++)
	    if (index($i, k) == 1) print substr($i, length(k) + 1) }' \
	    "$L/results"
}
wait_call() {
	n=0
	while ! grep -q "^call=$1 " "$L/results" 2>/dev/null; do
		n=$((n + 1)); [ $n -gt $(( ${2:-60} * 10 )) ] && return 1
		sleep 0.1
	done
}
wait_open() {
	n=0
	while ! ctl status | grep -q "modem$1=[iau]"; do
		n=$((n + 1)); [ $n -gt 100 ] && return 1
		sleep 0.1
	done
}
bg_start() {
	name=$1; shift
	"$@" >"$TMP/$name.out" 2>&1 &
	eval "bg_$name=$!"
	at_exit "kill $! 2>/dev/null"
}
bg_wait() {
	eval "pid=\$bg_$1"
	n=0
	while kill -0 "$pid" 2>/dev/null; do
		n=$((n + 1)); [ $n -gt $(( ${2:-120} * 10 )) ] && return 124
		sleep 0.1
	done
	wait "$pid"
}
# waits until file $1 contains the text $2 (default 20 s)
wait_text() {
	n=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1)); [ $n -gt $(( ${3:-20} * 10 )) ] && return 1
		sleep 0.1
	done
}
# prints a file for diagnosis when a check failed
show() { sed 's/^/# /' "$1"; }
