#!/bin/sh
# cell.sh: one cell of the interop matrix (bench/interop/run.sh, and the
# subset in tests/interop/matrix-t.sh).  One fax call on a fresh faxsim
# pair between rampart's faxgetty (modem 0) and a peer, with options:
#   peer=hylafax|efax|remote  dir=out (faxgetty sends) | in (it receives)
#   ecm=0|1 comp=mh|mr|mmr res=normal|fine rate=14400|9600|4800
#   len=letter|a4 width=1728|2048 pages=N noise=DBM0 speed=S
# The rate is forced at both ends (faxgetty's fax_max_rate and the
# peer's own setting); so are ECM and the coding where the peer has a
# setting for them.  Prints one line, "cell ... result=pass|fail|n/a
# why=... call=SECONDS wall=SECONDS rate=BPS got=ECM/CODING fast= untrained=",
# and exits 0 (pass), 1 (fail) or 2 (n/a: the peer cannot do it).
# A cell passes when both ends report success, every page arrived equal
# pixel for pixel to the sent one once all-white rows at the top and
# bottom are trimmed (tiffcmp-pages -t: senders and receivers add white
# rows there, efax about 50, HylaFAX's MR receive keeps one fewer), the
# rate, ECM and coding used are the ones asked for, and faxsim saw no
# fast carrier go untrained (with noise=, a failed training is the point
# and only the rest counts).
peer=remote dir=out ecm=1 comp=mmr res=fine rate=14400 len=letter
width=1728 pages=2 noise=0 speed=
for kv; do
	case $kv in
	peer=*|dir=*|ecm=*|comp=*|res=*|rate=*|len=*|width=*|pages=*|noise=*|speed=*)
		eval "${kv%%=*}=\${kv#*=}" ;;
	*) echo "cell: unknown option $kv" >&2; exit 64 ;;
	esac
done
name="peer=$peer dir=$dir ecm=$ecm comp=$comp res=$res rate=$rate len=$len"
[ "$width" != 1728 ] && name="$name width=$width"
[ "$noise" != 0 ] && name="$name noise=$noise"
na() { echo "cell $name result=n/a why=$1"; exit 2; }
[ "$comp" = mmr ] && [ "$ecm" = 0 ] && na "MMR-needs-ECM"
if [ "$peer" = efax ]; then
	[ "$ecm" = 1 ] && na "efax-has-no-ECM"
	[ "$comp" != mh ] && na "efax-codes-only-MH"
	[ "$width" != 1728 ] && na "efax-sends-A4-width"
fi
# efax 0.9a dies on SIGFPE when a page takes less than a second of
# its time: at most 4 for efax (the pages take 4 s of line and more)
[ -z "$speed" ] && { [ "$peer" = efax ] && speed=4 || speed=8; }
FG_SPEED=$speed

. "$top_srcdir/tests/tap.sh"
. "$top_srcdir/tests/faxgetty/fg-lib.sh"
ecmword=yes; [ "$ecm" = 0 ] && ecmword=no
fg_setup -o fax_ecm=$ecmword -o fax_max_rate=$rate
t0=$(date +%s)

# the document: content on every page, the resolution and length asked
mk="-d"; [ "$res" = fine ] && mk="$mk -f"; [ "$len" = a4 ] && mk="$mk -a"
[ "$width" != 1728 ] && mk="$mk -w $width"
# dense pages at 4800 bit/s take minutes of line time: plain ones there
[ "$rate" = 4800 ] && mk=${mk#-d}
(cd "$TMP" && "$MKFAX" $mk doc.tif "$pages" && "$MKFAX" $mk -s pg.tif "$pages") ||
    bail mkfaxtiff
SPLIT=$(i=1; while [ $i -le "$pages" ]; do printf '%s ' "$TMP/pg-$i.tif"; i=$((i + 1)); done)

why= rx= ok=1 got_rate= got_ecm= got_comp=
fail() { ok=0; why="${why:+$why,}$1"; }

hf_session() { cat "$HF_SPOOL"/log/c* 2>/dev/null; }

# HylaFAX's name for a coding ("1-D MH", "2-D MR", "2-D MMR") as ours
hfcoding() {
	sed -n 's/.*\(1-D MH\|2-D MR\|2-D MMR\).*/\1/p' | head -1 |
	    sed 's/1-D MH/mh/; s/2-D MMR/mmr/; s/2-D MR/mr/'
}

case $rate in
14400) hfrates="24,48,72,73,74,96,97,98,121,122,145,146" efbr=5 ;;
9600) hfrates="24,48,72,96" efbr=3 ;;
4800) hfrates="24,48" efbr=1 ;;
*) bail "rate $rate" ;;
esac
vr=1; [ "$res" = normal ] && vr=0

