#!/bin/sh
# views-t: every view of faxstat, in text and JSON, over a spool written
# file by file per rampart-spool(5): modems (live, stale, idle), the queue
# (sending, retry, held, waiting), finished jobs, received faxes, one job's
# whole record, the filters, hostile values shown escaped, the JSON fields
# against those faxstat(1) documents, corrupt records and the exit statuses.
. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxstat/fs-lib.sh"
plan 63
fs_setup

J_SEND=11111111-1111-4111-8111-111111111111
J_RETRY=22222222-2222-4222-8222-222222222222
J_HELD=33333333-3333-4333-8333-333333333333
J_WAIT=66666666-6666-4666-8666-666666666666
D_OK=44444444-4444-4444-8444-444444444444
D_FAIL=77777777-7777-4777-8777-777777777777
F_RECV=88888888-8888-4888-8888-888888888888
F_NEW=99999999-9999-4999-8999-999999999999
N_DSN=55555555-5555-4555-8555-555555555555
N_FAX=5aaaaaaa-5555-4555-8555-555555555555
MSG=00000000-0000-4000-8000-000000000001

# a live "faxgetty" (a process of that name) and a dead pid
mkdir "$TMP/bin"
cp "$(command -v sleep)" "$TMP/bin/faxgetty"
"$TMP/bin/faxgetty" 120 &
LIVE=$!
at_exit "kill $LIVE 2>/dev/null"
sh -c 'exit 0' &
DEAD=$!
wait $DEAD
T0=$((NOW - 30))
# status/DEV as faxgetty writes it (the remote id escaped by log_escape)
echo "dev=ttyS0 pid=$LIVE time=$T0 state=sending id=$J_SEND page=2 pages=3 rate=14400 ecm=1 remote=\\x1b[31mEVIL_FAX" | put status/ttyS0
echo "dev=ttyS1 pid=$DEAD time=$T0 state=idle" | put status/ttyS1
echo "dev=ttyS2 pid=$LIVE time=$T0 state=idle" | put status/ttyS2
# in a call for longer than dial_timeout + call_timeout + 60 s: stuck
echo "dev=ttyS3 pid=$LIVE time=$((NOW - 3800)) state=receiving id=$F_NEW page=1 rate=9600 ecm=0 remote=-" | put status/ttyS3

job jobs $J_SEND state=sending device=ttyS0 try=2 first_page=2 \
    last_outcome=recoverable last_reason=busy created=$((NOW - 400))
job jobs $J_RETRY account=bob number=040987654 e164=+4940987654 \
    not_before=$((NOW + 3600)) try=3 last_outcome=recoverable \
    last_reason=no_answer created=$((NOW - 300))
job jobs $J_HELD state=held created=$((NOW - 200))
# an account with a terminal escape, as lib/kv escapes it
job jobs $J_WAIT 'account=ev\x1b[2Jil' created=$((NOW - 100))

# a message being converted (msgs/ID/, readable by the daemon's user only)
mkdir -p "$SPOOL/msgs/$MSG"
touch -d "@$((NOW - 50))" "$SPOOL/msgs/$MSG"

# a job sent at the second try, with its intake, tries and a delivered DSN
job done $D_OK try=3 first_page=4 created=$((NOW - 5000)) \
    +outcome=ok +reason= +finished=$((NOW - 4000)) "+notice=$N_DSN dsn"
cat <<EOT | kvfix | put done/$D_OK/envelope
version = 1
id = $MSG
time = $((NOW - 5010))
client = 192.0.2.7
helo = clinic.test
account = alice
auth = plain
tls_version = TLSv1.3
tls_cipher = TLS_AES_256_GCM_SHA384
mail_from = alice@clinic.test
rcpt = +49301234567 0301234567 - +49301234567@fax.test
size = 00000000000000004096
EOT
for t in 1 2; do
	if [ $t = 1 ]; then o=recoverable r=busy s=0 c=0 d=0 b=0 e=0
	else o=ok r=ok s=3 c=3 d=61 b=14400 e=1; fi
	cat <<EOT | kvfix | put done/$D_OK/result.$t
