#!/bin/sh
# bench/interop/run.sh BUILD [full]: the interop matrix (as root, for
# HylaFAX).  faxgetty against HylaFAX 6.0.7, efax 0.9a and faxsim's own
# remote, both directions, on a fresh faxsim pair per cell
# (tests/interop/cell.sh says what a cell does and when it passes).
# Without "full" it runs a covering set: per peer and direction, every
# value of ECM, coding, resolution, rate and length at least once (eight
# cells; efax, MH only and no ECM, four), plus B4-width pages from the
# remote and a noisy line (-47 dBm0) where V.17 does not train.  "full"
# runs every combination (432 cells less those a peer cannot do: hours).
# Prints a Markdown table; the raw lines go to BUILD/bench-interop.out,
# failed cells' files to BUILD/bench-interop.logs/.  Cells run one at a
# time: HylaFAX instances share /dev/log.
[ $# -ge 1 ] || { echo "usage: $0 BUILD [full]" >&2; exit 64; }
B=$(cd "$1" && pwd) || exit 1
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
top_builddir=$B
CELL_LOGS=$B/bench-interop.logs
export top_srcdir top_builddir CELL_LOGS
OUT=$B/bench-interop.out
: > "$OUT"

cell() {
	line=$(cd "$B" && sh "$top_srcdir/tests/interop/cell.sh" "$@" 2>&1 | grep '^cell ')
	[ -n "$line" ] || line="cell $* result=fail why=cell-script-bailed"
	echo "$line" >> "$OUT"
	echo "$line" >&2
}

# ecm comp res rate len: every value of each at least once
COVER="1 mmr fine 14400 letter
1 mr normal 9600 a4
1 mh fine 4800 a4
0 mr fine 14400 a4
0 mh normal 14400 letter
0 mr normal 4800 letter
0 mh fine 9600 letter
1 mmr normal 4800 a4"
EFAX="0 mh fine 14400 letter
0 mh normal 9600 a4
0 mh fine 4800 a4
0 mh normal 14400 a4"

if [ "${2:-}" = full ]; then
	COVER=$(for e in 1 0; do for c in mmr mr mh; do for r in fine normal; do
	    for b in 14400 9600 4800; do for l in letter a4; do
		echo "$e $c $r $b $l"; done; done; done; done; done)
	EFAX=$(echo "$COVER" | grep '^0 mh')
fi

for peer in remote efax hylafax; do
	set=$COVER; [ $peer = efax ] && set=$EFAX
	for dir in out in; do
		echo "$set" | while read -r e c r b l; do
			cell peer=$peer dir=$dir ecm=$e comp=$c res=$r rate=$b len=$l
		done
	done
done
cell peer=remote dir=in ecm=1 comp=mmr res=fine rate=14400 len=a4 width=2048
cell peer=remote dir=in ecm=0 comp=mr res=normal rate=9600 len=letter width=2048
cell peer=remote dir=out ecm=0 comp=mr res=fine rate=14400 len=letter noise=-47
cell peer=remote dir=in ecm=0 comp=mr res=fine rate=14400 len=letter noise=-47
cell peer=remote dir=out ecm=1 comp=mmr res=fine rate=14400 len=letter noise=-47

# the table
echo "| peer | dir | ECM | coding | res | rate asked | length | extra | result | bit/s | line s | wall s | untrained | why |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
sed 's/^cell //' "$OUT" | while read -r line; do
	v() { echo " $line " | sed -n "s/.* $1=\([^ ]*\) .*/\1/p"; }
	x=; [ -n "$(v width)" ] && x="width $(v width)"
	[ -n "$(v noise)" ] && x="$x noise $(v noise) dBm0"
	echo "| $(v peer) | $(v dir) | $(v ecm) | $(v comp) | $(v res) | $(echo " $line" | sed -n 's/^ *peer=[^ ]* dir=[^ ]* ecm=[^ ]* comp=[^ ]* res=[^ ]* rate=\([^ ]*\).*/\1/p') | $(v len) | ${x:--} | $(v result) | $(echo " $line " | sed -n 's/.* rate=\([^ ]*\) got=.*/\1/p') | $(v call) | $(v wall) | $(v untrained) | $(v why) |"
done
echo
echo "pass: $(grep -c 'result=pass' "$OUT")  fail: $(grep -c 'result=fail' "$OUT")  n/a: $(grep -c 'result=n/a' "$OUT")"
