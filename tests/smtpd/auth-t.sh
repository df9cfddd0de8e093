#!/bin/sh
# auth-t: the AUTH lock-out holds however the guesses are spread over
# connections (issue 20): it is checked when the credentials arrive, not
# only at the AUTH command, and checks in flight count against it; an
# unknown account costs a hash like a wrong password; password hashing runs
# in separate processes, so a logged-in session's NOOPs stay fast (p99
# under 50 ms) while 40 addresses send wrong passwords.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/smtpd/smtpd-lib.sh"
need python3

plan 14
smtpd_setup "auth_max_failures = 5" "auth_fail_delay = 0"
A="python3 $top_srcdir/tests/smtpd/authrace.py $STARTTLS_PORT"
has() { grep -q -e "$2" "$1"; }

# 1: an exchange begun before the lock-out, finished after it
$A race 127.0.0.2 > "$TMP/race.out" 2>&1
is 5 "$(grep -c '^c[2-6] 535 5.7.8' "$TMP/race.out")" "five wrong passwords: 535 each"
ok "the sixth login (right password, new AUTH) is refused: 454 4.7.0" \
    has "$TMP/race.out" "^c7 454 4.7.0"
ok "an AUTH LOGIN begun before the lock-out: its right password gets 454, not 235" \
    sh -c "tail -1 '$TMP/race.out' | grep -q '^c1 454 4.7.0'"
ok "... and that address never logged in" sh -c \
    "! grep -q 'login client=127.0.0.2 ' '$TMP/smtpd.log'"

# 2: eight exchanges open at once from one address, eight wrong responses
$A parallel 127.0.0.3 8 > "$TMP/par.out" 2>&1
is 5 "$(grep -c '^535 5.7.8' "$TMP/par.out")" \
    "8 responses in flight, auth_max_failures 5: only 5 are checked (535)"
is 3 "$(grep -c '^454 4.7.0' "$TMP/par.out")" "... the other 3 get 454 4.7.0"
is 5 "$(grep -c 'login failed client=127.0.0.3 ' "$TMP/smtpd.log")" \
    "... and 5 failures are logged for that address"

# an unknown account costs a hash like a wrong password: with the hashing
# processes stopped it gets no answer, while a password already verified
# (remembered as an HMAC) needs none
C="python3 $top_srcdir/tests/smtpd/smtpc.py $STARTTLS_PORT"
$C "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev2:secret2" QUIT > "$TMP/dev2.out" 2>&1
W=$(pgrep -P $SMTPD_PID | tr '\n' ' ')
at_exit "kill -CONT $W 2>/dev/null"
is 2 "$(echo $W | wc -w)" "smtpd has its two password hashing processes"
kill -STOP $W
PYTHONUNBUFFERED=1 $C "EHLO c.test" STARTTLS "EHLO c.test" "auth:nobody:secret1" \
    QUIT > "$TMP/unk.out" 2>&1 &
UNK=$!
$C "EHLO c.test" STARTTLS "EHLO c.test" "auth:dev2:secret2" QUIT > "$TMP/cached.out" 2>&1
sleep 1
ok "with the hashing stopped, a verified password still logs in: 235" \
    has "$TMP/cached.out" "^235 2.7.0"
ok "... but an unknown account waits for a hash: no answer yet" \
    sh -c "tail -1 '$TMP/unk.out' | grep -qx '250 AUTH PLAIN LOGIN'"
kill -CONT $W
wait $UNK
ok "once hashed: 535 5.7.8, logged with the name" sh -c \
    "grep -q '^535 5.7.8' '$TMP/unk.out' && grep -q 'login failed client=127.0.0.1 user=nobody' '$TMP/smtpd.log'"

# 3: latency of a logged-in session while 40 addresses guess passwords.
# smtpd's event loop (its main thread) and the probe run at nice -10 when
# the test may (root), so that other jobs on a shared machine do not
# decide the result; the attackers and smtpd's hashing threads (which set
# their own nice, 10) run as they would.  The code that hashed on the
# loop failed this all the same (p99 5,389 ms).
smtpd_restart "auth_max_failures = 1000" "auth_fail_delay = 0" \
    "smtpd_max_junk_commands = 100000"
NICE=
if renice -n -10 -p $SMTPD_PID >/dev/null 2>&1; then
	NICE="nice -n -10"
fi
$NICE $A probe 4 "$TMP/probe.ready" "$TMP/attack.ready" "$TMP/stop" \
    > "$TMP/probe.out" 2>&1 &
PROBE=$!
wait_for_file "$TMP/probe.ready" 20 || diag "probe did not log in"
$A attack 40 "$TMP/attack.ready" "$TMP/stop" > "$TMP/attack.out" 2>&1 &
ATTACK=$!
at_exit "kill $PROBE $ATTACK 2>/dev/null"
wait $PROBE
wait $ATTACK
diag "probe: $(cat "$TMP/probe.out"); attack: $(cat "$TMP/attack.out")"
during=$(sed -n 's/.* during=\([0-9]*\)$/\1/p' "$TMP/attack.out")
ok "wrong passwords were being checked while the probe ran (>= 20 answered)" \
    test "${during:-0}" -ge 20
p99=$(sed -n 's/.* p99=\([0-9]*\)\..*/\1/p' "$TMP/probe.out")
ok "the logged-in session got 250 for each of its 400 NOOPs" sh -c \
    "test \$(sed -n 's/^n=\([0-9]*\) .*/\1/p' '$TMP/probe.out') -ge 400"
ok "its NOOP p99 is under 50 ms (was ${p99:-?} ms)" test "${p99:-9999}" -lt 50
