# hylafax.sh: a private HylaFAX server (Debian's hylafax-server) on a
# faxsim modem, for interop tests and benchmarks.  Sourced after tap.sh.
#   hylafax_start DIR PTY   spool copy in DIR/hylafax, the pty appears as
#                           /dev/$HF_DEV; starts faxq, HylaFAX's faxgetty
#                           (answers and sends) and hfaxd on $HF_PORT
#   hylafax_sendfax NUMBER FILE...   submits a job with sendfax (fine
#                           resolution; HF_RES=-l for normal; more sendfax
#                           options in HF_SENDOPTS)
# HF_CONFIG: more lines for the modem's config (ECM, coding, rates)
#   hylafax_wait_done [secs]         waits until the job is done; 0 if sent
#   hylafax_log                      HylaFAX's syslog lines
#   hylafax_stop                     stops all, removes what it made
# HylaFAX logs only to syslog; with no syslog daemon the test listens on
# /dev/log itself.  HylaFAX binaries are /usr/sbin/{faxq,faxgetty,hfaxd}.
HF_DEV=ttyRMP$$
HF_PORT=$((PORT_BASE + 2))
HF_SBIN=/usr/sbin
HF_PIDS= HF_OWN_LOG= HF_SPOOL=

hylafax_stop() {
	for p in $HF_PIDS; do kill "$p" 2>/dev/null; done
	[ -n "${HF_SPOOL:-}" ] && pkill -f -- "-q $HF_SPOOL" 2>/dev/null
	sleep 0.5
	[ -n "${HF_SPOOL:-}" ] && pkill -9 -f -- "-q $HF_SPOOL" 2>/dev/null
	rm -f "/dev/$HF_DEV" "/var/lock/LCK..$HF_DEV"
	[ -n "${HF_OWN_LOG:-}" ] && rm -f /dev/log
	HF_PIDS=
}

hylafax_log() { sed 's/<[0-9]*>/\n/g' "$HF_DIR/syslog" 2>/dev/null; }

hylafax_start() {
	HF_DIR=$1 HF_SPOOL=$1/hylafax
	[ -x "$HF_SBIN/faxq" ] || bail "hylafax-server is not installed"
	command -v socat >/dev/null || bail "socat is not installed"
	# one HylaFAX at a time: they all log through the one /dev/log, and
	# the instance that listens there removes it when it stops (tests
	# running side by side wait here; the lock goes with the process)
	exec 9> "${TMPDIR:-/tmp}/rampart-hylafax.lock"
	flock -w 1200 9 || bail "another HylaFAX test holds the lock"
	cp -a /var/spool/hylafax "$HF_SPOOL" || bail "copy HylaFAX spool"
	cp -a /etc/hylafax/. "$HF_SPOOL/etc/" || bail "copy HylaFAX etc"
	at_exit hylafax_stop
	ln -sf "$2" "/dev/$HF_DEV"
	dial="CountryCode: 1
AreaCode: 555
LongDistancePrefix: 1
InternationalPrefix: 011
DialStringRules: etc/dialrules"
	printf '%s\nServerTracing: 0x1FF\n' "$dial" >> "$HF_SPOOL/etc/config"
	# a spandsp T.31 modem, as HylaFAX ships it for iaxmodem, plus dialling
	cat > "$HF_SPOOL/etc/config.$HF_DEV" <<CONF
$dial
FAXNumber: +1.555.555.2000
LocalIdentifier: "HYLAFAX INTEROP"
ModemType: Class1
ModemRate: 19200
ModemFlowControl: xonxoff
ModemResetCmds: "ATH1\\nAT+VCID=1"
ModemReadyCmds: ATH0
Class1AdaptRecvCmd: AT+FAR=1
Class1TMConnectDelay: 400
CallIDPattern: "NMBR="
CallIDPattern: "NAME="
CallIDPattern: "NDID="
RingsBeforeAnswer: 1
SessionTracing: 0xFFF
ServerTracing: 0x1FF
RecvFileMode: 0644
${HF_CONFIG:-}
CONF
	printf '127.0.0.1\n' > "$HF_SPOOL/etc/hosts.hfaxd"
	chown uucp "$HF_SPOOL/etc/hosts.hfaxd"
	chmod 600 "$HF_SPOOL/etc/hosts.hfaxd"
	if [ ! -S /dev/log ]; then
		socat -u UNIX-RECV:/dev/log,mode=666 \
		    "OPEN:$HF_DIR/syslog,creat,append" 2>/dev/null 9>&- &
		HF_PIDS="$HF_PIDS $!" HF_OWN_LOG=1
		wait_for_file /dev/log 5 || bail "no /dev/log"
	fi
	# (the daemons must not keep the lock's descriptor)
	"$HF_SBIN/faxq" -q "$HF_SPOOL" 9>&- || bail "faxq did not start"
	"$HF_SBIN/hfaxd" -q "$HF_SPOOL" -i "$HF_PORT" -l 127.0.0.1 9>&- ||
	    bail "hfaxd did not start"
	"$HF_SBIN/faxgetty" -q "$HF_SPOOL" "$HF_DEV" >/dev/null 2>&1 9>&- &
	HF_PIDS="$HF_PIDS $!"
	# ready once HylaFAX's faxgetty has initialised the modem: its
	# status file (what HylaFAX's faxstat shows) says so
	n=0
	until grep -q "Running and idle" "$HF_SPOOL/status/$HF_DEV" 2>/dev/null; do
		n=$((n + 1))
		[ $n -gt 600 ] && { hylafax_log | tail -20 | sed 's/^/# /'; bail "HylaFAX modem not ready"; }
		sleep 0.1
	done
}

hylafax_sendfax() {
	number=$1; shift
	HF_JOB=$(sendfax -h "127.0.0.1:$HF_PORT" -n ${HF_RES:--m} ${HF_SENDOPTS:-} -d "$number" "$@" 2>&1 |
	    sed -n 's/^request id is \([0-9]*\).*/\1/p')
	[ -n "$HF_JOB" ]
}

# done when doneq/q<job> exists; its "status" line is empty on success
hylafax_wait_done() {
	n=0 q=$HF_SPOOL/doneq/q$HF_JOB
	while [ ! -f "$q" ]; do
		n=$((n + 1)); [ $n -gt $(( ${1:-180} * 10 )) ] && return 1
		sleep 0.1
	done
	sleep 0.2
	st=$(sed -n 's/^status://p' "$q")
	state=$(sed -n 's/^state://p' "$q")
	[ -z "$st" ] && [ "$state" = 7 ]
}
