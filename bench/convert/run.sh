#!/bin/sh
# bench/convert/run.sh: pages per second and peak RSS of convert against
# ghostscript's tiffg4 device (HylaFAX's usual pipeline) on the same
# 100-page PDF in the same run, at 204x196 MMR; then TIFF-F passthrough
# against re-encoding the same pages into the same output (-R), also at
# ten times the pages, and against re-rendering them at normal resolution.
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

# run NAME CMD...: best wall time of $rounds runs and its peak RSS, timed
# by timeit from fork to exit (a shell's date and time add their own
# processes to each run)
run() {
	name=$1; shift
	sync	# the last command's dirty pages would slow this one's fsync
	r=$("$w/timeit" "$rounds" -r "$w/out.tif" "$@") ||
	    { echo "$name failed"; exit 1; }
	best=${r% *}; rss=${r#* }
	n=$("$b/tests/convert/tiffcheck" "$w/out.tif" | grep -c '^page=')
	pps=$(echo "scale=1; $n / ($best + 0.0001)" | bc)
	printf '%-34s %4d pages %7.4f s %8s pages/s %7d kB peak RSS\n' \
	    "$name" "$n" "$best" "$pps" "$rss"
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

run "TIFF-F passthrough (-F)" "$conv" -F -m 10000 -o "$w/out.tif" "$w/fine.tif"
pass_pps=$pps; pass_t=$best
"$b/tests/convert/tiffcheck" "$w/out.tif" >"$w/pass.txt"
# the reference: the same job with passthrough off, which must write the
# same pages (the same coded data, checked) the slow way
run "same pages re-encoded (-F -R)" "$conv" -F -R -m 10000 \
    -o "$w/out.tif" "$w/fine.tif"
rend_t=$best
"$b/tests/convert/tiffcheck" "$w/out.tif" | cmp -s - "$w/pass.txt" ||
    { echo "-R wrote other pages than the passthrough"; exit 1; }
echo "passthrough / re-encode pages per second: $(echo "scale=1; $pass_pps / $pps" | bc)"
# the reference of earlier runs: a different job, half the rows to code
run "same TIFF re-rendered (-r normal)" "$conv" -r normal -m 10000 \
    -o "$w/out.tif" "$w/fine.tif"
echo "passthrough / re-render at normal pages per second: $(echo "scale=1; $pass_pps / $pps" | bc)"

# The same pages ten times over: a convert run has a fixed cost (exec,
# fork, sandbox, fsync) that a 100-page passthrough does not hide.
set -- "$w/fine.tif" "$w/fine.tif" "$w/fine.tif" "$w/fine.tif" "$w/fine.tif"
tiffcp "$@" "$@" "$w/big.tif" || { echo "tiffcp failed"; exit 1; }
n100=$n
run "TIFF-F passthrough, 10x the pages" "$conv" -F -m 10000 -s 1000000000 \
    -o "$w/out.tif" "$w/big.tif"
bpass_pps=$pps; bpass_t=$best; n1000=$n
rounds=1
run "same re-encoded, 10x the pages" "$conv" -F -R -m 10000 -s 1000000000 \
    -o "$w/out.tif" "$w/big.tif"
echo "passthrough / re-encode pages per second, 10x: $(echo "scale=1; $bpass_pps / $pps" | bc)"
echo "per page beyond the first $n100 (fixed cost taken out): passthrough" \
    "$(echo "scale=3; ($bpass_t - $pass_t) * 1000 / ($n1000 - $n100)" | bc) ms," \
    "re-encode $(echo "scale=3; ($best - $rend_t) * 1000 / ($n1000 - $n100)" | bc) ms," \
    "ratio $(echo "scale=1; ($best - $rend_t) / ($bpass_t - $pass_t)" | bc)"