case $peer in
hylafax)
	. "$top_srcdir/tests/interop/hylafax.sh"
	[ "$(id -u)" -eq 0 ] || bail "HylaFAX needs root"
	HF_CONFIG="Class1RMQueryCmd: \"!$hfrates\"
Class1TMQueryCmd: \"!$hfrates\""
	[ "$ecm" = 0 ] && HF_CONFIG="$HF_CONFIG
Class1ECMSupport: no"
	[ "$comp" != mmr ] && HF_CONFIG="$HF_CONFIG
Class1MMRSupport: no"
	[ "$comp" = mh ] && HF_CONFIG="$HF_CONFIG
Class1MRSupport: no"
	hylafax_start "$TMP" "$TMP/sim/ttySIM1"
	if [ "$dir" = out ]; then
		sim "route 5552000 modem=1" >/dev/null
		id=$(mkjob 5552000 "$TMP/doc.tif")
		send "$id"
		wait_result "$id" 1 600 || fail faxgetty-no-result
		r=$TMP/spool/results/new/$id.1
		[ "$(field "$r" outcome)" = ok ] || fail "faxgetty-$(field "$r" reason)"
		got_rate=$(field "$r" bit_rate) got_ecm=$(field "$r" ecm)
		# HylaFAX's session log, not syslog: /dev/log may be
		# another HylaFAX's (a test not taking hylafax.sh's lock)
		n=0
		until hf_session | grep -q "RECV FAX: end"; do
			n=$((n + 1)); [ $n -gt 300 ] && break; sleep 0.1
		done
		rx=$(ls "$HF_SPOOL"/recvq/fax*.tif 2>/dev/null | head -1)
		hf_session | grep -q "RECV FAX: end" || fail hylafax-no-end
		hf_session | grep -q "sender abort\|no image data" &&
		    fail hylafax-complains
		got_comp=$(hf_session | grep "RECV FAX (.*page 1 in" | hfcoding)
	else
		sim "route 5557000 modem=0" >/dev/null
		HF_RES=-m; [ "$res" = normal ] && HF_RES=-l
		case $comp in mh) o=-1 ;; mr) o=-2 ;; mmr) o=-3 ;; esac
		[ "$ecm" = 0 ] && o="$o -E"
		HF_SENDOPTS="$o -B $rate"
		hylafax_sendfax 5557000 "$TMP/doc.tif" || bail "sendfax"
		hylafax_wait_done 600 || fail hylafax-not-done
		got_comp=$(hf_session | grep "USE " | hfcoding)
	fi
	;;
efax)
	need efax
	caps="$vr,$efbr,0,2,0,0,0,0"
	if [ "$dir" = out ]; then
		sim "route 5559001 modem=1" >/dev/null
		timeout 900 efax -d "$TMP/sim/ttySIM1" -v ewi -c "$caps" -iS0=1 \
		    -w -r "$TMP/efrx" > "$TMP/efax.log" 2>&1 &
		EFAX=$!
		at_exit "kill $EFAX 2>/dev/null"
		n=0
		until grep -q "waiting for activity" "$TMP/efax.log"; do
			n=$((n + 1)); [ $n -gt 100 ] && bail "efax did not start"
			sleep 0.1
		done
		id=$(mkjob 5559001 "$TMP/doc.tif")
		send "$id"
		wait_result "$id" 1 900 || fail faxgetty-no-result
		r=$TMP/spool/results/new/$id.1
		[ "$(field "$r" outcome)" = ok ] || fail "faxgetty-$(field "$r" reason)"
		got_rate=$(field "$r" bit_rate) got_ecm=$(field "$r" ecm)
		wait $EFAX || fail "efax-exit-$?"
		rx=$(ls "$TMP"/efrx.0* 2>/dev/null | tr '\n' ' ')
		got_comp=mh
	else
		sim "route 5559000 modem=0" >/dev/null
		timeout 900 efax -d "$TMP/sim/ttySIM1" -v ewi -c "$caps" -h "" \
		    -l "+1 555 9999" -t 5559000 $SPLIT > "$TMP/efax.log" 2>&1 ||
		    fail "efax-exit-$?"
		got_comp=mh
	fi
	;;
