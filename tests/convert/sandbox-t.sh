#!/bin/sh
# sandbox-t: looks at a live worker from outside: its user, seccomp,
# no_new_privs, network namespace, chroot and rlimits; then kills it
# with SIGSEGV and checks that convert reports a crash (15) and cleans up.
. "$top_srcdir/tests/convert/common.sh"
need setpriv

plan 36

O=$TMP/out.tif
# start_worker ARGS...: convert on the endless PDF in the background;
# sets $cpid and $wpid (the worker, convert's only child)
start_worker() {
	rm -f "$O"
	"$@" -o "$O" -t 30 "$C/${DOC:-slow.pdf}" 2>"$TMP/err" &
	cpid=$!
	at_exit "kill $cpid 2>/dev/null"
	wpid=""
	n=0
	while [ -z "$wpid" ] && [ $n -lt 100 ]; do
		wpid=$(tr -d ' ' <"/proc/$cpid/task/$cpid/children" 2>/dev/null)
		n=$((n + 1)); sleep 0.05
	done
	[ -n "$wpid" ] || bail "no worker appeared"
	sleep 0.3	# let it finish entering the sandbox
}
field() { sed -n "s/^$1:[[:space:]]*\([^[:space:]]*\).*/\1/p" "/proc/$wpid/status"; }

[ "$(id -u)" -eq 0 ] || bail "sandbox-t runs as root (as in CI)"
start_worker "$CONVERT" -M 400 -x 50
is 65534 "$(field Uid)" "as root, the worker runs as nobody"
is 2 "$(field Seccomp)" "the worker is under a seccomp filter"
is 1 "$(field NoNewPrivs)" "the worker cannot gain privileges"
ok "the worker has its own network namespace" \
    test "$(readlink /proc/$wpid/ns/net)" != "$(readlink /proc/self/ns/net)"
root=$(readlink "/proc/$wpid/root")
case $root in "$TMP"/tmp/convert.*) r=0 ;; *) r=1 ;; esac
is 0 "$r" "the worker is chrooted into its private directory ($root)"
# an AddressSanitizer build sets no address-space limit (see sandbox.c)
as=419430400
grep -q __asan_init "$CONVERT" && as=unlimited
is "$as 50 16" "$(awk '/^Max address space/ { a = $4 } /^Max cpu time/ { c = $4 }
    /^Max open files/ { f = $4 } END { print a, c, f }' "/proc/$wpid/limits")" \
    "rlimits: address space, CPU seconds, open files"
is 5 "$(ls "/proc/$wpid/fd" | wc -l | tr -d ' ')" "the worker holds five descriptors: 0-2, the output, the pipe"
kill -SEGV "$wpid"
wait "$cpid"; rc=$?
is 15 "$rc" "a worker that crashes: exit 15"
# (under AddressSanitizer its SEGV handler turns this into SIGABRT)
case $(cat "$TMP/err") in
"convert: slow.pdf: worker killed by signal 11 (Segmentation fault)") r=0 ;;
"convert: slow.pdf: worker killed by signal 6 (Aborted)") r=0 ;;
*) r=1; diag "got: $(cat "$TMP/err")" ;;
esac
is 0 "$r" "one line naming the attachment and the signal"
ok "no output is left after the crash" test ! -e "$O"
is "" "$(ls "$TMP/tmp")" "no private directory is left"

# the caller gives up: SIGTERM stops the worker and cleans up (16);
# SIGKILL leaves the worker nothing to live for (parent-death signal)
start_worker "$CONVERT"
kill -TERM "$cpid"
wait "$cpid"; rc=$?
is 16 "$rc" "SIGTERM to convert: exit 16 (temporary)"
is "" "$(ls "$TMP/tmp")" "SIGTERM: no private directory is left"
start_worker "$CONVERT"
kill -KILL "$cpid"
wait "$cpid" 2>/dev/null
n=0
while [ -e "/proc/$wpid/status" ] && [ "$(field State)" != Z ] && [ $n -lt 20 ]; do
	n=$((n + 1)); sleep 0.1
