#!/bin/sh
# matrix-t: the part of the interop matrix (bench/interop/run.sh) that
# CI runs: every option at least once, against HylaFAX 6.0.7 and efax
# 0.9a, both directions (tests/interop/cell.sh runs one call and says
# when it passes: both ends ok, pages pixel-equal, the rate, ECM and
# coding asked for, no untrained carrier).  Covered: ECM on and off;
# MH, MR, MMR; normal and fine; V.17, V.29, V.27ter; letter and A4;
# B4-width pages received from faxsim's remote; a noisy line where V.17
# does not train and faxgetty falls back; and faxsim's record catching a
# page HylaFAX never trained on when the speed-up is not faithful (-F).
. "$top_srcdir/tests/tap.sh"
need tiffinfo sendfax socat efax
[ "$(id -u)" -eq 0 ] || bail "HylaFAX needs root to start (it drops to uucp)"
CELL=$top_srcdir/tests/interop/cell.sh

plan 7
cell() {
	desc=$1; shift
	out=$(sh "$CELL" "$@" 2>&1); st=$?
	tap_result $st "$desc"
	echo "$out" | grep '^cell ' | sed 's/^/# /'
	[ $st -ne 0 ] && echo "$out" | grep -v '^cell ' | tail -20 | sed 's/^/# /'
}

# the case of issue 19: non-ECM pages after the first were lost at -S 8
cell "faxgetty -> HylaFAX: no ECM, MR, fine, V.17 14400, letter" \
    peer=hylafax dir=out ecm=0 comp=mr res=fine rate=14400 len=letter
cell "HylaFAX -> faxgetty: ECM, MMR, normal, V.29 9600, A4" \
    peer=hylafax dir=in ecm=1 comp=mmr res=normal rate=9600 len=a4
cell "faxgetty -> efax: MH, normal, V.27ter 4800, A4" \
    peer=efax dir=out ecm=0 comp=mh res=normal rate=4800 len=a4
cell "efax -> faxgetty: MH, fine, V.17 14400, letter" \
    peer=efax dir=in ecm=0 comp=mh res=fine rate=14400 len=letter pages=1
cell "remote -> faxgetty: B4 width (2048 pixels), ECM, MMR, fine, A4" \
    peer=remote dir=in ecm=1 comp=mmr res=fine rate=14400 len=a4 width=2048 pages=1
cell "faxgetty -> remote, noise -47 dBm0: V.17 does not train, falls back" \
    peer=remote dir=out ecm=0 comp=mr res=fine rate=14400 len=letter noise=-47 pages=1

# the same call as the first with every host turn sped up as well
# (faxsim -F) at 20x: HylaFAX misses a page's training, T.30 at both
# ends may still say ok, and the cell must fail on faxsim's record
out=$(SIM_OPTS=-F sh "$CELL" peer=hylafax dir=out ecm=0 comp=mr res=fine \
    rate=14400 len=letter pages=2 speed=20 2>&1)
echo "$out" | grep '^cell ' | sed 's/^/# /'
case $out in
*"result=fail"*untrained-[1-9]*) tap_result 0 "faxsim -F -S 20: the untrained page is caught" ;;
*) tap_result 1 "faxsim -F -S 20: the untrained page is caught" ;;
esac