remote)
	prof="rate=$rate ecm=$ecm comp=$comp res=normal,fine"
	[ "$noise" != 0 ] && prof="$prof noise=$noise"
	if [ "$dir" = out ]; then
		sim "route 5553000 $prof" >/dev/null || bail "route"
		id=$(mkjob 5553000 "$TMP/doc.tif")
		send "$id"
		wait_result "$id" 1 900 || fail faxgetty-no-result
		r=$TMP/spool/results/new/$id.1
		[ "$(field "$r" outcome)" = ok ] || fail "faxgetty-$(field "$r" reason)"
		got_rate=$(field "$r" bit_rate) got_ecm=$(field "$r" ecm)
	else
		sim "call 0 file=$TMP/doc.tif $prof" >/dev/null || bail "call"
	fi
	n=0
	until [ -s "$TMP/sim.results" ]; do
		n=$((n + 1)); [ $n -gt 600 ] && break; sleep 0.2
	done
	rec=$(head -1 "$TMP/sim.results")
	case $rec in
	*" result=ok "*) ;;
	*) fail "remote-$(echo "$rec" | sed -n 's/.* t30text=\([^ ]*\).*/\1/p')" ;;
	esac
	[ "$dir" = out ] && rx=$(echo "$rec" | sed -n 's/.* file=\([^ ]*\) .*/\1/p')
	got_comp=$(echo "$rec" | sed -n 's/.* comp=\([^ ]*\) .*/\1/p')
	;;
*) bail "peer $peer" ;;
esac

if [ "$dir" = in ]; then
	wait_recv 0
	rx=$D/fax.tif
	if [ -f "$D/meta" ]; then
		[ "$(field "$D/meta" t30_status)" = 0 ] ||
		    fail "faxgetty-rx-$(field "$D/meta" t30_status)"
		got_rate=$(field "$D/meta" bit_rate) got_ecm=$(field "$D/meta" ecm)
	else
		fail faxgetty-no-fax
	fi
fi
wait_idle
sleep 0.5
if [ "$dir" = out ] && [ "$peer" = efax ]; then
	"$TIFFCMP" -t $SPLIT -- $rx > "$TMP/cmp" 2>&1 || fail "pages($(head -1 "$TMP/cmp" | tr ' ' _))"
elif [ -n "$rx" ]; then
	"$TIFFCMP" -t "$TMP/doc.tif" -- $rx > "$TMP/cmp" 2>&1 || fail "pages($(head -1 "$TMP/cmp" | tr ' ' _))"
else
	fail no-received-file
fi
# with noise the point is the fallback: a lower rate than asked
if [ "$noise" = 0 ]; then
	[ "$got_rate" = "$rate" ] || fail "rate-$got_rate"
elif [ -z "$got_rate" ] || [ "$got_rate" -ge "$rate" ]; then
	fail "no-fallback-$got_rate"
fi
[ "$got_ecm" = "$ecm" ] || fail "ecm-$got_ecm"
[ "$got_comp" = "$comp" ] || fail "coding-$got_comp"
n=0
until [ -s "$TMP/sim.results" ]; do
	n=$((n + 1)); [ $n -gt 100 ] && break; sleep 0.1
done
rec=$(head -1 "$TMP/sim.results")
fast=$(echo "$rec" | sed -n 's/.* fast=\([^ ]*\).*/\1/p')
untr=$(echo "$rec" | sed -n 's/.* untrained=\([^ ]*\).*/\1/p')
secs=$(echo "$rec" | sed -n 's/.* duration=\([^ ]*\) .*/\1/p')
if [ "$noise" = 0 ]; then
	[ "$untr" = 0/0 ] || fail "untrained-$untr"
else
	[ "$untr" != 0/0 ] || fail "noise-trained-everything"
fi
[ -n "$rec" ] || fail no-faxsim-record
res_word=pass; [ $ok = 1 ] || res_word=fail
echo "cell $name result=$res_word why=${why:-ok} call=$secs wall=$(( $(date +%s) - t0 )) rate=$got_rate got=$got_ecm/$got_comp fast=$fast untrained=$untr speed=$speed"
if [ $ok != 1 ]; then
	[ -n "${CELL_LOGS:-}" ] && { mkdir -p "$CELL_LOGS"; cp -r "$TMP" "$CELL_LOGS/$(echo "$name" | tr ' =' '_-')"; }
	exit 1
fi
exit 0