done
ok "SIGKILL to convert: the worker dies with it" \
    sh -c "[ ! -e /proc/$wpid/status ] || grep -q '^State:.*Z' /proc/$wpid/status"
ok "SIGKILL to convert: the output is at most an empty file (the caller removes it)" test ! -s "$O"
rm -rf "$TMP"/tmp/convert.*

# PostScript: Ghostscript, convert's child while it runs, in the exec
# sandbox: the worker's user, filter, limits and network namespace, its
# own mount namespace, chrooted into the private directory
DOC=loop.ps start_worker "$CONVERT" -M 400 -x 50
is gs "$(cat /proc/$wpid/comm)" "PostScript: Ghostscript runs as convert's child"
is 65534 "$(field Uid)" "gs runs as nobody"
is 2 "$(field Seccomp)" "gs is under the seccomp filter"
is 1 "$(field NoNewPrivs)" "gs cannot gain privileges"
ok "gs has its own network namespace" \
    test "$(readlink /proc/$wpid/ns/net)" != "$(readlink /proc/self/ns/net)"
ok "gs has its own mount namespace" \
    test "$(readlink /proc/$wpid/ns/mnt)" != "$(readlink /proc/self/ns/mnt)"
is "bin lib lib64 out.pdf tmp usr" "$(ls /proc/$wpid/root/ | tr '\n' ' ' | sed 's/ $//')" \
    "gs sees /usr, its links, its output and scratch directory, nothing else"
is "419430400 50" "$(awk '/^Max address space/ { a = $4 } /^Max cpu time/ { c = $4 }
    END { print a, c }' "/proc/$wpid/limits")" \
    "gs's rlimits: address space (even under ASan) and CPU seconds"
kill -TERM "$cpid"
wait "$cpid"; rc=$?
is 16 "$rc" "SIGTERM to convert while gs runs: exit 16"
is "" "$(ls "$TMP/tmp")" "no private directory is left after gs"

# started by an ordinary user: the same filter and uid, and a chroot made
# possible by a user namespace of its own
chmod 777 "$TMP/tmp"; chmod 755 "$TMP" "$C"; chmod 644 "$C"/*
mkdir "$TMP/o" && chmod 777 "$TMP/o"
O=$TMP/o/out.tif
start_worker setpriv --reuid=65534 --regid=65534 --clear-groups "$CONVERT"
is 65534 "$(field Uid)" "as a user, the worker keeps that user"
is 2 "$(field Seccomp)" "as a user, the worker is under seccomp too"
is 1 "$(field NoNewPrivs)" "as a user, no_new_privs is set"
ok "as a user, the worker has its own user namespace" \
    test "$(readlink /proc/$wpid/ns/user)" != "$(readlink /proc/self/ns/user)"
root=$(readlink "/proc/$wpid/root")
case $root in "$TMP"/tmp/convert.*) r=0 ;; *) r=1 ;; esac
is 0 "$r" "as a user, the worker is chrooted into its private directory ($root)"
kill -SEGV "$wpid"
wait "$cpid"
is "" "$(ls "$TMP/tmp")" "no private directory is left by the user's run"

# PostScript as an ordinary user: gs in a user namespace of its own,
# chrooted into its directory with /usr bound there; the pages come out
DOC=loop.ps start_worker setpriv --reuid=65534 --regid=65534 --clear-groups "$CONVERT"
is gs "$(cat /proc/$wpid/comm)" "as a user, Ghostscript runs"
ok "as a user, gs has its own user and mount namespaces" \
    test "$(readlink /proc/$wpid/ns/user)" != "$(readlink /proc/self/ns/user)" -a \
    "$(readlink /proc/$wpid/ns/mnt)" != "$(readlink /proc/self/ns/mnt)"
is 2 "$(field Seccomp)" "as a user, gs is under seccomp"
kill -TERM "$cpid"
wait "$cpid"
setpriv --reuid=65534 --regid=65534 --clear-groups "$CONVERT" -o "$O" "$C/doc.ps"
is "0 2" "$? $("$TIFFCHECK" "$O" | grep -c '^page=')" "as a user, a two-page PostScript file converts"
is "" "$(ls "$TMP/tmp")" "no private directory is left by the user's gs runs"