id = $D_OK
try = $t
device = ttyS0
outcome = $o
reason = $r
t30_status = 0
t30_text = OK
pages_total = 3
first_page = 1
pages_sent = $s
pages_confirmed = $c
next_page = $((c + 1))
remote_id = +49 30 1234567
bit_rate = $b
ecm = $e
rtn = 0
started = $((NOW - 4900 + t * 300))
duration = $d
EOT
done
cat <<EOT | kvfix | put sent/$N_DSN
version = 1
id = $N_DSN
kind = dsn
about = $D_OK
created = $((NOW - 3990))
finished = $((NOW - 3980))
rcpt = alice@clinic.test
result = delivered
time = $((NOW - 3981))
tries = 1
host = mx.clinic.test [192.0.2.25]
tls = TLSv1.3 TLS_AES_256_GCM_SHA384
verified = verify yes
reply = 250 2.0.0 Ok: queued as 4F2A1
EOT
# UTF-8 in an account and a subject, with a right-to-left override
job done $D_FAIL try=5 first_page=1 created=$((NOW - 4 * 86400)) \
    'account=j\xc3\xbcrgen-m\xc3\xbcller' \
    'subject=Befund M\xc3\xbcller \xe2\x80\xaelive' \
    +outcome=failed +reason=no_answer +finished=$((NOW - 3 * 86400))

# a received fax, routed; its station id is hostile
cat <<EOT | kvfix | put done/$F_RECV/meta
id = $F_RECV
device = ttyS2
caller_id = +4930555123
caller_name = LAB
did = +4930777
subaddress =
tsi = \\x1b]0;pwned\\x07
pages = 2
bit_rate = 9600
ecm = 1
t30_status = 0
t30_text = OK
complete = 1
started = $((NOW - 2000))
duration = 40
EOT
cat <<EOT | kvfix | put done/$F_RECV/route
version = 1
id = $F_RECV
authorized = 1
rule = /etc/rampart/authorize:3
route = /etc/rampart/routes:7
reason =
rcpt = lab@clinic.test
attach = pdf
encrypted = 0
notice = $N_FAX fax
EOT
# one not routed yet, broken off after a page
cat <<EOT | kvfix | put done/$F_NEW/meta
id = $F_NEW
device = ttyS2
caller_id =
caller_name =
did = +4930777
subaddress =
tsi = FAX
pages = 1
bit_rate = 4800
ecm = 0
t30_status = 48
t30_text = Disconnected after permitted retries
complete = 0
started = $((NOW - 1000))
duration = 30
EOT

ESC=$(printf '\033')
noesc() { ! printf '%s' "$1" | grep -q "$ESC"; }
tm() { TZ=UTC date -d "@$1" "+%m-%d %H:%M"; }

