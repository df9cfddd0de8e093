#!/bin/sh
# bench/convert/run.sh: pages per second and peak RSS of convert against
# ghostscript's tiffg4 device (HylaFAX's usual pipeline) on the same
# 100-page PDF in the same run, at 204x196 MMR; then TIFF-F passthrough
# against re-encoding the same pages into the same output (-R), also at
# ten times the pages, and against re-rendering them at normal resolution,
# each pair timed in turns.
# Usage, from a build directory:
#   bench/convert/run.sh [BUILDDIR] [PAGES] [ROUNDS] [-p|-f]
# -p: two lines of text a page (default), -f: 50 lines of text a page.
set -eu
b=${1:-.}
pages=${2:-100}
rounds=${3:-3}
kind=${4:--p}
conv=$b/convert/convert
mk=$b/tests/convert/mkcorpus
command -v gs >/dev/null || { echo "needs ghostscript (gs)"; exit 1; }
w=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
trap 'rm -rf "$w"' EXIT
${CC:-cc} -O2 -o "$w/timeit" "$(dirname "$0")/../timeit.c" ||
    { echo "cannot build bench/timeit.c"; exit 1; }
"$mk" "$kind" "$pages" "$w/doc.pdf"

# line NAME FILE SECONDS RSS: prints a result; sets $n (pages in FILE)
# and $pps
line() {
	n=$("$b/tests/convert/tiffcheck" "$2" | grep -c '^page=')
	pps=$(echo "scale=1; $n / ($3 + 0.0001)" | bc)
	printf '%-34s %4d pages %7.4f s %8s pages/s %7d kB peak RSS\n' \
	    "$1" "$n" "$3" "$pps" "$4"
}

# run NAME CMD...: best wall time of $rounds runs and its peak RSS, timed
# by timeit from fork to exit (a shell's date and time add their own
# processes to each run); CMD writes $w/out.tif
run() {
	name=$1; shift
	sync	# the last command's dirty pages would slow this one's fsync
	r=$("$w/timeit" "$rounds" -r "$w/out.tif" "$@") ||
	    { echo "$name failed"; exit 1; }
	best=${r% *}
	line "$name" "$w/out.tif" "$best" "${r#* }"
}

# pair NAME_A NAME_B A... --- B...: the passthrough A (writing $w/a.tif,
# three times a round) and its reference B ($w/b.tif) in turns, $rounds
# rounds, so that both are sampled over the same minutes; sets $a_t,
# $a_pps, $b_t, $b_pps and prints the ratio
pair() {
	na=$1 nb=$2; shift 2
	sync
	r=$("$w/timeit" "$rounds" -a 3 -r "$w/a.tif" -r "$w/b.tif" "$@") ||
	    { echo "$na against $nb failed"; exit 1; }
	set -- $r
	line "$na" "$w/a.tif" "$1" "$2"; a_t=$1; a_pps=$pps
	line "$nb" "$w/b.tif" "$3" "$4"; b_t=$3; b_pps=$pps
	echo "  ratio, pages per second: $(echo "scale=1; $a_pps / $b_pps" | bc)"
}

echo "input: $pages-page PDF ($kind), $(wc -c <"$w/doc.pdf") bytes; best of $rounds"
run "convert -F -c mmr" "$conv" -F -c mmr -m 10000 -o "$w/out.tif" "$w/doc.pdf"
cp "$w/out.tif" "$w/fine.tif"
conv_pps=$pps
run "gs -sDEVICE=tiffg4 -r204x196" gs -q -dSAFER -dBATCH -dNOPAUSE \
    -sDEVICE=tiffg4 -r204x196 -sPAPERSIZE=a4 -dFIXEDMEDIA -dPDFFitPage \
    -sOutputFile="$w/out.tif" "$w/doc.pdf"
gs_pps=$pps
echo "convert / gs pages per second: $(echo "scale=2; $conv_pps / $gs_pps" | bc)"

# The reference: the same job with passthrough off (-R), which must write
# the same pages (the same coded data, checked) the slow way.
# (split into words where it is used: no spaces in these paths)
case "$conv$w" in *[[:space:]]*) echo "paths with spaces: $conv, $w"; exit 1 ;; esac
pass="$conv -F -m 10000 -s 1000000000 -o $w/a.tif"
pair "TIFF-F passthrough (-F)" "same pages re-encoded (-F -R)" \
    $pass "$w/fine.tif" --- \
    "$conv" -F -R -m 10000 -o "$w/b.tif" "$w/fine.tif"
pass_t=$a_t; rend_t=$b_t; n100=$n
"$b/tests/convert/tiffcheck" "$w/a.tif" >"$w/pass.txt"
"$b/tests/convert/tiffcheck" "$w/b.tif" | cmp -s - "$w/pass.txt" ||
    { echo "-R wrote other pages than the passthrough"; exit 1; }
# the reference of earlier runs: another job, with half the rows to code
pair "TIFF-F passthrough (-F)" "same re-rendered (-r normal)" \
    $pass "$w/fine.tif" --- \
    "$conv" -r normal -m 10000 -o "$w/b.tif" "$w/fine.tif"

# The same pages ten times over: a convert run has a fixed cost (exec,
# fork, sandbox, fsync) that a 100-page passthrough does not hide.
set -- "$w/fine.tif" "$w/fine.tif" "$w/fine.tif" "$w/fine.tif" "$w/fine.tif"
tiffcp "$@" "$@" "$w/big.tif" || { echo "tiffcp failed"; exit 1; }
rounds=3
pair "TIFF-F passthrough, 10x the pages" "same re-encoded, 10x the pages" \
    $pass "$w/big.tif" --- \
    "$conv" -F -R -m 10000 -s 1000000000 -o "$w/b.tif" "$w/big.tif"
n1000=$n
echo "per page beyond the first $n100 (fixed cost taken out): passthrough" \
    "$(echo "scale=3; ($a_t - $pass_t) * 1000 / ($n1000 - $n100)" | bc) ms," \
    "re-encode $(echo "scale=3; ($b_t - $rend_t) * 1000 / ($n1000 - $n100)" | bc) ms," \
    "ratio $(echo "scale=1; ($b_t - $rend_t) / ($a_t - $pass_t)" | bc)"
