# tap.sh: TAP helpers for rampart's shell tests, sourced by tests/*/*-t.sh.
#   plan N; ok "desc" cmd...; is WANT GOT "desc"; diag MSG; bail MSG
#   ok_program "desc" STATUS EXPECTED-OUTPUT cmd...   (status and output)
#   test_tmpdir: sets $TMP to a fresh directory removed at exit
#   at_exit "cmd": runs cmd on every exit path (daemons are stopped there)
#   $PORT_BASE: the first of ten TCP ports this test may listen on
# A test never skips: a missing tool is a bail, so CI sees a failure.

# Ten ports per test, from its pid so tests running side by side do not
# collide, and all below the kernel's ephemeral range (32768 and up), where
# any client's outgoing connection could be holding one.
PORT_BASE=$((10000 + ($$ % 2000) * 10))

tap_planned=-1 tap_run=0 tap_failed=0 tap_bailed=0 tap_exit_cmds=""

tap_finish() {
	st=$?
	eval "$tap_exit_cmds"
	[ -n "${TMP:-}" ] && [ -d "$TMP" ] && { [ "$tap_failed" -gt 0 ] && [ -n "${TAP_KEEP:-}" ] || rm -rf "$TMP"; }
	if [ "$tap_planned" -ge 0 ] && [ "$tap_run" -ne "$tap_planned" ]; then
		echo "# planned $tap_planned tests but ran $tap_run"; exit 1
	fi
	[ "$tap_failed" -gt 0 ] && { echo "# failed $tap_failed of $tap_run tests"; exit 1; }
	[ "$tap_bailed" -eq 1 ] && exit 1
	[ "$tap_planned" -lt 0 ] && exit "$st"
	exit 0
}
trap tap_finish EXIT
trap 'exit 1' INT TERM HUP

at_exit() { tap_exit_cmds="$1; $tap_exit_cmds"; }
plan() { tap_planned=$1; echo "1..$1"; }
diag() { echo "# $*"; }
bail() { echo "Bail out! $*"; tap_bailed=1; exit 1; }
tap_result() {
	tap_run=$((tap_run + 1))
	if [ "$1" -eq 0 ]; then echo "ok $tap_run - $2"
	else echo "not ok $tap_run - $2"; tap_failed=$((tap_failed + 1)); fi
}
ok() {
	desc=$1; shift
	"$@" >/dev/null 2>&1
	tap_result $? "$desc"
}
is() {
	if [ "$1" = "$2" ]; then tap_result 0 "$3"
	else tap_result 1 "$3"; diag "want '$1', got '$2'"; fi
}
ok_program() {
	desc=$1 want_st=$2 want_out=$3; shift 3
	got_out=$("$@" 2>&1); got_st=$?
	if [ "$got_st" -eq "$want_st" ] && [ "$got_out" = "$want_out" ]; then
		tap_result 0 "$desc"
	else
		tap_result 1 "$desc"
		diag "want status $want_st output '$want_out'"
		diag "got status $got_st output '$got_out'"
	fi
}
need() { for t in "$@"; do command -v "$t" >/dev/null 2>&1 || bail "missing tool $t (scripts/install-deps installs it)"; done; }
test_tmpdir() { TMP=$(mktemp -d "${TMPDIR:-/tmp}/rampart-t.XXXXXX") || bail "mktemp"; chmod 755 "$TMP"; }
# waits up to $2 seconds (default 10) for file $1 to exist
wait_for_file() { n=0; lim=$(( ${2:-10} * 10 )); while [ ! -e "$1" ]; do n=$((n + 1)); [ $n -gt $lim ] && return 1; sleep 0.1; done; return 0; }
