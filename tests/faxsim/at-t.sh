#!/bin/sh
# at-t: faxsim's modems answer a scripted AT client like real ones:
# OK, ERROR for garbage, BUSY, NO ANSWER, caller id with RING, DTMF in
# voice mode, and the control socket's own errors.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxsim/common.sh"
plan 16
faxsim_start -S 10
chat() { "$TOOLS/atchat" -t 10 "$@" >"$TMP/chat.out" 2>&1 || { show "$TMP/chat.out"; return 1; }; }

ok "AT gets OK" chat "$L/ttySIM0" send:AT expect:OK
ok "unknown commands get ERROR" chat "$L/ttySIM0" send:ATE0 expect:OK \
    send:AT+FOO expect:ERROR send:ATXYZZY expect:ERROR \
    send:AT+FCLASS=7 expect:ERROR send:AT+FCLASS=1 expect:OK
ok "+FCLASS=? lists voice; +FCLASS? says 8 in voice mode" chat "$L/ttySIM0" \
    send:ATE0 expect:OK send:AT+FCLASS=? expect:0,1,1.0,8 expect:OK \
    send:AT+FCLASS=8 expect:OK send:AT+FCLASS? expect:8 expect:OK \
    send:AT+FCLASS=1 expect:OK send:AT+FCLASS? expect:1 expect:OK
ok "route to a busy remote" ctl route 500 action=busy
ok "dialling a busy number gets BUSY" chat "$L/ttySIM0" \
    send:AT+FCLASS=1 expect:OK send:ATD500 expect:BUSY
wait_call 1 10
is busy "$(field 1 result)" "the busy call is recorded as busy"
ctl route 501 action=noanswer >/dev/null
ok "a remote that never answers gets NO ANSWER" chat "$L/ttySIM0" \
    send:AT+FCLASS=1 expect:OK send:ATD501 expect:"NO ANSWER"
wait_call 2 10
is no-answer "$(field 2 result)" "the unanswered call is recorded"

# the remote calls modem 1: caller id, then DTMF after a voice answer
bg_start chat1 "$TOOLS/atchat" -t 20 "$L/ttySIM1" send:ATE0 expect:OK \
    send:AT+VCID=1 expect:OK send:AT+FCLASS=8 expect:OK \
    expect:NMBR=5550001 "expect:NAME=Jane Doe" expect:NDID=777 \
    expect:RING send:ATA expect:OK send:AT+VLS=1 expect:OK dtmf:4711# \
    send:AT+FCLASS=1 expect:OK send:ATA expect:CONNECT
wait_open 1 || bail "modem 1 not opened"
mkdir "$TMP/doc" && "$TOOLS/mkfaxtiff" "$TMP/doc/d.tif" 1 ||
    bail "mkfaxtiff"
is "OK call=3" "$(ctl call 1 file="$TMP/doc/d.tif" cid=5550001 \
    'name="Jane Doe"' did=777 dtmf=4711#)" "the remote calls modem 1"
bg_wait chat1 30
tap_result $? "RING shows NMBR, NAME, NDID; DTMF arrives as <DLE>digits; ATA then starts the fax"
grep -q "dtmf 4711#" "$TMP/chat1.out"
tap_result $? "the DTMF digits are exactly the ones sent"
[ "$tap_failed" -gt 0 ] && show "$TMP/chat1.out"
wait_call 3 10
is 777 "$(field 3 number)" "the incoming call's record has the DID"

out=$(ctl call 1 file="$TMP/doc/d.tif")
case $out in ERR*) r=0 ;; *) r=1 ;; esac
tap_result $r "a call to a modem no host has open is refused"
ctl bogus >/dev/null
is 1 "$?" "an unknown control command gets ERR (exit 1)"
out=$(ctl route 502 rate=999)
case $out in ERR*) r=0 ;; *) r=1 ;; esac
tap_result $r "a bad profile value is refused"
is OK "$(ctl ping)" "faxsim is still running"