# --- modems
out=$(FS); st=$?
is 0 "$st" "modems: exit 0"
is "DEVICE     STATE       JOB      NUMBER/REMOTE        PAGE  RATE ECM SINCE
ttyS0      sending     11111111 \\x1b[31mEVIL_FAX      2/3 14400 yes $(tm $T0)
ttyS1      down        -        (faxgetty gone)                     $(tm $T0)
ttyS2      idle        -        -                                   $(tm $T0)
ttyS3      down        -        (stuck receiving)                   $(tm $((NOW - 3800)))" \
    "$out" "modems: a call in flight, a stale status shown down, an idle one, a stuck call down"
j=$(FS -j)
is "down true idle" "$(echo "$j" | jq -r '.modems[1] | "\(.state) \(.stale) \(.reported_state)"')" \
    "modems --json: the stale one is down, stale, and says idle"
is "down true receiving" "$(echo "$j" | jq -r '.modems[3] | "\(.state) \(.stale) \(.reported_state)"')" \
    "modems --json: the stuck one is down, stale, and says receiving"
is "sending 2 3 14400 true ${ESC}[31mEVIL FAX" \
    "$(echo "$j" | jq -r '.modems[0] | "\(.state) \(.page) \(.pages) \(.bit_rate) \(.ecm) \(.remote)"' | sed 's/_/ /')" \
    "modems --json: page, pages, rate, ECM and the remote's id unescaped"

# -w --json: one object per modem and change (the call stays: timeout ends it)
timeout 1.5 env TZ=UTC "$FAXSTAT" -S "$SPOOL" -w -j > "$TMP/wj" 2>&1
is "124 ttyS0 sending 2 ttyS1 down null" \
    "$?$(jq -r -s '.[0:2][] | " \(.device) \(.state) \(.page)"' "$TMP/wj" | tr -d '\n')" \
    "-w --json: a line of JSON per modem, as in the modems list"

# --- the send queue
out=$(FS -s); st=$?
is 0 "$st" "queue: exit 0"
is "ID       ACCOUNT    NUMBER          PAGES TRY STATE                LAST FAILURE
11111111 alice      +49301234567      1/3   1 sending on ttyS0     busy
22222222 bob        +4940987654       0/3   2 retry at $(tm $((NOW + 3600))) no_answer
33333333 alice      +49301234567      0/3   0 held                 -
66666666 ev\\x1b[2J… +49301234567      0/3   0 waiting for a modem  -
00000000 -          -                   -   0 converting           -" \
    "$out" "queue: sorted by time, pages confirmed, tries, each state, cut with …"
ok "queue: no escape byte reaches the terminal" noesc "$out"
j=$(FS -s --json)
is "sending retry held waiting converting" "$(echo "$j" | jq -r '[.queue[].status] | join(" ")')" \
    "queue --json: the status words"
is "id status created" "$(echo "$j" | jq -r '.queue[4] | keys_unsorted | join(" ")')" \
    "queue --json: a message being converted has the fields faxstat(1) lists"
is "ev${ESC}[2Jil" "$(echo "$j" | jq -r '.queue[3].account')" \
    "queue --json: a value unescaped (json-c escapes it in the document)"
is "$(TZ=UTC date -u -d @$((NOW + 3600)) +%Y-%m-%dT%H:%M:%SZ)" \
    "$(echo "$j" | jq -r '.queue[1].not_before')" "queue --json: times in ISO 8601 UTC"

# --- finished jobs
out=$(FS -d)
is "ID       ACCOUNT    NUMBER          PAGES TRY FINISHED    RESULT
77777777 jürgen-mü… +49301234567      0/3   4 $(tm $((NOW - 3 * 86400))) failed: no_answer
44444444 alice      +49301234567      3/3   2 $(tm $((NOW - 4000))) ok" \
    "$out" "done: result, pages, tries, time; the received faxes are not in it"
j=$(FS -d -j)
is "failed no_answer 0 4|ok null 3 2" \
    "$(echo "$j" | jq -r '[.done[] | "\(.outcome) \(.reason) \(.pages_confirmed) \(.tries)"] | join("|")')" \
    "done --json: outcome, reason, pages, tries"

# --- received faxes
out=$(FS -r)
is "ID       RECEIVED    CALLER       TSI            DID         PGS AUT ROUTED TO
88888888 $(tm $((NOW - 2000))) +4930555123  \\x1b]0;pwned…  +4930777      2 yes lab@clini…
99999999 $(tm $((NOW - 1000))) -            FAX            +4930777     1! -   (not rout…" \
    "$out" "received: caller, hostile TSI escaped and cut, DID, pages, routing"
ok "received: no escape or bell byte reaches the terminal" \
    noesc "$out"
j=$(FS -r -j)
is "true lab@clinic.test|null null" \
    "$(echo "$j" | jq -r '[.received[] | "\(.authorized) \(.rcpt)"] | join("|")')" \
    "received --json: authorized and routed, or null before routing"
is "$(printf '\033]0;pwned\007')" "$(echo "$j" | jq -r '.received[0].tsi')" \
    "received --json: the TSI as sent, in a valid JSON string"

# UTF-8: shown as itself in a UTF-8 locale, escaped in C; bidi never
FS 77777777 | grep -q 'subject Befund Müller \\xe2\\x80\\xaelive$'
tap_result $? "record: UTF-8 shown as itself, a right-to-left override escaped"
TZ=UTC LC_ALL=C "$FAXSTAT" -S "$SPOOL" 77777777 |
    grep -q 'subject Befund M\\xc3\\xbcller \\xe2\\x80\\xaelive$' &&
TZ=UTC LC_ALL=C "$FAXSTAT" -S "$SPOOL" -d | grep -q '^77777777 j\\xc3\\xbc~ '
tap_result $? "record and done in the C locale: UTF-8 escaped, cut with ~"
is "jürgen-müller" "$(FS -d -j | jq -r '.done[0].account')" "done --json: the account in UTF-8"

# --- filters
is "22222222" "$(FS -s -a bob | sed 1d | cut -c1-8)" "-a: one account's jobs"
is "22222222" "$(FS -s -n '+49 40 987654' | sed 1d | cut -c1-8)" "-n: by the number's digits"
is "44444444" "$(FS -d -t 1 | sed 1d | cut -c1-8)" "-t 1: only the last day's"
is "44444444" "$(FS -d --since @$((NOW - 2 * 86400)) | sed 1d | cut -c1-8)" "--since @SECONDS"
is "88888888" "$(FS -r -n 555123 | sed 1d | cut -c1-8)" "-r -n: by the caller's number"
is "44444444" "$(FS -d --since "$(TZ=UTC date -d @$((NOW - 2 * 86400)) +%Y-%m-%d)" | sed 1d | cut -c1-8)" \
    "--since YYYY-MM-DD (local midnight)"
ok_program "--since garbage: 64" 64 "faxstat: --since yesterday: not a date (YYYY-MM-DD[THH:MM[:SS]] or @SECONDS)
usage: faxstat [-djrsw] [-a account] [-f conf] [-n number] [-S spool]
               [-t days | --since date] [id]" FS -d --since yesterday
is "" "$(FS -r -a alice | sed 1d)" "-r -a: received faxes have no account"

# --- one job's whole record
out=$(FS 44444444)
is "intake queued document document try try finished notice delivery" \
    "$(echo "$out" | sed 1d | cut -c22-29 | tr -s ' \n' '  ' | sed 's/ $//')" \
    "record: intake, job, documents, tries, end, notice, delivery, in time order"
echo "$out" | grep -q "intake from 192.0.2.7 (helo clinic.test), account alice, auth plain, TLSv1.3 TLS_AES_256_GCM_SHA384" &&
echo "$out" | grep -q "try 2 on ttyS0: ok, 3 sent, 3/3 confirmed, remote +49 30 1234567, 14400 bit/s ECM, 61 s" &&
echo "$out" | grep -q "to alice@clinic.test: delivered after 1 try via mx.clinic.test \[192.0.2.25\], TLS TLSv1.3 TLS_AES_256_GCM_SHA384 (verify yes): 250 2.0.0 Ok"
tap_result $? "record: the intake's TLS, a try's pages and rate, the DSN's delivery"
j=$(FS -j $D_OK)
is "job done ok intake,queued,document,document,try,try,finished,notice,delivery" \
    "$(echo "$j" | jq -r '.record | "\(.kind) \(.where) \(.status) \([.events[].event] | join(","))"')" \
    "record --json: kind, where, status and the events"
is "TLSv1.3 250 2.0.0 Ok: queued as 4F2A1 $N_DSN" \
    "$(echo "$j" | jq -r '"\(.record.events[0].data.tls_version) \(.record.events[8].data.reply) \(.record.events[8].data.notice)"')" \
    "record --json: each event's data is its file's keys"
out=$(FS 88888888)
echo "$out" | grep -q 'received on ttyS2 from +4930555123 (LAB), TSI \\x1b\]0;pwned\\x07, for +4930777, 2 pages' &&
echo "$out" | grep -q "fax notice 5aaaaaaa: not delivered yet" && noesc "$out"
tap_result $? "record of a fax: received, routed, its mail not delivered yet, escaped"

# --- the JSON fields are those faxstat(1) lists
doc_fields() {
	awk -v k="$1" '$0 == ".It Cm " k { on = 1; next }
	    on && /^\.It / { exit } on && /^\.Cm / { print; exit }' \
	    "$top_srcdir/man/faxstat.1" | sed 's/^\.Cm //; s/ ,//g; s/ \.$//'
}
all=$(FS -s -d -r -j)
for v in modems queue done received; do
	[ $v = modems ] && a= || a="-s -d -r"
	is "$(doc_fields $v)" "$(FS $a -j | jq -r --arg v $v '[.[$v][] | select(.status != "converting") | keys_unsorted | join(" ")] | unique | join("|")')" \
	    "json: $v objects have the fields faxstat(1) lists, in order"
done
is "$(doc_fields record)" "$(echo "$j" | jq -r '.record | keys_unsorted | join(" ")')" \
    "json: record has the fields faxstat(1) lists"
is "$(doc_fields events)" "$(echo "$j" | jq -r '[.record.events[] | keys_unsorted | join(" ")] | unique | join("|")')" \
    "json: events have the fields faxstat(1) lists"
echo "$all" | python3 -m json.tool >/dev/null
tap_result $? "json: the whole document parses with python3's json too"

# --- faxstat writes nothing and waits on no lock
snap() { find "$SPOOL" -printf '%p %y %s %T@ %m %u %g\n' | sort; }
before=$(snap)
flock -x "$SPOOL/jobs/$J_SEND/job" sleep 10 &
LOCKER=$!
at_exit "kill $LOCKER 2>/dev/null"
sleep 0.2
FS -s > /dev/null 2>&1 &
P=$!
n=0; while kill -0 $P 2>/dev/null && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
! kill -0 $P 2>/dev/null
tap_result $? "a job file locked by a daemon does not hold faxstat up"
kill $LOCKER 2>/dev/null
for a in "" -s -d -r "-s -d -r -j" 44444444 "-j 88888888"; do
	FS $a > /dev/null 2>&1
done
timeout 1 env TZ=UTC "$FAXSTAT" -S "$SPOOL" -w > /dev/null 2>&1
is "$before" "$(snap)" "every view leaves the spool as it was: no file made, changed or moved"

# --- corrupt and hostile records: named, skipped, the others shown
good_s=$(FS -s); good_d=$(FS -d)
B1=aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa
B2=bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb
B3=cccccccc-cccc-4ccc-8ccc-cccccccccccc
B4=dddddddd-dddd-4ddd-8ddd-dddddddddddd
job jobs $B1 "subject=raw${ESC}[2J"		# not escaped: corrupt
mkdir "$TMP/outside"; cp "$SPOOL/jobs/$J_HELD/job" "$TMP/outside/job"
ln -s "$TMP/outside" "$SPOOL/jobs/$B2"		# a link out of the spool
mkdir "$SPOOL/done/$B3"; ln -s /etc/passwd "$SPOOL/done/$B3/job"
mkdir "$SPOOL/jobs/$B4"; ln "$TMP/outside/job" "$SPOOL/jobs/$B4/job"
mkdir "$SPOOL/jobs/not-an-id${ESC}[1m"
printf 'dev=ttyS9 pid=1 \033[2J\n' | put status/ttyS9
FS -s > "$TMP/out" 2> "$TMP/err"; st=$?
is 1 "$st" "corrupt: exit status 1"
is "$good_s" "$(cat "$TMP/out")" "corrupt: the other jobs are all shown"
grep -q "jobs/$B1/job: corrupt: line 14: byte outside printable ASCII, skipped" "$TMP/err" &&
grep -q "jobs/$B2: a symbolic link, refused, skipped" "$TMP/err" &&
grep -q "jobs/$B4/job: has more than one link, refused, skipped" "$TMP/err" &&
grep -q 'jobs/not-an-id\\x1b\[1m: not an id, skipped' "$TMP/err"
tap_result $? "corrupt: each bad job named with its cause"
ok "corrupt: stderr is escaped too" noesc "$(cat "$TMP/err")"
FS -d > "$TMP/out" 2> "$TMP/err"; st=$?
is "1 $good_d" "$st $(cat "$TMP/out")" "corrupt: done/ with a link to /etc/passwd: the rest shown, exit 1"
grep -q "done/$B3/job: a symbolic link, refused, skipped" "$TMP/err"
tap_result $? "corrupt: the link is named and not followed"
FS > "$TMP/out" 2> "$TMP/err"; st=$?
is "1 5" "$st $(wc -l < "$TMP/out")" "corrupt status: the other modems shown, exit 1"
grep -q "status/ttyS9: corrupt: not a status line, skipped" "$TMP/err"
tap_result $? "corrupt status: named"

printf 'id = %s\ntry = 3\nstarted = yesterday\n' $D_OK | put done/$D_OK/result.3
FS 44444444 > "$TMP/out" 2> "$TMP/err"; st=$?
is "1 10" "$st $(wc -l < "$TMP/out")" "record: a bad result.3 is skipped, the rest shown, exit 1"
grep -q "done/$D_OK/result.3: corrupt: bad started, skipped" "$TMP/err"
tap_result $? "record: the bad result named, with the key"

# --- a member of group rampart who is not root reads the same
good_m=$(FS 2>/dev/null)
if [ "$(id -u)" = 0 ]; then
	chown -R rampart:rampart "$SPOOL"
	as_member() { setpriv --reuid=nobody --regid=rampart --clear-groups \
	    env TZ=UTC LC_ALL=C.UTF-8 "$FAXSTAT" -S "$SPOOL" "$@"; }
else
	as_member() { FS "$@"; }
fi
out=$(as_member -s 2>/dev/null); st=$?
is "1 $(echo "$good_s" | grep -v converting)" "$st $out" \
    "group member: the queue as root sees it but for msgs/ (exit 1: the corrupt ones)"
out=$(as_member 2>/dev/null); st=$?
is "1 $good_m" "$st $out" "group member: the modems, live and stale, as root sees them"

# --- a spool large enough for faxstat's reading threads (512 and up)
BIG=$TMP/big
mkdir "$BIG"; printf 'spool = %s\n' "$BIG/spool" > "$BIG/rampart.conf"
"$SETUP" -f "$BIG/rampart.conf" >/dev/null 2>&1 || bail "rampart-setup big"
python3 "$top_srcdir/bench/faxstat/mkspool.py" "$BIG/spool" 520 520 || bail mkspool
j=$(TZ=UTC "$FAXSTAT" -S "$BIG/spool" -s -d -j); st=$?
is 0 "$st" "520 + 520 jobs: exit 0"
is "$(ls "$BIG/spool/jobs" | sort | tr '\n' ' ')" \
    "$(echo "$j" | jq -r '.queue[].id' | sort | tr '\n' ' ')" \
    "520 jobs: each listed once"
is "true true 520" "$(echo "$j" | jq -r '"\([.queue[].created] == ([.queue[].created] | sort)) \([.done[].finished] == ([.done[].finished] | sort)) \(.done | length)"')" \
    "520 jobs: sorted by time, 520 finished"

# --- errors and exit statuses
ok_program "no such id: 2" 2 "faxstat: 0123abcd: no such job or fax" FS 0123abcd
ok_program "no spool: 66" 66 "faxstat: $TMP/none: No such file or directory" \
    env TZ=UTC "$FAXSTAT" -S "$TMP/none"
FS -x >/dev/null 2>&1; is 64 $? "bad option: 64"
if [ "$(id -u)" = 0 ]; then
	chmod 0750 "$TMP" "$SPOOL"
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$FAXSTAT" -S "$SPOOL" -s 2>&1); st=$?
else
	chmod 0 "$SPOOL/jobs"
	out=$(FS -s 2>&1); st=$?
	chmod 0750 "$SPOOL/jobs"
fi
is 77 "$st" "outside the group: 77"
diag "$out"
