#!/bin/sh
# bench/onramp/run.sh BUILD [PAGES] [ROUNDS]: the onramp's PDF maker
# (queued/pdf.c, as bench/onramp/fax2pdf) against tiff2pdf (libtiff's,
# which HylaFAX's mail scripts use) on the same fine fax of PAGES dense
# pages (default 20), coded MMR and MR.  Both run as programs, in turns,
# best wall time of ROUNDS runs each (default 40; bench/timeit, fork to
# wait4) and peak RSS; then fax2pdf's cost in-process, as queued pays it
# (N+1 PDFs in one process minus one); the PDFs' sizes; and whether every
# page renders to the fax's pixels (mupdf).
set -eu
B=$(cd "$1" && pwd)
P=${2:-20}
R=${3:-40}
S=$(cd "$(dirname "$0")/../.." && pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
${CC:-cc} -O2 -o "$w/timeit" "$S/bench/timeit.c"
[ -x "$B/bench/onramp/fax2pdf" ] || make -C "$B" bench/onramp/fax2pdf >/dev/null
F2P=$B/bench/onramp/fax2pdf
"$B/tests/tools/mkfaxtiff" -f -d "$w/doc.tif" "$P"
tiffcp -c g4 "$w/doc.tif" "$w/mmr.tif"
tiffcp -c g3:2d:fill "$w/doc.tif" "$w/mr.tif"
pixels() {	# PDF TIF: every page equals the fax's pixels
	rm -f "$w"/pg-*.pbm
	tiffcp -c none -f msb2lsb "$2" "$w/raw.tif"
	mutool draw -q -A 0 -c mono -w 1728 -h 2156 -f -o "$w/pg-%03d.pbm" \
	    "$1" 2>/dev/null
	python3 "$S/tests/onramp/pixcmp.py" "$w/raw.tif" "$w"/pg-*.pbm \
	    >/dev/null && echo same || echo DIFFERENT
}
echo "$P fine dense pages; best of $R; seconds and peak RSS (kB)"
for c in mmr mr; do
	r=$("$w/timeit" "$R" -r "$w/a.pdf" -r "$w/b.pdf" \
	    "$F2P" "$w/$c.tif" "$w/a.pdf" --- tiff2pdf -o "$w/b.pdf" "$w/$c.tif")
	"$F2P" "$w/$c.tif" "$w/a.pdf"
	tiff2pdf -o "$w/b.pdf" "$w/$c.tif"
	one=$("$w/timeit" "$R" "$F2P" "$w/$c.tif" "$w/a.pdf" | cut -d' ' -f1)
	ten=$("$w/timeit" "$R" "$F2P" -n 11 "$w/$c.tif" "$w/a.pdf" | cut -d' ' -f1)
	echo "$c: fax2pdf $(echo "$r" | sed -n 1p), $(stat -c %s "$w/a.pdf") bytes, $(pixels "$w/a.pdf" "$w/$c.tif")"
	echo "$c: tiff2pdf $(echo "$r" | sed -n 2p), $(stat -c %s "$w/b.pdf") bytes, $(pixels "$w/b.pdf" "$w/$c.tif")"
	echo "$c: fax2pdf in-process $(echo "($ten - $one) / 10" | bc -l | cut -c1-7) s per PDF"
done
